"""Where a unit a boundary file brings hangs, and the shapes both boundary imports share.

A new unit's parent is its nearest national-code ancestor in the store or the
file, else the parent field (a code, or a name one level up or higher), else the
unit above that holds its representative point.  Units already stored move down
onto newly arrived nearer ancestors (villages onto their new township).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from geo.codes import code_ancestors
from geo.i18n.errors import Phrase, Sentence
from geo.imports.common import typed_layer, unmatched_row
from geo.names import NameIndex
from geo.programme import LEVELS
from geo.store import UNIT_COLUMNS


class Parents:
    """Finds a new unit's parent: by national code, parent field, or location."""

    def __init__(self, pool: gpd.GeoDataFrame, *, old_parent: dict):
        self.pool = pool
        self.old_parent = old_parent
        self.rank = pool["level"].map(LEVELS.index)
        self.tree = shapely.STRtree(pool.geometry.to_numpy())
        self._names: dict[str, NameIndex] = {}  # by level, built when a parent field needs it

    def find(self, row, point, has_field: bool):
        """(parent, how — code/field/place/kept, reason, candidates)."""
        rank = LEVELS.index(row.level)
        by_code = [c for c in code_ancestors(row.code)
                   if c in self.pool.index and self.rank[c] < rank]
        if by_code:
            return by_code[0], "code", "", []
        if has_field and isinstance(row.parent_text, str):
            parent, reason, candidates = self._by_field(row.parent_text, rank)
            return parent, "field", reason, candidates
        parent, reason, candidates = self._by_place(row.code, point, rank)
        if parent is None and isinstance(self.old_parent.get(row.code), str):
            return self.old_parent[row.code], "kept", "", []  # a replaced unit keeps its own
        return parent, "place", reason, candidates

    def _by_field(self, value: str, rank: int):
        if value in self.pool.index:
            if self.rank[value] < rank:
                return value, "", []
            return None, Phrase("unit_parent_code_not_above", parent=value), [
                self._label(value)]
        for level in reversed(LEVELS[:rank]):  # one level up first, then higher
            found = self._named(level).lookup(value)
            if len(found) == 1:
                return found[0], "", []
            if found:
                return (None, Phrase("join_parent_several", parent=value),
                        list(map(self._label, found)))
        above = NameIndex(self.pool[self.rank < rank])
        return None, Phrase("unit_parent_not_above", parent=value), above.closest(value)

    def _named(self, level: str) -> NameIndex:
        if level not in self._names:
            self._names[level] = NameIndex(self.pool[self.pool["level"] == level])
        return self._names[level]

    def _by_place(self, code: str, point, rank: int):
        hits = [self.pool.index[i] for i in self.tree.query(point, predicate="within")]
        hits = [c for c in hits if c != code and self.rank[c] < rank]
        if not hits:
            return None, Phrase("unit_in_no_unit_above"), []
        nearest = max(self.rank[c] for c in hits)
        hits = sorted(c for c in hits if self.rank[c] == nearest)
        if len(hits) > 1:
            return None, Phrase("unit_in_several_above"), list(map(self._label, hits))
        return hits[0], "", []

    def _label(self, code: str) -> str:
        return f"{code} {self.pool.loc[code, 'name']}"


def unmatched_unit(row, reason: Phrase, candidates: list[str]) -> dict:
    parent = getattr(row, "parent_text", None)
    return unmatched_row(int(row.source_row), code=row.code, name=row.name, reason=reason,
                         candidates=candidates,
                         parent_name=parent if isinstance(parent, str) else None)


def cascade(new: gpd.GeoDataFrame, unmatched: list[dict]) -> None:
    """A unit whose parent is an unmatched row of the file is unmatched too."""
    while True:
        lost = set(new.loc[new["parent_code"].isna(), "code"])
        orphans = new["parent_code"].isin(lost)
        if not orphans.any():
            return
        for row in new[orphans].itertuples(index=False):
            unmatched.append(unmatched_unit(row, Phrase("unit_parent_unmatched",
                                                    code=row.parent_code), []))
        new.loc[orphans, "parent_code"] = None


def reparent(units: gpd.GeoDataFrame, arrived: set[str]) -> list[tuple[str, str]]:
    """Hang stored units on newly arrived nearer ancestors (villages on new townships)."""
    codes, moved = set(units["code"]), []
    for i, (code, parent) in enumerate(zip(units["code"], units["parent_code"])):
        chain = [c for c in code_ancestors(code) if c in codes]
        if code in arrived or not chain or chain[0] not in arrived or chain[0] == parent:
            continue
        # Only a move down the code's own chain: a parent set by hand or place stays.
        if parent is None or parent in chain[1:]:
            units.iloc[i, units.columns.get_loc("parent_code")] = chain[0]
            moved.append((code, chain[0]))
    return moved


def unit_layer(units: pd.DataFrame) -> gpd.GeoDataFrame:
    """Units with the store's columns and one dtype each (see ``typed_layer``)."""
    return typed_layer(units, UNIT_COLUMNS, ("population", "households"))


def indexed(units: pd.DataFrame) -> gpd.GeoDataFrame:
    """The units typed and indexed by code, for looking parents up."""
    units = unit_layer(units)
    return units.set_index(units["code"].rename(None), drop=False)


def moved_and_skipped(moved: list, skipped: list) -> list:
    """The warnings of units moved onto new ancestors and of levels a file skips."""
    warnings = []
    if skipped:
        warnings.append(Sentence("warn_levels_missing", rows=[r for r, _ in skipped],
                                 parents=sorted({p for _, p in skipped})))
    if moved:
        warnings.append(Sentence("warn_units_moved", count=len(moved),
                                 moves=[f"{c} → {p}" for c, p in moved[:10]],
                                 more=" …" if len(moved) > 10 else ""))
    return warnings
