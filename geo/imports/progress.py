"""The progress import: a ledger (台账) in, joined to the store's units, stored in one
transaction — and the :class:`ImportReport` every kind of import gives.

Like every importer of this package, :func:`import_ledger` reads the file, joins
it, builds a report of everything a person should look at, and stores the lot —
or, with ``dry_run``, only reports.  Rows that do not join are kept in
``unmatched``, never dropped; with ``strict`` they refuse the whole file instead.
:func:`geo.actions.import_file` is how the edges call it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.accounts import Account
from geo.errors import InputError, UsageError
from geo.i18n.errors import (
    Sentence, level_word, report_word, said, stored_reason, stored_sentence,
)
from geo.join import join_ledger
from geo.ledger import Ledger, read_ledger
from geo.programme import Programme
from geo.store import ImportRecord, Store
from geo.units import find_region


@dataclass
class ImportReport:
    """What an import did, for people (``lines``) and for the store (``as_dict``)."""

    file: str
    kind: str
    as_of: dt.date | None = None
    level: str | None = None
    region: str | None = None
    rows_read: int = 0
    matched: int = 0
    unmatched: list[dict] = field(default_factory=list)
    """Rows that joined nothing: what they said, and why (``reason`` in English,
    ``reason_key`` and ``reason_fields`` its words: see :func:`geo.join.join_ledger`)."""
    warnings: list[str] = field(default_factory=list)
    """Each a :class:`~geo.i18n.errors.Sentence` (English, with its words), or a plain
    English sentence from a reader that has no words for it yet."""
    total_checks: list[dict] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    found: str = ""
    """What a findings sheet brought (visits, problems, status changes), in words."""
    found_counts: dict = field(default_factory=dict)
    """The same as figures: ``round`` (or None), ``visits``, ``problems``, ``events``."""
    values_stored: int = 0
    import_id: int | None = None
    dry_run: bool = False

    def as_dict(self) -> dict:
        """What the store keeps: the fields as they are, the warnings as English text (as
        reports always stored them) and, beside them, their words (``warning_words``:
        ``{"key", "fields"}``, or None for a warning without words)."""
        return {**self.__dict__, "warnings": [str(w) for w in self.warnings],
                "warning_words": [w.as_dict() if isinstance(w, Sentence) else None
                                  for w in self.warnings]}

    def lines(self, lang: str = "en") -> list[str]:
        """The report for a person, one line each, in ``lang`` (zh or en).

        The words are ``data/words/reports.toml``'s, the join's reasons and the
        readers' warnings ``data/words/errors.toml``'s phrases; what the file itself
        says (names, labels) is shown as written, and an old import's reasons and
        warnings (stored without words) as it recorded them.
        """
        def say(key: str, **fields) -> str:
            return report_word(key, lang).format(**fields)

        what = (say("report_would_import") if self.dry_run
                else say("report_import", import_id=self.import_id))
        out = [
            say("report_head", file=self.file, what=what, rows_read=self.rows_read,
                matched=self.matched, unmatched=len(self.unmatched))
            + (say("report_figures", values_stored=self.values_stored, as_of=self.as_of)
               if self.as_of else "")
            + (say("report_level", level=level_word(self.level, lang), region=self.region)
               if self.level else ""),
        ]
        if self.found_counts:
            out.append("  " + found_line(self.found_counts, lang))
        elif self.found:
            out.append(f"  {self.found}")
        for row in self.unmatched:
            hint = (say("report_candidates", candidates=row["candidates"])
                    if row.get("candidates") else "")
            out.append("  " + say("report_unmatched", row=row["source_row"],
                                  label=row.get("name") or row.get("code"),
                                  reason=said(stored_reason(row), lang), hint=hint))
        for check in self.total_checks:
            out.append("  " + say("report_total_ok" if check.get("ok") else "report_total_wrong",
                                  row=check.get("row"), label=check.get("label")))
        out += ["  " + say("report_warning", warning=said(w, lang)) for w in self.warnings]
        join = "、" if lang == "zh" else ", "
        if self.dropped_columns:
            out.append("  " + say("report_dropped", columns=join.join(self.dropped_columns)))
        if self.ignored_columns:
            out.append("  " + say("report_ignored", columns=join.join(self.ignored_columns)))
        return out

    def detail_lines(self, lang: str = "en") -> list[str]:
        """The report's lines below its first: what an error refusing the file lists."""
        return self.lines(lang)[1:]


