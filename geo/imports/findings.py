"""Supervision findings in (督查问题清单), and the counties' rectification back (整改台账).

``python cli.py import FILE --kind findings`` reads a sheet as teams hand it in — the
round's visit list (``plan-round``) filled in, or their own: a title row, then one
row per village — 旗县区, 苏木乡镇, 嘎查村 (or 村代码), 督查日期, 督查组 and, where
something was found, 问题类别 (进度, 质量, 资金, 信访), 问题描述, 严重程度, 责任单位,
整改时限.  A row with a date and no problem records the visit alone; a row with
neither, a village not visited.  A row with a 问题编号 (the rectification ledger
exported by ``problems --format xlsx``, filled in) changes that problem's status:
整改状态, 整改日期, 整改情况.

Each visit, problem and status change is stored with the import, so an undo sets
the whole sheet aside.  ID- and phone-shaped numbers in a description (a 信访 names
a petitioner) are masked as the file is read.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pandas as pd

from geo.accounts import Account
from geo.errors import InputError
from geo.exit.households import PLACE_FIELDS, cell_problem, raise_cell_problems, sheet_cells
from geo.imports.report import ImportReport, file_sha256
from geo.imports.common import refuse_if_strict
from geo.imports.villages import join_villages
from geo.i18n.errors import Phrase
from geo.io_fields import cell_text, code_text
from geo.ledger.sheets import is_date
from geo.supervision.problems import (
    CATEGORIES, SEVERITIES, problem_status, transition_problem,
)
from geo.store import IMPORT_ID_TOKEN, ImportRecord, Store

FINDING_FIELDS = {
    **PLACE_FIELDS,
    "round": ("轮次", "督查轮次", "督导轮次"),
    "found_on": ("督查日期", "督导日期", "检查日期", "发现日期", "日期"),
    "team": ("督查组", "督导组", "检查组", "组别"),
    "category": ("问题类别", "问题类型", "类别"),
    "description": ("问题描述", "存在问题", "具体问题", "问题表现", "发现问题"),
    "severity": ("严重程度", "问题等级", "等级"),
    "responsible": ("责任单位", "整改责任单位"),
    "deadline": ("整改时限", "整改期限", "完成时限"),
    "problem_id": ("问题编号",),
    "status": ("整改状态", "状态"),
    "status_on": ("整改日期", "销号日期", "核查日期"),
    "note": ("整改情况", "整改说明", "核查情况"),
}
# Words offices use for each category, severity and status (contained in the cell).
CATEGORY_WORDS = {"progress": ("进度",), "quality": ("质量",), "funds": ("资金",),
                  "complaints": ("信访", "投诉", "群众反映")}
SEVERITY_WORDS = {"severe": ("严重", "重大"), "major": ("较重", "较大"), "minor": ("一般",)}
# A status cell's words, tried in this order: the negated forms before the words
# they contain (已整改，待销号 is rectified, not verified; 未整改完成 is not rectified).
STATUS_READINGS = (("未整改", "open"), ("未完成", "in_progress"), ("整改中", "in_progress"),
                   ("正在整改", "in_progress"), ("重新整改", "reopened"), ("返工", "reopened"),
                   ("未通过", "reopened"), ("待销号", "rectified"), ("未销号", "rectified"),
                   ("已销号", "verified"), ("验收通过", "verified"), ("已核实", "verified"),
                   ("已整改", "rectified"), ("整改完成", "rectified"), ("已完成", "rectified"))
STATUS_NAMES = ("未整改", "整改中", "已整改", "已销号", "重新整改")
NOTHING_FOUND = ("无", "未发现问题", "无问题", "—", "-")
EARLIEST = dt.date(2000, 1, 1)
_DATE = re.compile(r"(\d{4})\s*(?:年|[-./])\s*(\d{1,2})\s*(?:月|[-./])\s*(\d{1,2})")
# 18-digit ID numbers and 11-digit mobile numbers, not part of a longer number.
_PERSONAL_NUMBER = re.compile(r"(?<!\d)(?:\d{17}[\dXx]|1[3-9]\d{9})(?!\d)")


def import_findings(store: Store, path, *, region: str | None = None,
                    sheet: str | None = None, encoding: str | None = None,
                    dry_run: bool = False, strict: bool = False, who: str = "",
                    account: Account | None = None) -> ImportReport:
    """Import a findings sheet: visits, new problems and status changes.

    Raises
    ------
    InputError
        The file cannot be read, or any cell is not what it should be (a date, a
        category, a known problem, a status the problem may go to) — every one
        listed, nothing stored.
    """
    rows = read_findings(path, sheet=sheet, encoding=encoding)
    file = Path(path).name
    sha256 = file_sha256(path)
    _refuse_twice(store, sha256, file)
    updates = rows[rows["problem_id"].notna()]
    found = rows[rows["problem_id"].isna()]
    joined = join_villages(found, store, region=region, file=str(path), account=account)
    matched = joined.rows.dropna(subset=["unit_code"])
    planned = pd.to_numeric(store.records("visits")["round"], errors="coerce").max()
    # The sheet's 轮次, else its title's 第N轮, else the latest round planned.
    default_round = rows.attrs.get("round") or (int(planned) if pd.notna(planned) else 1)
    matched = matched.assign(round=matched["round"].fillna(default_round).astype(int))
    problems = matched[matched["has_problem"]].reset_index(drop=True)
    _refuse_known(problems, store.records("problems"), file)
    problems = problems.assign(problem_id=[f"{IMPORT_ID_TOKEN}-{n}"
                                           for n in range(1, len(problems) + 1)])
    visits = matched.drop_duplicates(["unit_code", "found_on", "team"])
    events = _status_changes(updates, store, file=file, account=account)
    report = ImportReport(
        file=str(path), kind="findings", level="village",
        region=f"{joined.region['code']} {joined.region['name']}", rows_read=len(rows),
        matched=len(matched) + len(events), unmatched=joined.unmatched.to_dict("records"),
        values_stored=len(problems) + len(events), dry_run=dry_run,
        found=f"round {_rounds(matched)}: " * (len(matched) > 0)
              + f"{len(visits)} village visits, {len(problems)} problems found, "
              f"{len(events)} status changes",
        found_counts={"round": _rounds(matched) if len(matched) else None,
                      "visits": len(visits), "problems": len(problems),
                      "events": len(events)})
    refuse_if_strict(report, strict, "village")
    if not dry_run:
        record = ImportRecord(kind="findings", file=str(path), sha256=sha256,
                              as_of=_latest(rows),
                              level="village", rows_read=len(rows), matched=report.matched,
                              report=report.as_dict(),
                              who=who or (account.name if account else ""))
        report.import_id = store.record_rows(record, {
            "visits": pd.DataFrame({
                "round": visits["round"], "unit_code": visits["unit_code"],
                "team": visits["team"], "reason": "visit",
                "visited_on": visits["found_on"].map(_iso)}),
            "problems": problems.assign(found_on=problems["found_on"].map(_iso),
                                        deadline=problems["deadline"].map(_iso)),
            "problem_events": events,
        }, unmatched=joined.unmatched)
    return report


def record_finding(store: Store, *, unit_code: str, found_on: dt.date, category: str,
                   description: str, severity: str = "minor", team: str = "",
                   responsible: str = "", deadline: dt.date | None = None,
                   round_number: int | None = None, who: str = "",
                   account: Account | None = None) -> int:
    """Record one problem entered on the page (a findings import of one row); its id.

    Raises
    ------
    InputError
        An unknown category or severity, a deadline before the visit, no description.
    """
    problems = []
    if category not in CATEGORIES:
        problems.append(InputError(reason="unknown_category", param="category", value=category,
                                   choices=list(CATEGORIES)))
    if severity not in SEVERITIES:
        problems.append(InputError(reason="unknown_severity", param="severity", value=severity,
                                   choices=list(SEVERITIES)))
    if deadline is not None and deadline < found_on:
        problems.append(InputError(reason="deadline_before_visit", param="deadline",
                                   deadline=deadline, found_on=found_on))
    if not (description or "").strip():
        problems.append(InputError(reason="no_description", param="description"))
    if problems:
        first = problems[0]
        raise InputError(reason=first.reason, param=first.param, value=first.value,
                         details=problems[1:], **first.fields)
    if account is not None:
        account.check_rows(store.units(), pd.DataFrame({"source_row": [1],
                                                        "unit_code": [unit_code]}),
                           file="the page")
    if round_number is None:
        rounds = pd.to_numeric(store.records("visits")["round"], errors="coerce")
        round_number = int(rounds.max()) if rounds.notna().any() else 1
    row = {"round": round_number, "unit_code": unit_code, "team": team or None}
    record = ImportRecord(kind="findings", file="", sha256="", as_of=found_on,
                          level="village", rows_read=1, matched=1,
                          report={"entered": "page"}, who=who)
    return store.record_rows(record, {
        "visits": pd.DataFrame([{**row, "reason": "visit", "visited_on": found_on.isoformat()}]),
        "problems": pd.DataFrame([{
            **row, "problem_id": f"{IMPORT_ID_TOKEN}-1", "found_on": found_on.isoformat(),
            "category": category, "description": _PERSONAL_NUMBER.sub("***", description),
            "severity": severity, "responsible": responsible or None,
            "deadline": deadline.isoformat() if deadline else None}]),
    })


def record_status(store: Store, problem_id: str, status: str, on: dt.date, *,
                  note: str = "", who: str = "", account: Account | None = None) -> int:
    """Record one problem's change of status entered on the page; the import's id.

    Raises
    ------
    InputError
        No such problem, a change the problem may not make, or a date before its
        last change.
    """
    update = pd.DataFrame([{"problem_id": problem_id, "status": status, "status_on": on,
                            "note": note or None, "source_row": 1}])
    events = _status_changes(update, store, file="", account=account)
    if events.empty:
        raise InputError(reason="status_already", param="status", status=status,
                         problem=problem_id)
    record = ImportRecord(kind="findings", file="", sha256="", as_of=on, level="village",
                          rows_read=1, matched=1, report={"entered": "page"}, who=who)
    return store.record_rows(record, {"problem_events": events})


def read_findings(path, *, sheet: str | None = None, encoding: str | None = None):
    """The sheet's rows: ``source_row``, the village's code and names, the fields of
    :data:`FINDING_FIELDS` read (dates as dates, words as keys), ``has_problem``."""
    file = Path(path).name
    rows, label, above = sheet_cells(
        path, FINDING_FIELDS, sheet=sheet, encoding=encoding,
        wanted=[w for f in ("found_on", "category", "description", "problem_id")
                for w in FINDING_FIELDS[f]],
        missing="no_findings_header")
    records, problems = [], []
    for number, cell in rows:
        record = _finding(cell, number, label, problems)
        # A village of a visit list with no date and nothing found was not visited.
        if record["found_on"] or record["problem_id"] or record["has_problem"] or \
                cell_text(cell.get("found_on")):
            records.append(record)
    raise_cell_problems(problems, file)
    rows = pd.DataFrame(records)
    if rows.empty:
        raise InputError(reason="no_rows", param="file", file=file)
    rows = rows.assign(county=rows["county"].ffill(), township=rows["township"].ffill())
    rows.attrs["round"] = _title_round(above)
    return rows


def _finding(cell: dict, number: int, label: dict, problems: list) -> dict:
    """One row read; each cell that cannot be read goes to ``problems``."""
    def bad(field, reason, **fields):
        problems.append(cell_problem(number, label.get(field, field), reason, **fields))

    text = {f: cell_text(cell.get(f)) for f in FINDING_FIELDS}
    record = {"source_row": number, "village_code": code_text(cell.get("village_code")),
              **{f: text[f] for f in ("county", "township", "village", "team",
                                      "responsible", "note")},
              "problem_id": text["problem_id"]}
    for field in ("found_on", "deadline", "status_on"):
        record[field] = _date(cell.get(field))
        if text[field] and record[field] is None:
            bad(field, "cell_not_date", value=text[field])
        elif record[field] is not None and not EARLIEST <= record[field] <= _latest_allowed():
            # One mistyped year (2061) would move the data's date, and every deadline.
            bad(field, "date_out_of_range", value=record[field])
            record[field] = None
    if record["deadline"] and record["found_on"] and record["deadline"] < record["found_on"]:
        bad("deadline", "deadline_before_visit", deadline=record["deadline"],
            found_on=record["found_on"])
    digits = re.search(r"\d+", text["round"] or "")
    record["round"] = int(digits.group()) if digits else None
    description = text["description"]
    record["description"] = _PERSONAL_NUMBER.sub("***", description) if description else None
    record["category"] = _word(text["category"], CATEGORY_WORDS)
    record["severity"] = _word(text["severity"], SEVERITY_WORDS) or ("minor" if (
        text["category"] or description) else None)
    record["status"] = _status_word(text["status"])
    found = bool(text["category"] or (description and description not in NOTHING_FOUND))
    record["has_problem"] = found and not record["problem_id"]
    if record["problem_id"]:
        if text["status"] and not record["status"]:
            bad("status", "cell_not_status", value=text["status"],
                choices="、".join(STATUS_NAMES))
        return record
    if text["category"] and not record["category"]:
        bad("category", "cell_not_category", value=text["category"],
            choices="、".join(w[0] for w in CATEGORIES.values()))
    if text["severity"] and not _word(text["severity"], SEVERITY_WORDS):
        bad("severity", "cell_not_severity", value=text["severity"],
            choices="、".join(w[0] for w in SEVERITIES.values()))
    if record["found_on"] is None and not text["found_on"] and found:
        bad("found_on", "visit_date_missing")
    if found and not record["category"] and not text["category"]:
        bad("category", "category_needed",
            choices="、".join(w[0] for w in CATEGORIES.values()))
    return record


def _status_changes(updates: pd.DataFrame, store: Store, *, file: str,
                    account: Account | None = None) -> pd.DataFrame:
    """The status changes a sheet asks for, each checked against the problem's
    status at that point (earlier rows of the same sheet included)."""
    columns = ["problem_id", "status", "on_date", "note", "source_row"]
    if updates.empty:
        return pd.DataFrame(columns=columns)
    known = store.records("problems")
    events = store.records("problem_events")
    if account is not None:
        # An editor changes the problems of their own region only.
        village = dict(zip(known["problem_id"], known["unit_code"]))
        account.check_rows(store.units(), pd.DataFrame({
            "source_row": updates["source_row"],
            "unit_code": updates["problem_id"].astype(str).map(village)}).dropna(),
            file=file or "the page")
    status = problem_status(known, events).set_index("problem_id")
    current = status["status"].to_dict()
    last_on = status["status_on"].to_dict()
    out, problems = [], []
    # In date order; a row whose status is as the store has it changes nothing.
    for row in updates.sort_values("status_on", kind="stable", na_position="first") \
            .itertuples():
        pid = str(row.problem_id)
        if pid not in current:
            problems.append(cell_problem(row.source_row, "问题编号", "no_such_problem",
                                         value=pid))
            continue
        if not row.status or row.status == current[pid]:
            continue
        if row.status_on is None or pd.isna(row.status_on):
            problems.append(cell_problem(row.source_row, "整改日期", "status_date_missing",
                                         problem=pid, status=row.status))
            continue
        refused = transition_problem(current[pid], row.status)
        why = refused.phrase if refused else None
        if why is None and row.status_on.isoformat() < str(last_on[pid]):
            why = Phrase("before_last_change", on=row.status_on, last=last_on[pid])
        if why:
            problems.append(cell_problem(row.source_row, "整改状态", "status_change_refused",
                                         problem=pid, why=why))
            continue
        current[pid], last_on[pid] = row.status, row.status_on.isoformat()
        out.append((pid, row.status, row.status_on.isoformat(), row.note, row.source_row))
    if problems and not file:                  # one change entered on a page: no rows
        first = problems[0]
        raise InputError(reason=first.reason, param="status", value=first.value,
                         **first.fields)
    raise_cell_problems(sorted(problems, key=lambda p: (p.row, p.column)), file)
    return pd.DataFrame(out, columns=columns)


def _refuse_twice(store: Store, sha256: str, file: str) -> None:
    """A findings file already in force would bring every problem in it twice."""
    imports = store.imports()
    same = imports[(imports["kind"] == "findings") & (imports["sha256"] == sha256)
                   & ~imports["import_id"].isin(store.undone())]
    if len(same):
        raise InputError(reason="findings_imported_already", param="file", file=file,
                         import_id=int(same["import_id"].iloc[0]))


def _refuse_known(problems: pd.DataFrame, known: pd.DataFrame, file: str) -> None:
    """Problems already in force — the same village, day, category and description
    (a sheet sent twice under another title) — refused, each row named."""
    if problems.empty or known.empty:
        return
    key = ["unit_code", "found_on", "category", "description"]
    new = problems.assign(found_on=problems["found_on"].map(_iso))[key + ["source_row"]]
    seen = new.merge(known[key + ["problem_id"]], on=key, how="inner")
    raise_cell_problems([cell_problem(r.source_row, "问题描述", "problem_stored_already",
                                      problem=r.problem_id) for r in seen.itertuples()], file)


def _title_round(above: list[list]) -> int | None:
    """The round the rows above a sheet's header name (第2轮督查问题清单), if any."""
    for row in above:
        for value in row:
            match = re.search(r"第\s*(\d+)\s*轮", cell_text(value) or "")
            if match:
                return int(match.group(1))
    return None


def _rounds(rows: pd.DataFrame) -> str:
    return ", ".join(str(r) for r in sorted(rows["round"].unique()))


def _status_word(text: str | None) -> str | None:
    if not text:
        return None
    return next((status for words, status in STATUS_READINGS if words in text), None)


def _latest(rows: pd.DataFrame) -> dt.date | None:
    """A sheet's latest date: of its visits, else of its status changes."""
    dates = [d for column in ("found_on", "status_on") if column in rows
             for d in rows[column].dropna()]
    return max(dates) if dates else None


def _latest_allowed() -> dt.date:
    # Sanity only (a typed year), never what overdue is counted on.
    return dt.date.today() + dt.timedelta(days=366)


def _word(text: str | None, words: dict) -> str | None:
    if not text:
        return None
    return next((key for key, options in words.items() if any(w in text for w in options)),
                None)


def _date(value) -> dt.date | None:
    if is_date(value):
        return value.date() if isinstance(value, dt.datetime) else value
    text = cell_text(value)
    match = _DATE.search(unicodedata.normalize("NFKC", text or ""))
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None

