"""Register imports: the townships and villages of a code list, without boundaries.

A register (the bureau's 统计用区划代码 or an office's own sheet of codes and
names, see :mod:`geo.register`) adds the units the programme covers under the
store's region, renames the townships and villages it already has (their old
name kept as an alias) and, only with ``retire``, removes those it lacks.
Geometry is never touched: a unit keeps the boundary it has, a new one has
none until a boundary file gives it one, and maps draw it as a point marked
approximate (:mod:`geo.placement`).
"""

from __future__ import annotations

import pandas as pd

from geo.codes import code_ancestors
from geo.i18n.errors import Phrase, Sentence
from geo.imports.common import refuse_if_strict, region_label, typed_layer, unmatched_frame, \
    unmatched_row
from geo.imports.report import ImportReport, file_sha256
from geo.join import code_crosswalk
from geo.names import join_aliases, split_aliases
from geo.programme import LEVELS
from geo.register import (
    REGISTER_DATE, code_prefix, covered_units, is_shipped, read_register, shipped_register,
)
from geo.store import UNIT_COLUMNS, ImportRecord, Store
from geo.units import top_units

# Levels a register renames: above a county, the boundary file's names are today's,
# the register's may be older (2016), so they become aliases instead.
RENAMED_LEVELS = ("township", "village")


def import_register(store: Store, path, *, sheet: str | None = None, retire: bool = False,
                    dry_run: bool = False, strict: bool = False, who: str = "") -> ImportReport:
    """Add a register's units to the store; see the module's notes.

    Returns
    -------
    ImportReport
        ``matched`` counts the register's units in the store after the import,
        ``unmatched`` its rows outside the store's region or without a parent.
    """
    old = store.units(geometry=True)
    tops = top_units(old)
    if is_shipped(path):
        stored = set(old["code"])
        # A county under a code newer than 2016 is in the register under its old one.
        old_codes = [was for was, now in code_crosswalk().items() if now in stored]
        register = shipped_register([code_prefix(c) for c in tops["code"]] + old_codes)
    else:
        register = read_register(path, sheet=sheet)
    new, left_out = covered_units(register, store.programme)
    new = _with_current_codes(new, set(old["code"]))
    new["parent_code"] = _parents(new, set(old["code"]))
    outside = new["parent_code"].isna() & ~new["code"].isin(old["code"])
    new_in = new[~outside & ~new["code"].isin(tops["code"])]
    units, renamed, added = _merged(old, new_in)
    retired = _absent(old, new[~outside])
    kept = _with_figures(store, retired)
    if retire and len(retired):
        retired = retired[~retired["code"].isin(kept)]
        units = units[~units["code"].isin(retired["code"])]

    warnings = [Sentence("register_result", added=added, renamed=renamed,
                         retired=len(retired) if retire else 0)]
    if any(left_out.values()):
        warnings.append(Sentence("warn_register_not_covered", programme=store.programme.name_zh,
                                 **left_out))
    if retire and kept:
        warnings.append(Sentence("warn_register_kept_figures", count=len(kept),
                                 units=", ".join(sorted(kept)[:5])
                                 + (" …" if len(kept) > 5 else "")))
    if len(retired):
        warnings.append(Sentence("warn_register_retired" if retire else "warn_register_lacks",
                                 count=len(retired),
                                 units=", ".join(f"{c} {n}" for c, n in
                                                 zip(retired["code"][:5], retired["name"][:5]))
                                 + (" …" if len(retired) > 5 else "")))
    levels = set(new_in["level"])
    report = ImportReport(
        file=str(path), kind="units", level=", ".join(lv for lv in LEVELS if lv in levels),
        region=region_label(old), rows_read=len(register), matched=len(new_in),
        unmatched=[unmatched_row(int(r.source_row), code=r.code, name=r.name, candidates=[],
                                 reason=_outside(r.code))
                   for r in new[outside].itertuples()],
        warnings=warnings, dry_run=dry_run)
    refuse_if_strict(report, strict, "parent")
    if not dry_run:
        record = ImportRecord(kind="units", file=str(path), sha256=file_sha256(path),
                              as_of=REGISTER_DATE if is_shipped(path) else None,
                              level=report.level, rows_read=report.rows_read,
                              matched=report.matched, report=report.as_dict(), who=who)
        layer = typed_layer(units.reset_index(drop=True), UNIT_COLUMNS,
                            ("population", "households"))
        report.import_id = store.replace_units(layer, record, unmatched_frame(report))
    return report


