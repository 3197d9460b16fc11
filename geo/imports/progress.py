"""The progress import: a ledger (台账) in, joined to the store's units, stored in one
transaction.

Like every importer of this package, :func:`import_ledger` reads the file, joins
it, builds a report of everything a person should look at, and stores the lot —
or, with ``dry_run``, only reports.  Rows that do not join are kept in
``unmatched``, never dropped; with ``strict`` they refuse the whole file instead.
A file that joins fewer than :data:`~geo.imports.causes.MIN_JOIN_RATE` of its rows
stores no figure — its import is recorded, refused, with why cause by cause —
unless ``partial`` lands the matched rows anyway.
:func:`geo.actions.import_file` is how the edges call it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from geo.accounts import Account
from geo.errors import InputError
from geo.i18n.errors import (
    Sentence, stored_reason,
)
from geo.join import join_ledger
from geo.names import NameIndex
from geo.ledger import Ledger, read_ledger
from geo.programme import Programme
from geo.store import ImportRecord, Store
from geo.imports.causes import (
    OUTSIDE_THE_PROGRAMME, JoinRefused, join_causes, title_outside_cause, too_few_joined,
)
from geo.imports.report import ImportReport, file_sha256
from geo.imports.scope import join_scope


def import_ledger(store: Store, path: str | Path, *, level: str | None = None,
                  region: str | None = None, as_of: dt.date | None = None,
                  sheet: str | None = None, encoding: str | None = None,
                  dry_run: bool = False, strict: bool = False, partial: bool = False,
                  who: str = "", account: Account | None = None,
                  progress=None) -> ImportReport:
    """Import a progress ledger (台账) into the store.

    Parameters
    ----------
    store
        The store; its programme says which columns are items.
    path
        xlsx, xls or csv, laid out as offices keep them.
    level, region
        The level of the ledger's rows and the region they lie in; by
        default the header word (or the codes) says the level.  The unit the
        ledger's 填报单位 line or title starts with narrows the region, or is
        it when none is given (else the store's top unit):
        :func:`geo.imports.scope.join_scope`.
    as_of
        The date of the figures; by default the ledger's 截至 row.
    dry_run, strict
        Report only; refuse the whole file when any row is unmatched.
    partial
        Land the matched rows even when fewer than
        :data:`~geo.imports.causes.MIN_JOIN_RATE` of the rows joined.
    who, account
        Who imports, for the audit trail; with an ``account``, a row outside
        its region refuses the whole file (an editor edits their region only).
    progress
        Called as ``progress(fraction, stage)`` between the stages (read,
        join, store) so that an app can show a bar for a large file.

    Raises
    ------
    InputError
        The file cannot be read, has no date, or (``strict``) has unmatched rows.
    JoinRefused
        Too few rows joined (and not ``partial``): the import is recorded with
        its report and unmatched rows (not on a dry run), no figure stored.
    AccessError
        A row lies outside the account's region, or the account may not import.
    """
    step = progress or (lambda fraction, stage: None)
    step(0.0, "read")
    units = store.units()
    ledger = read_ledger(path, store.programme, sheet=sheet, encoding=encoding)
    step(0.6, "join")
    as_of = as_of or ledger.as_of
    if as_of is None:
        raise InputError(reason="no_as_of", param="as_of", file=str(path))
    scope = join_scope(units, region, reporting_unit=ledger.reporting_unit,
                       title=ledger.title)
    top = scope.region
    joined = join_ledger(_parents_inside(ledger.rows, top), units, region_code=top["code"],
                         level=level, programme=store.programme)
    if account is not None:
        account.check_rows(units, joined.matched, file=str(path))
        who = who or account.name
    values = ledger.values.merge(joined.matched, on="source_row", how="inner")
    values = values.assign(as_of=as_of.isoformat())
    if ledger.values.empty and not dry_run:
        raise InputError(reason="no_figures", param="file", file=str(path))
    report = ImportReport(
        file=str(path), kind="progress", as_of=as_of, level=joined.level,
        region=f"{top['code']} {top['name']}", rows_read=len(ledger.rows),
        matched=len(joined.matched),
        unmatched=joined.unmatched.to_dict("records"),
        warnings=list(ledger.warnings) + _targetless(ledger, store.programme),
        total_checks=list(ledger.total_checks),
        dropped_columns=list(ledger.dropped_columns),
        ignored_columns=list(ledger.ignored_columns),
        values_stored=len(values), dry_run=dry_run, scope_source=scope.source,
    )
    not_covered = int(joined.unmatched["reason_key"].isin(OUTSIDE_THE_PROGRAMME).sum())
    too_few = too_few_joined(report.matched, report.rows_read - not_covered)
    if too_few or scope.outside:
        report.causes = _causes(joined, units, scope, too_few=too_few)
    report.refused, report.partial = too_few and not partial, too_few and partial
    if report.refused:
        report.values_stored, values = 0, values.iloc[:0]
    if strict and report.unmatched:
        first = report.unmatched[0]
        raise InputError(reason="strict_unmatched_units", param="strict", file=str(path),
                         row=first["source_row"], count=len(report.unmatched),
                         name=first.get("name"), why=stored_reason(first),
                         details=[report])
    step(0.8, "store")
    if not dry_run:
        unmatched = joined.unmatched.assign(raw=joined.unmatched["source_row"].map(
            _raw_rows(ledger, joined.unmatched["source_row"])))
        record = ImportRecord(kind="progress", file=str(path), sha256=file_sha256(path),
                              as_of=as_of, level=joined.level, rows_read=report.rows_read,
                              matched=report.matched, report=report.as_dict(), who=who)
        report.import_id = store.record_import(record, values, unmatched)
    step(1.0, "done")
    if report.refused:
        raise JoinRefused(report)
    return report


def _causes(joined, units, scope, *, too_few: bool) -> list[dict]:
    """Why rows did not join, grouped, when too few did; a title naming a unit outside
    the region given, first, whenever it does."""
    causes = [title_outside_cause(scope.named, scope.region)] if scope.outside else []
    if too_few:
        causes += join_causes(joined.unmatched, units, region=scope.region,
                              level=joined.level, title_unit=scope.named)
    return causes


def _parents_inside(rows: pd.DataFrame, region: pd.Series) -> pd.DataFrame:
    """The rows without a parent that names the region itself (a township's own
    ledger with a 苏木乡镇 column): the join looks for parents below the region."""
    itself = NameIndex(region.to_frame().T)
    named = rows["parent_name"].map(lambda p: isinstance(p, str) and bool(itself.lookup(p)))
    return rows.assign(parent_name=rows["parent_name"].where(~named, None))


def _targetless(ledger: Ledger, programme: Programme) -> list[str]:
    """Count rows with work done but no target: they cannot count towards completion."""
    counts = {i.key: i for i in programme.items if i.measure != "share"}
    values = ledger.values
    bad = values[values["item"].isin(set(counts)) & values["target"].isna()
                 & values["completed"].notna() & values["status"].ne("na")]
    return [Sentence("warn_no_target", row=r.source_row, item=r.item,
                     item_zh=counts[r.item].zh, done=r.completed)
            for r in bad.itertuples()]


def _raw_rows(ledger: Ledger, rows: pd.Series) -> dict[int, str]:
    """The figures of the given rows as read, for ``unmatched`` (no personal data)."""
    values = ledger.values[ledger.values["source_row"].isin(rows)]
    return {
        row: json.dumps(
            {r.item: {k: getattr(r, k) for k in ("target", "started", "completed", "status")
                      if pd.notna(getattr(r, k))}
             for r in frame.itertuples(index=False)},
            ensure_ascii=False, default=str)
        for row, frame in values.groupby("source_row")
    }
