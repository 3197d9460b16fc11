"""The problem list as a rectification ledger (整改台账): each problem with its village,
what was found, its deadline and status; the counties fill in 整改状态, 整改日期 and
整改情况 and send it back (``import FILE --kind findings`` reads these very headers)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from geo.output import set_text_cell, style_office_sheet
from geo.supervision.problems import CATEGORIES, SEVERITIES, STATUS_WORDS
from geo.units import ancestor_names

LIST_COLUMNS = ["problem_id", "round", "county", "township", "village", "unit_code",
                "found_on", "team", "category", "description", "severity", "responsible",
                "deadline", "status", "status_on", "note", "overdue", "days_overdue"]
_HEADERS = [("问题编号", 9), ("轮次", 5), ("旗县区", 10), ("苏木乡镇", 11), ("嘎查村", 11),
            ("村代码", 14), ("督查日期", 11), ("督查组", 7), ("问题类别", 8),
            ("问题描述", 30), ("严重程度", 8), ("责任单位", 12), ("整改时限", 11),
            ("整改状态", 9), ("整改日期", 11), ("整改情况", 24), ("逾期天数", 8)]
_OVERDUE_FILL = PatternFill("solid", fgColor="F8D7DA")


def problem_list(status: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """:func:`geo.supervision.problems.problem_status` rows with their village's names
    (:data:`LIST_COLUMNS`), by county, village and id."""
    names = dict(zip(units["code"], units["name"]))
    table = status.assign(county=ancestor_names(units, status["unit_code"], "county"),
                          township=ancestor_names(units, status["unit_code"], "township"),
                          village=status["unit_code"].map(names))
    return table.sort_values(["unit_code", "problem_id"])[LIST_COLUMNS].reset_index(drop=True)


def write_problems_xlsx(status: pd.DataFrame, units: pd.DataFrame, path, *, as_of: dt.date,
                        region_name: str = "", synthetic: bool = False) -> None:
    """Write the problems as a ledger; the overdue rows shaded red."""
    table = problem_list(status, units)
    book = Workbook()
    sheet = book.active
    sheet.title = "整改台账"
    sheet.append([f"{region_name}督查问题整改台账"])
    overdue = int(table["overdue"].sum())
    note = (f"截至{as_of.year}年{as_of.month}月{as_of.day}日  共{len(table)}个问题，"
            f"逾期未整改{overdue}个  填写整改状态（整改中、已整改）、整改日期和整改情况后报回")
    sheet.append([note + ("  （示例数据 / synthetic data）" if synthetic else "")])
    sheet.append([h for h, _ in _HEADERS])
    for n, row in enumerate(table.itertuples(index=False), start=4):
        values = (row.problem_id, row.round, row.county, row.township, row.village,
                  row.unit_code, row.found_on, row.team, _zh(CATEGORIES, row.category),
                  row.description, _zh(SEVERITIES, row.severity), row.responsible,
                  row.deadline, _zh(STATUS_WORDS, row.status),
                  row.status_on if row.status != "open" else None,
                  None if pd.isna(row.note) else row.note,
                  None if pd.isna(row.days_overdue) else int(row.days_overdue))
        for column, value in enumerate(values, start=1):
            set_text_cell(sheet.cell(n, column), None if _missing(value) else value)
        if row.overdue:
            for column in range(1, len(_HEADERS) + 1):
                sheet.cell(n, column).fill = _OVERDUE_FILL
            sheet.cell(n, len(_HEADERS)).font = Font(bold=True, color="C00000")
    style_office_sheet(sheet, [w for _, w in _HEADERS], text_columns=["A", "F"])
    book.save(path)


def _zh(words: dict, key) -> str | None:
    return words[key][0] if key in words else None


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))
