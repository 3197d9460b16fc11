"""Boundary imports: the polygons of a file given to the store's units.

By default a file attaches: a row gives its boundary to the unit it names that
the store has — by code, else by name within its parent (the parent field, or
the unit its polygon lies in), never guessing between two — adds the units the
store lacks where their parent is known, and leaves every other unit as it is
(:mod:`geo.imports.attach`).  A register's villages, stored without
boundaries, get theirs from an office's village file that has its own codes,
or none.

``replace`` (``--replace``, an admin's) is what every boundary import did
before: each row must carry a code, and the file's unit of a code replaces the
store's whole — its name (the old one kept as an alias), its parent, its
boundary — while the units the file lacks stay.

Either way the units layer is rewritten on a copy that takes the store's place
only when complete, and the import records every unit it changed, so that
``undo`` puts them back.  Rows that find no unit or parent are never stored as
units: they are kept in the import's report and the store's ``unmatched``
table; with ``strict`` they refuse the whole file.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.codes import level_of_code
from geo.errors import InputError, UsageError
from geo.i18n.errors import Phrase, Sentence
from geo.imports.common import refuse_if_strict, region_label, unmatched_frame
from geo.imports.report import ImportReport, file_sha256
from geo.imports.unit_parents import (
    Parents, cascade, indexed, moved_and_skipped, reparent, unit_layer, unmatched_unit,
)
from geo.io import CODE_FIELDS, NAME_FIELDS, read_boundaries, read_vector
from geo.io_fields import cell_text, code_text, find_column
from geo.ledger.values import BadCell, read_number
from geo.names import join_aliases, known_aliases, split_aliases
from geo.programme import LEVELS
from geo.store import ImportRecord, Store
from geo.units import top_units

POPULATION_FIELDS = ("人口", "总人口", "户籍人口", "常住人口", "POP", "POPULATION")
HOUSEHOLD_FIELDS = ("户数", "总户数", "HH", "HOUSEHOLDS")


def import_units(store: Store, path, *, level: str | None = None,
                 encoding: str | None = None, crs: str | None = None,
                 code_field: str | None = None, name_field: str | None = None,
                 parent_field: str | None = None, replace: bool = False, account=None,
                 dry_run: bool = False, strict: bool = False, who: str = "") -> ImportReport:
    """Give the boundaries of a file to the store's units (see the module's notes).

    Parameters
    ----------
    store
        The store; its units are the ones named, the parents and the region.
    path
        A boundary file :func:`geo.io.read_boundaries` reads.
    level
        The level of every row (``--level``); by default each row's code
        says it (12 digits village, 9 township, 6 county, ``..00`` league,
        ``..0000`` province), else the store's level for a known code, else
        (attaching) the level of the unit its name finds.
    encoding, crs, code_field, name_field, parent_field
        As for :func:`geo.io.read_boundaries`.
    replace
        Replace each unit of the file's codes whole, as boundary imports did
        before they attached (an admin's: ``--replace``).
    account
        Who imports (:class:`geo.accounts.Account`, None without accounts): an
        editor's rows must all name units under their region.
    dry_run, strict
        Report only; refuse the whole file when any row is unmatched.
    who
        Recorded with the import.

    Returns
    -------
    ImportReport
        ``matched`` counts the units given a boundary or added; ``unmatched``
        the rows that found no unit or parent, or lie outside the store's region.

    Raises
    ------
    InputError
        The file cannot be read, rows lack codes (``replace``) or a level, or
        (``strict``) some rows are unmatched.
    AccessError
        ``replace`` by an editor, or an editor's row outside their region.
    """
    if level is not None and level not in LEVELS:
        raise UsageError(reason="unknown_level", param="level", value=level, levels=list(LEVELS))
    if account is not None:
        account.require("admin" if replace else "editor",
                        "replace_units" if replace else "import_units")
    boundary = read_boundaries(path, encoding=encoding, crs=crs, code_field=code_field,
                               name_field=name_field, parent_field=parent_field)
    old = store.units(geometry=True)
    new, rows_read, problems = _rows_and_counts(boundary, path, code_field, name_field,
                                                need_codes=replace)
    known_level = dict(zip(old["code"], old["level"]))
    new["level"] = [level or level_of_code(c) or known_level.get(c) for c in new["code"]]
    if replace:
        _check_levels(new, Path(path).name)
        units, touched, unmatched, warnings = _replaced(old, new, parent_field is not None)
    else:
        from geo.imports.attach import attach_boundaries

        units, touched, unmatched, warnings = attach_boundaries(
            old, new, level=level, has_parent_field=parent_field is not None,
            file=Path(path).name)
    if account is not None:
        account.check_units(units, touched, file=Path(path).name)

    levels = set(units.set_index("code").loc[list(touched["unit_code"]), "level"]) \
        if len(touched) else set(new["level"].dropna())
    report = ImportReport(
        file=str(path), kind="units", level=", ".join(lv for lv in LEVELS if lv in levels),
        region=region_label(old), rows_read=rows_read, matched=len(touched),
        unmatched=sorted(unmatched, key=lambda u: u["source_row"]),
        warnings=list(boundary.warnings) + problems + warnings, dry_run=dry_run)
    refuse_if_strict(report, strict, "parent")
    if not dry_run:
        record = ImportRecord(kind="units", file=str(path), sha256=file_sha256(path), as_of=None,
                              level=report.level, rows_read=rows_read, matched=report.matched,
                              report=report.as_dict(), who=who)
        report.import_id = store.replace_units(units, record, unmatched_frame(report))
    return report


def _replaced(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame, has_parent_field: bool):
    """The layer with the file's units replacing the store's of the same codes.

    Returns (units, touched — ``source_row, unit_code`` —, unmatched rows, warnings).
    """
    new = _carry_over(new, old)
    pool = indexed(pd.concat([unit_layer(old[~old["code"].isin(new["code"])]),
                              unit_layer(new)], ignore_index=True))
    points = new.geometry.representative_point().to_numpy()
    tops = top_units(old)
    region = region_label(old)
    inside = shapely.contains(tops.geometry.to_numpy()[:, None], points[None, :]).any(axis=0)
    finder = Parents(pool, old_parent=dict(zip(old["code"], old["parent_code"])))
    parents, unmatched, skipped, misplaced = [], [], [], []
    for i, row in enumerate(new.itertuples(index=False)):
        parent, how, reason, candidates = (
            finder.find(row, points[i], has_parent_field) if inside[i]
            else (None, "", Phrase("unit_outside_region", region=region), []))
        parents.append(parent)
        if parent is None:
            unmatched.append(unmatched_unit(row, reason, candidates))
            continue
        rank = LEVELS.index(row.level)
        if how == "code" and LEVELS.index(pool.loc[parent, "level"]) < rank - 1:
            skipped.append((row.source_row, parent))
        if how != "place" and not pool.loc[parent, "geometry"].contains(points[i]):
            misplaced.append(Sentence("warn_not_in_parent", row=row.source_row, code=row.code,
                                      name=row.name, parent=parent,
                                      parent_name=pool.loc[parent, "name"]))
    new["parent_code"] = pd.Series(parents, index=new.index, dtype=object)
    cascade(new, unmatched)
    ok = new["parent_code"].notna().to_numpy()
    kept = old[~old["code"].isin(new.loc[ok, "code"])]
    units = indexed(pd.concat([unit_layer(kept), unit_layer(new[ok])], ignore_index=True))
    units = units.reset_index(drop=True)
    warnings = misplaced + moved_and_skipped(reparent(units, set(new.loc[ok, "code"])), skipped)
    touched = pd.DataFrame({"source_row": new.loc[ok, "source_row"].to_numpy(),
                            "unit_code": new.loc[ok, "code"].to_numpy()})
    return units, touched, unmatched, warnings


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


def _rows_and_counts(boundary, path, code_field, name_field, *,
                     need_codes: bool) -> tuple[gpd.GeoDataFrame, int, list[str]]:
    """The units with their file row and population/households, rows read, problems.

    ``read_boundaries`` keeps neither the row numbers (it leaves out rows
    without geometry) nor other columns, so the attributes are read again and
    aligned on the code, which must be unique anyway, or — a row without one,
    when attaching — on the name, in file order.
    """
    file = Path(path).name
    raw, _, _, _ = read_vector(path, layer=None, encoding=boundary.encoding,
                               want=("Polygon", "MultiPolygon"))
    columns = [c for c in raw.columns if c != "geometry"]
    code_col = find_column(columns, CODE_FIELDS, code_field, "code_field", file)
    if code_col is None and need_codes:
        raise InputError(reason="no_code_column", param="code_field", file=file,
                         looked_for=list(CODE_FIELDS))
    codes = (raw[code_col].map(lambda v: code_text(v, code_col)) if code_col
             else pd.Series([None] * len(raw), index=raw.index, dtype=object))
    rows = np.arange(1, len(raw) + 1)
    missing = rows[codes.isna().to_numpy()]
    if len(missing) and need_codes:
        raise InputError(reason="rows_without_code", param="code_field", file=file,
                         row=int(missing[0]), column=code_col, rows=list(missing))
    coded = codes.dropna()
    twice = coded[coded.duplicated(keep=False)]
    if len(twice):
        first = rows[twice.index[0]]
        raise InputError(reason="code_used_twice", param="file", file=file, row=int(first),
                         column=code_col, code=twice.iloc[0], rows=list(rows[twice.index]),
                         details=[InputError(reason="code_rows", param="file", code=c,
                                             rows=list(rows[g.index]))
                                  for c, g in twice.groupby(twice, sort=False)][1:])
    name_col = find_column(columns, NAME_FIELDS, name_field, "name_field", file)
    names = raw[name_col].map(cell_text)
    shaped = (raw.geometry.notna() & ~raw.geometry.is_empty).to_numpy()
    # Each key's rows in file order; read_boundaries keeps that order.
    waiting: dict = {}
    for i, (code, name) in enumerate(zip(codes, names)):
        if shaped[i]:
            waiting.setdefault(code if code is not None else ("", name), []).append(i)
    at = [waiting[c if c is not None else ("", n)].pop(0)
          for c, n in zip(boundary.units["code"], boundary.units["name"])]
    units = boundary.units.rename(columns={"parent_code": "parent_text"})
    units["parent_code"] = None
    units["source_row"] = [int(rows[i]) for i in at]
    problems = []
    for field, words in (("population", POPULATION_FIELDS), ("households", HOUSEHOLD_FIELDS)):
        col = find_column(columns, words, None, "", file)
        values = raw[col].to_numpy() if col else np.full(len(raw), None)
        counts = []
        for i in at:
            try:
                counts.append(read_number(values[i])[0])
            except BadCell:
                problems.append(Sentence("warn_count_not_number", column=col, row=rows[i]))
                counts.append(np.nan)
        units[field] = counts
    return units, len(raw), problems


def _check_levels(new: gpd.GeoDataFrame, file: str) -> None:
    unknown = new[new["level"].isna()]
    if len(unknown):
        raise InputError(reason="codes_without_level", param="level", file=file,
                         row=int(unknown["source_row"].iloc[0]),
                         rows=list(unknown["source_row"]), code=unknown["code"].iloc[0])