def _outside(code: str) -> Phrase:
    return Phrase("register_outside_store", code=code)


def _with_current_codes(units: pd.DataFrame, stored: set[str]) -> pd.DataFrame:
    """Counties under today's code where the register's is old and the store has the
    new one (旬阳县 610928 → 旬阳市 610981); a store that has the old code keeps it."""
    crosswalk = {old: new for old, new in code_crosswalk().items()
                 if old not in stored and new in stored}
    units = units.copy()
    units["code"] = units["code"].map(lambda c: crosswalk.get(c, c))
    units["parent_code"] = units["parent_code"].map(lambda c: crosswalk.get(c, c))
    return units


def _parents(new: pd.DataFrame, stored: set[str]) -> list:
    """Each unit's parent in the store or the register: its own, else its nearest code
    ancestor there (a village whose township is not listed hangs on its county).
    None for a unit outside the store's region — and for everything under it: a
    neighbouring county's township never hangs on that county's row."""
    inside, parents = set(stored), {}
    for i in new["level"].map(LEVELS.index).sort_values(kind="stable").index:
        code, parent = new.at[i, "code"], new.at[i, "parent_code"]
        found = parent if parent in inside else next(
            (c for c in code_ancestors(code) if c in inside and c != code), None)
        parents[i] = found
        if found is not None:
            inside.add(code)
    return [parents[i] for i in new.index]


def _merged(old, new: pd.DataFrame):
    """The store's units with the register's: renamed where the register says so,
    the new ones without geometry.  Returns (units, renamed count, added count)."""
    units = old.copy()
    at = dict(zip(units["code"], units.index))
    renamed = 0
    for row in new.itertuples(index=False):
        i = at.get(row.code)
        if i is None:
            continue
        was = units.at[i, "name"]
        if was != row.name:
            aliases = split_aliases(units.at[i, "aliases"])
            if row.level in RENAMED_LEVELS:
                units.at[i, "name"], aliases = row.name, [*aliases, was]
                renamed += 1
            else:
                aliases.append(row.name)
            units.at[i, "aliases"] = join_aliases(aliases)
        for column in ("population", "households"):
            if pd.notna(getattr(row, column)):
                units.at[i, column] = getattr(row, column)
    added = new[~new["code"].isin(at)]
    if len(added):
        added = added.assign(geometry=None)[UNIT_COLUMNS + ["geometry"]]
        units = pd.concat([units, added], ignore_index=True)
    return units, renamed, len(added)


def _with_figures(store: Store, units: pd.DataFrame) -> set[str]:
    """Of ``units``, those with figures, and the townships over such villages: never
    retired (nothing already stored is lost)."""
    if units.empty:
        return set()
    figures = set(store.progress()["unit_code"]) & set(units["code"])
    parents = dict(zip(units["code"], units["parent_code"]))
    return figures | {parents[c] for c in figures if parents.get(c) in parents}


def _absent(old, new: pd.DataFrame) -> pd.DataFrame:
    """Stored townships and villages a register lacks, where it claims to be complete:
    the villages of the townships it lists villages of, and the townships (with their
    villages) of the counties it lists as rows of their own (a county's whole list)."""
    towns = set(new.loc[new["level"] == "village", "parent_code"]) | set(
        new.loc[new["level"] == "township", "code"])
    counties = set(new.loc[new["level"] == "county", "code"])
    villages = old[(old["level"] == "village") & old["parent_code"].isin(towns)]
    townships = old[(old["level"] == "township") & old["parent_code"].isin(counties)]
    gone_towns = townships[~townships["code"].isin(new["code"])]
    under_gone = old[(old["level"] == "village") & old["parent_code"].isin(gone_towns["code"])]
    absent = pd.concat([gone_towns, villages, under_gone]).drop_duplicates("code")
    return absent[~absent["code"].isin(new["code"])]
