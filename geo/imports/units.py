"""Boundary imports: polygons merged into the store's units.

A code already in the store replaces that unit's geometry and name, other
units stay.  The units layer is rewritten on a copy of the store that takes
its place only when complete, so a failed import leaves the store as it
was.  Rows that find no parent are never stored as units: they are kept in
the import's report (the ``imports`` table) and in the store's
``unmatched`` table; with ``strict`` they refuse the whole file.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.codes import code_ancestors, level_of_code
from geo.errors import InputError, UsageError
from geo.i18n.errors import Phrase, Sentence
from geo.imports.common import (
    refuse_if_strict, region_label, typed_layer, unmatched_frame, unmatched_row,
)
from geo.imports.report import ImportReport, file_sha256
from geo.io import CODE_FIELDS, read_boundaries, read_vector
from geo.io_fields import code_text, find_column
from geo.ledger.values import BadCell, read_number
from geo.names import NameIndex, join_aliases, known_aliases, split_aliases
from geo.programme import LEVELS
from geo.store import UNIT_COLUMNS, ImportRecord, Store
from geo.units import top_units

POPULATION_FIELDS = ("人口", "总人口", "户籍人口", "常住人口", "POP", "POPULATION")
HOUSEHOLD_FIELDS = ("户数", "总户数", "HH", "HOUSEHOLDS")


def import_units(store: Store, path, *, level: str | None = None,
                 encoding: str | None = None, crs: str | None = None,
                 code_field: str | None = None, name_field: str | None = None,
                 parent_field: str | None = None, dry_run: bool = False,
                 strict: bool = False, who: str = "") -> ImportReport:
    """Merge the units of a boundary file into the store.

    Parameters
    ----------
    store
        The store; its units are the parents and the region.
    path
        A boundary file :func:`geo.io.read_boundaries` reads.
    level
        The level of every row (``--level``); by default each row's code
        says it (12 digits village, 9 township, 6 county, ``..00`` league,
        ``..0000`` province), else the store's level for a known code.
    encoding, crs, code_field, name_field, parent_field
        As for :func:`geo.io.read_boundaries`.
    dry_run, strict
        Report only; refuse the whole file when any row is unmatched.
    who
        Recorded with the import.

    Returns
    -------
    ImportReport
        ``matched`` counts the units stored; ``unmatched`` the rows that
        found no parent or lie outside the store's region.

    Notes
    -----
    A unit's parent is its nearest national-code ancestor in the store or
    the file (a village whose township is absent hangs on its county, so the
    roll-up still counts it), else the parent field (a code, or a name one
    level up or higher), else the unit above that holds its representative
    point.  A replaced unit keeps its aliases, gains its old name as one,
    and keeps its population when the file has none.

    Raises
    ------
    InputError
        The file cannot be read, rows lack codes or a level, or (``strict``)
        some rows are unmatched.
    """
    if level is not None and level not in LEVELS:
        raise UsageError(reason="unknown_level", param="level", value=level, levels=list(LEVELS))
    boundary = read_boundaries(path, encoding=encoding, crs=crs, code_field=code_field,
                               name_field=name_field, parent_field=parent_field)
    old = store.units(geometry=True)
    new, rows_read, problems = _rows_and_counts(boundary, path, code_field)
    known_level = dict(zip(old["code"], old["level"]))
    new["level"] = [level or level_of_code(c) or known_level.get(c) for c in new["code"]]
    _check_levels(new, Path(path).name)
    new = _carry_over(new, old)
    pool = _frame(pd.concat([_unit_layer(old[~old["code"].isin(new["code"])]),
                             _unit_layer(new)], ignore_index=True))
    points = new.geometry.representative_point().to_numpy()
    tops = top_units(old)
    region = region_label(old)
    inside = shapely.contains(tops.geometry.to_numpy()[:, None], points[None, :]).any(axis=0)
    finder = _Parents(pool, old_parent=dict(zip(old["code"], old["parent_code"])))
    parents, unmatched, skipped, misplaced = [], [], [], []
    for i, row in enumerate(new.itertuples(index=False)):
        parent, how, reason, candidates = (
            finder.find(row, points[i], parent_field is not None) if inside[i]
            else (None, "", Phrase("unit_outside_region", region=region), []))
        parents.append(parent)
        if parent is None:
            unmatched.append(_unmatched(row, reason, candidates))
            continue
        rank = LEVELS.index(row.level)
        if how == "code" and LEVELS.index(pool.loc[parent, "level"]) < rank - 1:
            skipped.append((row.source_row, parent))
        if how != "place" and not pool.loc[parent, "geometry"].contains(points[i]):
            misplaced.append(Sentence("warn_not_in_parent", row=row.source_row, code=row.code,
                                      name=row.name, parent=parent,
                                      parent_name=pool.loc[parent, "name"]))
    new["parent_code"] = pd.Series(parents, index=new.index, dtype=object)
    _cascade(new, unmatched)
    ok = new["parent_code"].notna().to_numpy()
    kept = old[~old["code"].isin(new.loc[ok, "code"])]
    units = _frame(pd.concat([_unit_layer(kept), _unit_layer(new[ok])], ignore_index=True))
    units = units.reset_index(drop=True)
    moved = _reparent(units, set(new.loc[ok, "code"]))

    warnings = list(boundary.warnings) + problems + misplaced
    if skipped:
        warnings.append(Sentence("warn_levels_missing", rows=[r for r, _ in skipped],
                                 parents=sorted({p for _, p in skipped})))
    if moved:
        warnings.append(Sentence("warn_units_moved", count=len(moved),
                                 moves=[f"{c} → {p}" for c, p in moved[:10]],
                                 more=" …" if len(moved) > 10 else ""))
    levels = set(new["level"])
    report = ImportReport(
        file=str(path), kind="units", level=", ".join(lv for lv in LEVELS if lv in levels),
        region=region, rows_read=rows_read, matched=int(ok.sum()),
        unmatched=sorted(unmatched, key=lambda u: u["source_row"]),
        warnings=warnings, dry_run=dry_run)
    refuse_if_strict(report, strict, "parent")
    if not dry_run:
        record = ImportRecord(kind="units", file=str(path), sha256=file_sha256(path), as_of=None,
                              level=report.level, rows_read=rows_read, matched=report.matched,
                              report=report.as_dict(), who=who)
        report.import_id = store.replace_units(units, record, unmatched_frame(report))
    return report


def _carry_over(new: gpd.GeoDataFrame, old: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Kind, aliases (plus a changed name) and counts a replaced unit keeps."""
    before = old.set_index("code").reindex(new["code"])
    known = known_aliases()
    new = new.copy()
    new["kind"] = before["kind"].fillna("admin").to_numpy(dtype=object)
    new["aliases"] = [
        join_aliases([*split_aliases(a), *known.get(c, ()),
                      was if isinstance(was, str) and was != name else None])
        for c, a, was, name in zip(new["code"], before["aliases"], before["name"], new["name"])]
    for column in ("population", "households"):
        new[column] = new[column].astype(object).where(
            new[column].notna(), before[column].to_numpy(dtype=object))
    return new


