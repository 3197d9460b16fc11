"""The problem list as a rectification ledger (整改台账): each problem with its village,
what was found, its deadline and status; the counties fill in 整改状态, 整改日期 and
整改情况 and send it back (``import FILE --kind findings`` reads these very headers)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from geo.i18n import synthetic_mark, t
from geo.output import set_text_cell, style_office_sheet
from geo.supervision.problems import CATEGORIES, SEVERITIES, STATUS_WORDS
from geo.units import ancestor_names

LIST_COLUMNS = ["problem_id", "round", "county", "township", "village", "unit_code",
                "found_on", "team", "category", "description", "severity", "responsible",
                "deadline", "status", "status_on", "note", "overdue", "days_overdue"]
# In Chinese, as the counties fill it in; the findings importer reads these headers back.
_HEADERS = [(t(key), width) for key, width in (
    ("sup_problem", 9), ("sup_round_col", 5), ("county", 10), ("township", 11),
    ("village", 11), ("sheet_village_code", 14), ("sup_date", 11), ("sup_team", 7),
    ("sup_category", 8), ("sup_description", 30), ("sup_severity", 8),
    ("sup_responsible", 12), ("sup_deadline", 11), ("sup_status", 9),
    ("sheet_rectified_on", 11), ("sup_note", 24), ("sup_col_days", 8))]
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
    sheet.title = t("problems_sheet_name")
    sheet.append([t("problems_sheet_title", region=region_name)])
    overdue = int(table["overdue"].sum())
    note = "  ".join((t("sheet_as_of", year=as_of.year, month=as_of.month, day=as_of.day),
                      t("problems_sheet_count", n=len(table), overdue=overdue),
                      t("problems_sheet_ask")))
    sheet.append([note + (f"  （{synthetic_mark()}）" if synthetic else "")])
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
