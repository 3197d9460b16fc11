"""Boundaries attach: each row of a boundary file finds the store's unit it names.

A row names a unit of the store by its code, else by its name within its
parent: the nearest ancestor its national code names, else the unit its parent
field names, else the units its polygon lies in, the nearest first (a village file's polygons lie in their county, the townships
of a register having no boundary).  One unit found is the row's; several are
reported with their names, never guessed between; two rows finding one unit
are both reported.  The unit found keeps its code, name, parent and level, and
takes the row's boundary (and its population and households, where the file has
them).  A row that finds none and carries a code the store lacks is a new unit,
added where its parent is known (:class:`geo.imports.unit_parents.Parents`).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from geo.codes import code_ancestors
from geo.errors import InputError
from geo.i18n.errors import Phrase, Sentence
from geo.imports.common import region_label
from geo.imports.unit_parents import (
    Parents, cascade, indexed, moved_and_skipped, reparent, unit_layer, unmatched_unit,
)
from geo.names import NameIndex, join_aliases, known_aliases, split_aliases
from geo.programme import LEVELS
from geo.units import top_units


def attach_boundaries(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame, *, level: str | None,
                      has_parent_field: bool, file: str):
    """The store's units ``old`` with the boundary rows ``new`` attached or added.

    ``new`` has code (or None), name, parent_text, level (or None), geometry,
    source_row, population and households.

    Returns
    -------
    (units, touched, unmatched, warnings)
        The layer; ``source_row, unit_code`` of each row that gave a unit its
        boundary or added one; the unmatched rows; the warnings.

    Raises
    ------
    InputError
        A row to be added has no level (``codes_without_level``).
    """
    units = indexed(unit_layer(old))
    points = new.geometry.representative_point().to_numpy()
    region = region_label(old)
    inside = shapely.contains(top_units(old).geometry.to_numpy()[:, None],
                              points[None, :]).any(axis=0)
    names = _Names(units, level)
    targets, unmatched = {}, []
    for i, row in enumerate(new.itertuples(index=False)):
        if not inside[i]:
            unmatched.append(unmatched_unit(row, Phrase("unit_outside_region", region=region),
                                            []))
            continue
        if isinstance(row.code, str) and row.code in units.index:
            targets[i] = row.code
            continue
        found, reason, candidates = names.find(row, points[i], has_parent_field)
        if found is not None:
            targets[i] = found
        elif isinstance(row.code, str) and reason != "several":
            continue            # a unit the store lacks: added below, where its parent is known
        else:
            unmatched.append(unmatched_unit(row, candidates[0] if reason == "several" else
                                            Phrase("boundary_no_unit_no_code", name=row.name),
                                            candidates[1:]))
    _refuse_shared_targets(new, targets, unmatched, units)

    attached = sorted(targets)
    unmatched_rows = {u["source_row"] for u in unmatched}
    coded = [i for i, row in enumerate(new.itertuples(index=False))
             if i not in targets and isinstance(row.code, str)]
    to_add = [i for i in coded if new.iloc[i]["source_row"] not in unmatched_rows]
    elsewhere = set(new.iloc[[i for i in coded if i not in to_add]]["code"])
    _attach(units, new, targets)
    added, warnings = _add(units, new.iloc[coded].copy(), points, unmatched,
                           has_parent_field, file, elsewhere=elsewhere)
    layer = indexed(pd.concat([unit_layer(units), unit_layer(added)], ignore_index=True))
    layer = layer.reset_index(drop=True)
    moved = reparent(layer, set(added["code"]))
    touched = pd.DataFrame({
        "source_row": [int(new.iloc[i]["source_row"]) for i in attached]
        + [int(r) for r in added["source_row"]],
        "unit_code": [targets[i] for i in attached] + list(added["code"])})
    touched = touched.sort_values("source_row", ignore_index=True)
    misplaced = _misplaced(layer, new, targets, points)
    left = len(old) - len(set(targets.values()))
    warnings = [Sentence("boundaries_result", attached=len(targets), added=len(added),
                         left=left), *misplaced, *warnings]
    warnings += moved_and_skipped(moved, [])
    return layer, touched, unmatched, warnings


class _Names:
    """Finds the stored unit a row names within its parent, never one of two."""

    def __init__(self, units: gpd.GeoDataFrame, level: str | None):
        self.units = units
        self.level = level
        self.rank = units["level"].map(LEVELS.index)
        self.children: dict[str, list[str]] = {}
        for code, parent in zip(units["code"], units["parent_code"]):
            if isinstance(parent, str):
                self.children.setdefault(parent, []).append(code)
        shaped = units[units.geometry.notna()]
        self.shaped = shaped
        self.tree = shapely.STRtree(shaped.geometry.to_numpy())
        self._under: dict[tuple, NameIndex] = {}

    def find(self, row, point, has_parent_field: bool):
        """(code, "", []) for the one unit the row names; else (None, "several", [the
        reason, candidates…]) when it names several units or its parent does, or
        (None, "", []) when it names none."""
        level = row.level if isinstance(row.level, str) else self.level
        hosts = self._hosts(point, level)
        chain = [c for c in code_ancestors(row.code) if c in self.units.index] \
            if isinstance(row.code, str) else []
        if chain:            # a national code says where it is: its name is looked for there
            hosts = chain[:1]
        elif has_parent_field and isinstance(row.parent_text, str):
            parent, several = self._parent(row.parent_text, hosts, level)
            if several:
                return None, "several", [Phrase("join_parent_several", parent=row.parent_text),
                                         *several]
            if parent is None:
                return None, "", []
            hosts = [parent]
        for host in hosts:   # the nearest first: a township's villages, then the county's
            found = self._index(host, level).lookup(row.name)
            if len(found) == 1:
                return found[0], "", []
            if found:
                return None, "several", [Phrase("join_name_several", name=row.name),
                                         *map(self._label, found)]
        return None, "", []

    def _hosts(self, point, level: str | None) -> list[str]:
        """The stored units with a boundary holding ``point``, the nearest first."""
        hits = [self.shaped.index[i] for i in self.tree.query(point, predicate="within")]
        if level is not None:
            hits = [c for c in hits if self.rank[c] < LEVELS.index(level)]
        return sorted(hits, key=lambda c: -self.rank[c])

    def _parent(self, text: str, hosts: list[str], level: str | None):
        """The stored unit a parent field names — a code, or a name under the row's
        outermost host — and the candidates when it names several."""
        if text in self.units.index:
            return text, []
        if not hosts:
            return None, []
        below = self.units.loc[self._below(hosts[-1])]
        if level is not None:
            below = below[below["level"].map(LEVELS.index) < LEVELS.index(level)]
        found = NameIndex(below).lookup(text)
        if len(found) == 1:
            return found[0], []
        return None, [self._label(c) for c in found]

    def _index(self, host: str, level: str | None) -> NameIndex:
        key = (host, level)
        if key not in self._under:
            below = self.units.loc[self._below(host)]
            self._under[key] = NameIndex(below if level is None
                                         else below[below["level"] == level])
        return self._under[key]

    def _below(self, code: str) -> list[str]:
        found, frontier = [], [code]
        while frontier:
            frontier = [c for parent in frontier for c in self.children.get(parent, [])]
            found.extend(frontier)
        return found

    def _label(self, code: str) -> str:
        return f"{code} {self.units.loc[code, 'name']}"


def _refuse_shared_targets(new, targets: dict, unmatched: list, units) -> None:
    """Rows that find the same unit: which boundary is its?  Both are reported."""
    by_unit: dict[str, list[int]] = {}
    for i, code in targets.items():
        by_unit.setdefault(code, []).append(i)
    for code, rows in by_unit.items():
        if len(rows) < 2:
            continue
        numbers = [int(new.iloc[i]["source_row"]) for i in rows]
        for i in rows:
            del targets[i]
            unmatched.append(unmatched_unit(
                new.iloc[i], Phrase("boundary_rows_same_unit", rows=numbers,
                                    unit=f"{code} {units.loc[code, 'name']}"), []))


def _attach(units: gpd.GeoDataFrame, new: gpd.GeoDataFrame, targets: dict) -> None:
    """Each unit found takes its row's boundary, counts where the file has them, and the
    row's name as an alias where the unit's names do not find it already."""
    for i, code in targets.items():
        row = new.iloc[i]
        units.loc[code, "geometry"] = row.geometry
        for column in ("population", "households"):
            if pd.notna(row[column]):
                units.loc[code, column] = row[column]
        if not NameIndex(units.loc[[code]]).lookup(row["name"]):
            units.loc[code, "aliases"] = join_aliases(
                [*split_aliases(units.loc[code, "aliases"]), row["name"]])


def _add(units, rows: gpd.GeoDataFrame, points, unmatched: list, has_parent_field: bool,
         file: str, *, elsewhere: set[str]):
    """The rows' new units, hung on their parents; (added units, warnings).  The rows
    whose codes are in ``elsewhere`` are unmatched already: a unit hung on one of
    them is unmatched too, as in the file."""
    lacking = rows[rows["level"].isna() & ~rows["code"].isin(elsewhere)]
    if len(lacking):
        raise InputError(reason="codes_without_level", param="level", file=file,
                         row=int(lacking["source_row"].iloc[0]),
                         rows=list(lacking["source_row"]), code=lacking["code"].iloc[0])
    rows = rows[rows["level"].notna()].copy()     # the others are unmatched already
    points = points[rows.index.to_numpy()] if len(rows) else points[:0]
    known = known_aliases()
    rows["kind"] = "admin"
    rows["aliases"] = [join_aliases(list(known.get(c, ()))) for c in rows["code"]]
    pool = indexed(pd.concat([unit_layer(units), unit_layer(rows)], ignore_index=True))
    finder = Parents(pool, old_parent={})
    parents, skipped = [], []
    for i, row in enumerate(rows.itertuples(index=False)):
        if row.code in elsewhere:
            parents.append(None)
            continue
        parent, how, reason, candidates = finder.find(row, points[i], has_parent_field)
        parents.append(parent)
        if parent is None:
            unmatched.append(unmatched_unit(row, reason, candidates))
        elif how == "code" and LEVELS.index(pool.loc[parent, "level"]) \
                < LEVELS.index(row.level) - 1:
            skipped.append((row.source_row, parent))
    rows["parent_code"] = pd.Series(parents, index=rows.index, dtype=object)
    cascade(rows, unmatched)
    added = rows[rows["parent_code"].notna()]
    return added, moved_and_skipped([], skipped)


def _misplaced(layer, new, targets: dict, points) -> list:
    """Warnings for units given a boundary that lies outside their parent's."""
    shapes = dict(zip(layer["code"], layer.geometry))
    parents = dict(zip(layer["code"], layer["parent_code"]))
    names = dict(zip(layer["code"], layer["name"]))
    out = []
    for i, code in sorted(targets.items()):
        parent = parents.get(code)
        shape = shapes.get(parent) if isinstance(parent, str) else None
        if shape is not None and not shape.contains(points[i]):
            out.append(Sentence("warn_not_in_parent", row=int(new.iloc[i]["source_row"]),
                                code=code, name=names[code], parent=parent,
                                parent_name=names[parent]))
    return out