def _rows_and_counts(boundary, path, code_field) -> tuple[gpd.GeoDataFrame, int, list[str]]:
    """The units with their file row and population/households, rows read, problems.

    ``read_boundaries`` keeps neither the row numbers (it leaves out rows
    without geometry) nor other columns, so the attributes are read again
    and aligned on the code, which must be unique anyway.
    """
    file = Path(path).name
    raw, _, _, _ = read_vector(path, layer=None, encoding=boundary.encoding,
                               want=("Polygon", "MultiPolygon"))
    columns = [c for c in raw.columns if c != "geometry"]
    code_col = find_column(columns, CODE_FIELDS, code_field, "code_field", file)
    if code_col is None:
        raise InputError(reason="no_code_column", param="code_field", file=file,
                         looked_for=list(CODE_FIELDS))
    codes = raw[code_col].map(lambda v: code_text(v, code_col))
    rows = np.arange(1, len(raw) + 1)
    missing = rows[codes.isna().to_numpy()]
    if len(missing):
        raise InputError(reason="rows_without_code", param="code_field", file=file,
                         row=int(missing[0]), column=code_col, rows=list(missing))
    twice = codes[codes.duplicated(keep=False)]
    if len(twice):
        first = rows[twice.index[0]]
        raise InputError(reason="code_used_twice", param="file", file=file, row=int(first),
                         column=code_col, code=twice.iloc[0], rows=list(rows[twice.index]),
                         details=[InputError(reason="code_rows", param="file", code=c,
                                             rows=list(rows[g.index]))
                                  for c, g in twice.groupby(twice, sort=False)][1:])
    at = dict(zip(codes, range(len(raw))))
    units = boundary.units.rename(columns={"parent_code": "parent_text"})
    units["parent_code"] = None
    units["source_row"] = [int(rows[at[c]]) for c in units["code"]]
    problems = []
    for field, names in (("population", POPULATION_FIELDS), ("households", HOUSEHOLD_FIELDS)):
        col = find_column(columns, names, None, "", file)
        values = raw[col].to_numpy() if col else np.full(len(raw), None)
        counts = []
        for code in units["code"]:
            try:
                counts.append(read_number(values[at[code]])[0])
            except BadCell:
                problems.append(Sentence("warn_count_not_number", column=col,
                                         row=rows[at[code]]))
                counts.append(np.nan)
        units[field] = counts
    return units, len(raw), problems


def _check_levels(new: gpd.GeoDataFrame, file: str) -> None:
    unknown = new[new["level"].isna()]
    if len(unknown):
        raise InputError(reason="codes_without_level", param="level", file=file,
                         row=int(unknown["source_row"].iloc[0]),
                         rows=list(unknown["source_row"]), code=unknown["code"].iloc[0])


class _Parents:
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


def _unmatched(row, reason: Phrase, candidates: list[str]) -> dict:
    parent = getattr(row, "parent_text", None)
    return unmatched_row(int(row.source_row), code=row.code, name=row.name, reason=reason,
                         candidates=candidates,
                         parent_name=parent if isinstance(parent, str) else None)


def _cascade(new: gpd.GeoDataFrame, unmatched: list[dict]) -> None:
    """A unit whose parent is an unmatched row of the file is unmatched too."""
    while True:
        lost = set(new.loc[new["parent_code"].isna(), "code"])
        orphans = new["parent_code"].isin(lost)
        if not orphans.any():
            return
        for row in new[orphans].itertuples(index=False):
            unmatched.append(_unmatched(row, Phrase("unit_parent_unmatched",
                                                    code=row.parent_code), []))
        new.loc[orphans, "parent_code"] = None


def _reparent(units: gpd.GeoDataFrame, arrived: set[str]) -> list[tuple[str, str]]:
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


def _unit_layer(units: pd.DataFrame) -> gpd.GeoDataFrame:
    """Units with the store's columns and one dtype each (see ``typed_layer``)."""
    return typed_layer(units, UNIT_COLUMNS, ("population", "households"))


def _frame(units: pd.DataFrame) -> gpd.GeoDataFrame:
    """The units typed and indexed by code, for looking parents up."""
    units = _unit_layer(units)
    return units.set_index(units["code"].rename(None), drop=False)
