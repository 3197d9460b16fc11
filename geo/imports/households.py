"""Household records in: a register extract joined to villages, kept as counts.

``python cli.py import FILE --kind households``: each household is tested
against the programme's household exit rules as the file is read; what the
store keeps is, per village, how many households and people there are, how
many are poor, exited, returned, due to exit in the year, and how many of
those due fail each criterion — and the HMACs of ID numbers when a key is
set.  No name, ID number, phone or address reaches the join, the report, the
store or its ``unmatched`` table.
"""

from __future__ import annotations

import json

import pandas as pd

from geo.accounts import Account
from geo.exit.criteria import household_tests
from geo.exit.households import read_households
from geo.i18n.errors import Sentence
from geo.imports.report import ImportReport, file_sha256
from geo.imports.common import refuse_if_strict
from geo.imports.villages import join_villages, poverty_store
from geo.store import VILLAGE_TABLES, ImportRecord, Store

POOR = ("poor", "returned")


def import_households(store: Store, path, *, year: int, region: str | None = None,
                      sheet: str | None = None, encoding: str | None = None,
                      id_key: bytes | None = None, dry_run: bool = False,
                      strict: bool = False, who: str = "",
                      account: Account | None = None) -> ImportReport:
    """Import a 建档立卡 extract as village counts for ``year``.

    Parameters
    ----------
    store
        A store of the ``poverty_exit`` programme (its household rules).
    path, sheet, encoding
        The extract, as :func:`geo.exit.households.read_households` reads it.
    year
        The exit year the figures are for (the income line; who is due).
    region
        Where the villages are looked for; default the store's top unit.
    id_key
        The HMAC key for ID numbers (``COVERMAP_ID_KEY``); None keeps none.
    dry_run, strict, who, account
        As for :func:`geo.imports.progress.import_ledger`.

    Raises
    ------
    InputError
        The file cannot be read, or (``strict``) a village does not join.
    AccessError
        A village lies outside the account's region.
    """
    poverty_store(store, "households")
    read = read_households(path, sheet=sheet, encoding=encoding, id_key=id_key)
    joined = join_villages(read.households, store, region=region, file=str(path),
                           account=account)
    who = who or (account.name if account else "")
    households, top = joined.rows, joined.region
    counts = village_counts(households.dropna(subset=["unit_code"]), store, year=year,
                            region_code=top["code"])
    unmatched = _unmatched(joined.unmatched, households)
    report = ImportReport(
        file=str(path), kind="households", level="village",
        # Counted in households, as "matched" is (person rows are grouped first).
        region=f"{top['code']} {top['name']}", rows_read=len(households),
        matched=int(households["unit_code"].notna().sum()),
        unmatched=unmatched.drop(columns="raw").to_dict("records"),
        warnings=read.warnings + _repeats(households, store),
        dropped_columns=read.dropped_columns, values_stored=len(counts), dry_run=dry_run)
    refuse_if_strict(report, strict, "village")
    if not dry_run:
        keys = households.dropna(subset=["unit_code"]).explode("id_hmacs").dropna(
            subset=["id_hmacs"]).rename(columns={"id_hmacs": "id_hmac"})
        record = ImportRecord(kind="households", file=str(path), sha256=file_sha256(path),
                              as_of=None, level="village", rows_read=len(households),
                              matched=report.matched, report=report.as_dict(), who=who)
        report.import_id = store.record_village_figures(
            record, "households", counts, keys=keys[["unit_code", "id_hmac"]],
            unmatched=unmatched)
    return report


def village_counts(households: pd.DataFrame, store: Store, *, year: int,
                   region_code: str) -> pd.DataFrame:
    """Per village (``unit_code``): the figures of ``VILLAGE_TABLES["households"]``.

    Households due in ``year`` are those marked exited (or planned to exit)
    that year; each is tested against the household rules, and ``due_failing``
    counts those that fail any criterion, ``fail_*`` those failing each.
    """
    poor = households["status"].isin(POOR)
    due = households["exit_year"].eq(year)
    tests = household_tests(households[due].assign(code=households.index[due].astype(str)),
                            store.programme, year=year, region_code=region_code)
    failing = tests[tests["passes"].eq(False).fillna(False)]
    failed = {c: set(failing.loc[failing["criterion"].isin(names), "code"].astype(int))
              for c, names in (("income", ["income"]), ("two_assurances", ["food", "clothing"]),
                               ("education", ["education"]), ("medical", ["medical"]),
                               ("housing", ["housing"]))}
    figures = pd.DataFrame({
        "unit_code": households["unit_code"],
        "households": 1.0, "people": households["people"],
        "poor_households": poor.astype(float),
        "poor_people": households["people"].where(poor, 0.0),
        "exited_households": households["status"].eq("exited").astype(float),
        "returned_households": households["status"].eq("returned").astype(float),
        "due_households": due.astype(float),
        "due_people": households["people"].where(due, 0.0),
        "due_failing": households.index.isin(set().union(*failed.values())).astype(float),
        **{f"fail_{c}": households.index.isin(codes).astype(float)
           for c, codes in failed.items()},
    })
    counts = figures.groupby("unit_code", sort=True)[VILLAGE_TABLES["households"]].sum()
    counts = counts.reset_index()
    return counts.assign(year=year)


def _unmatched(rows: pd.DataFrame, households: pd.DataFrame) -> pd.DataFrame:
    """Villages that did not join, each with its counts only: never a household's details."""
    lost = households[households["unit_code"].isna()]
    sizes = lost.groupby("village_key").agg(households=("people", "size"),
                                            people=("people", "sum"))
    first = lost.groupby("village_key")["source_row"].min()
    raw = {int(first[k]): json.dumps({"households": int(n), "people": float(p)})
           for k, (n, p) in sizes.iterrows()}
    return rows.assign(raw=rows["source_row"].map(raw))


def _repeats(households: pd.DataFrame, store: Store) -> list[str]:
    """Warnings for ID numbers (by HMAC) already in the store or twice in the file."""
    hmacs = households["id_hmacs"].explode().dropna()
    if hmacs.empty:
        return []
    warnings = []
    twice = hmacs[hmacs.duplicated()]
    if len(twice):
        warnings.append(Sentence("warn_ids_twice", count=len(twice)))
    earlier = set(store.household_keys()["id_hmac"])
    again = hmacs[hmacs.isin(earlier)]
    if len(again):
        warnings.append(Sentence("warn_ids_earlier", count=len(again)))
    return warnings