def found_line(counts: dict, lang: str) -> str:
    """What a findings sheet brought (``found_counts``), in ``lang``."""
    head = (report_word("report_found_round", lang).format(round=counts["round"])
            if counts.get("round") is not None else "")
    return head + report_word("report_found", lang).format(
        visits=counts["visits"], problems=counts["problems"], events=counts["events"])


def unmatched_in(unmatched: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The store's unmatched rows as a page shows them: each reason in ``lang`` (an
    old import's as it stored it), without its words' key and fields."""
    reasons = [said(stored_reason(row), lang) for row in unmatched.to_dict("records")]
    return unmatched.assign(reason=pd.Series(reasons, index=unmatched.index, dtype=object)) \
        .drop(columns=["reason_key", "reason_fields"], errors="ignore")


def report_in(stored: dict, lang: str) -> dict:
    """An import's report as the store keeps it (:meth:`ImportReport.as_dict`, or an
    undo's or a round's), as a page shows it: its unmatched rows' reasons and its
    warnings (and what a findings sheet brought) said in ``lang``, without their
    words' keys and fields."""
    shown = {k: v for k, v in stored.items() if k != "warning_words"}
    if stored.get("found_counts"):
        shown["found"] = found_line(stored["found_counts"], lang)
    if isinstance(stored.get("unmatched"), list):
        shown["unmatched"] = [
            {**{k: v for k, v in row.items() if k not in ("reason_key", "reason_fields")},
             "reason": said(stored_reason(row), lang)} for row in stored["unmatched"]]
    if isinstance(stored.get("warnings"), list):
        words = stored.get("warning_words") or [None] * len(stored["warnings"])
        shown["warnings"] = [said(stored_sentence(w, said_as), lang)
                             for w, said_as in zip(stored["warnings"], words)]
    return shown


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_ledger(store: Store, path: str | Path, *, level: str | None = None,
                  region: str | None = None, as_of: dt.date | None = None,
                  sheet: str | None = None, encoding: str | None = None,
                  dry_run: bool = False, strict: bool = False,
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
        default the header word (or the codes) says the level, and the
        ledger's 填报单位, else the store's top unit, the region.
    as_of
        The date of the figures; by default the ledger's 截至 row.
    dry_run, strict
        Report only; refuse the whole file when any row is unmatched.
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
    top = _region_of(units, region, ledger.reporting_unit)
    joined = join_ledger(ledger.rows, units, region_code=top["code"], level=level)
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
        values_stored=len(values), dry_run=dry_run,
    )
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
    return report


def _targetless(ledger: Ledger, programme: Programme) -> list[str]:
    """Count rows with work done but no target: they cannot count towards completion."""
    counts = {i.key: i for i in programme.items if i.measure != "share"}
    values = ledger.values
    bad = values[values["item"].isin(set(counts)) & values["target"].isna()
                 & values["completed"].notna() & values["status"].ne("na")]
    return [Sentence("warn_no_target", row=r.source_row, item=r.item,
                     item_zh=counts[r.item].zh, done=r.completed)
            for r in bad.itertuples()]


def _region_of(units: pd.DataFrame, region: str | None, reporting_unit: str | None) -> pd.Series:
    if region:
        return find_region(units, region)
    if reporting_unit:
        try:
            return find_region(units, reporting_unit)
        except UsageError:
            pass  # 填报单位 is often an office (XX旗扶贫办), not a unit: use the store's top
    return find_region(units, None)


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
