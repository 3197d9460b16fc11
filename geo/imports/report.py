"""What every kind of import gives back: its :class:`ImportReport` (for people and for
the store), the file's fingerprint, and the region its rows are joined inside."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.errors import UsageError
from geo.i18n.errors import (
    Sentence, level_word, report_word, said, stored_reason, stored_sentence,
)
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
    scope_source: str | None = None
    """What named the region the rows joined inside when no ``--region`` did, or
    narrowed the one given: ``title`` or ``reporting_unit`` (填报单位), else None."""
    causes: list[dict] = field(default_factory=list)
    """Why rows did not join, grouped (:func:`geo.imports.causes.join_causes`), when
    too few joined: ``{"key", "count", "fields"}``, the largest first."""
    refused: bool = False
    """Too few rows joined (:data:`geo.imports.causes.MIN_JOIN_RATE`): nothing stored."""
    partial: bool = False
    """Too few rows joined, and the matched rows landed anyway (``--partial``)."""

    def as_dict(self) -> dict:
        """What the store keeps: the fields as they are, the warnings as English text (as
        reports always stored them) and, beside them, their words (``warning_words``:
        ``{"key", "fields"}``, or None for a warning without words)."""
        return {**self.__dict__, "warnings": [str(w) for w in self.warnings],
                "warning_words": [w.as_dict() if isinstance(w, Sentence) else None
                                  for w in self.warnings]}

    def lines(self, lang: str = "en", *, page: bool = False) -> list[str]:
        """The report for a person, one line each, in ``lang`` (zh or en); a fix names
        the command line's flags, or with ``page`` the page's controls.

        The words are ``data/words/reports.toml``'s, the join's reasons and the
        readers' warnings ``data/words/errors.toml``'s phrases; what the file itself
        says (names, labels) is shown as written, and an old import's reasons and
        warnings (stored without words) as it recorded them.
        """
        def say(key: str, **fields) -> str:
            return report_word(key, lang).format(**fields)

        if self.refused:
            head = refusal_head(self, lang)
        else:
            what = (say("report_would_import") if self.dry_run
                    else say("report_import", import_id=self.import_id))
            head = (say("report_head", file=self.file, what=what, rows_read=self.rows_read,
                        matched=self.matched, unmatched=len(self.unmatched))
                    + (say("report_figures", values_stored=self.values_stored,
                           as_of=self.as_of) if self.as_of else ""))
        out = [head + (say("report_level", level=level_word(self.level, lang),
                           region=self.region) if self.level else "")]
        if self.scope_source:
            out.append("  " + say("report_scope", region=self.region,
                                  source=report_word(f"scope_{self.scope_source}", lang)))
        if self.partial:
            out.append("  " + partial_line(self, lang))
        out += ["  " + cause_line(c, self.rows_read, lang, page=page) for c in self.causes]
        if self.refused:
            hint = "report_partial_hint_page" if page else "report_partial_hint"
            out.append("  " + say(hint, matched=self.matched))
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

    def detail_lines(self, lang: str = "en", *, page: bool = False) -> list[str]:
        """The report's lines below its first: what an error refusing the file lists."""
        return self.lines(lang, page=page)[1:]


def refusal_head(report: ImportReport, lang: str) -> str:
    """A refused import's first line: how few rows joined, and that nothing landed."""
    from geo.imports.causes import MIN_JOIN_RATE

    what = (report_word("report_refused_would", lang) if report.dry_run else
            report_word("report_refused_recorded", lang).format(import_id=report.import_id))
    return report_word("report_refused", lang).format(
        file=report.file, what=what, rows_read=report.rows_read, matched=report.matched,
        rate=_percent(report.matched, report.rows_read), needed=f"{MIN_JOIN_RATE:.0%}")


def partial_line(report: ImportReport, lang: str) -> str:
    from geo.imports.causes import MIN_JOIN_RATE

    return report_word("report_partial", lang).format(
        matched=report.matched, unmatched=len(report.unmatched),
        rate=_percent(report.matched, report.rows_read), needed=f"{MIN_JOIN_RATE:.0%}")


def cause_line(cause: dict, rows: int, lang: str, *, page: bool = False) -> str:
    """One cause of unmatched rows (:func:`geo.imports.causes.join_causes`) and its fix."""
    from geo.i18n import t

    fields = dict(cause["fields"])
    for name in ("level", "parent_level", "grand_level"):
        if fields.get(name):
            fields[name] = level_word(fields[name], lang)
    if "reason_row" in fields:
        fields["reason"] = said(stored_reason(fields["reason_row"]), lang)
    fields["kind_units"] = t("kind_units", lang)
    key = cause["key"]
    fix = f"fix_{key}_page" if page and _has_word(f"fix_{key}_page") else f"fix_{key}"
    why = report_word(f"cause_{key}", lang).format(**fields)
    fix = report_word(fix, lang).format(**fields)
    if not cause["count"]:
        return report_word("report_cause_plain", lang).format(why=why, fix=fix)
    return report_word("report_cause", lang).format(count=cause["count"], rows=rows,
                                                    why=why, fix=fix)


def _has_word(key: str) -> bool:
    try:
        report_word(key, "en")
    except KeyError:
        return False
    return True


def _percent(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "–"


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


def region_of(units: pd.DataFrame, region: str | None, reporting_unit: str | None) -> pd.Series:
    """The region a file's rows are joined inside: the one asked for, else the file's
    填报单位 when it names a unit, else the store's top unit."""
    if region:
        return find_region(units, region)
    if reporting_unit:
        try:
            return find_region(units, reporting_unit)
        except UsageError:
            pass  # 填报单位 is often an office (XX旗扶贫办), not a unit: use the store's top
    return find_region(units, None)
