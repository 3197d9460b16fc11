"""The exit check as an office hands it on: the villages (or counties) that do not yet
pass, each failing criterion against its line, with columns to fill in for the
rectification (整改责任人, 计划完成日期).  Counts only: the table it writes comes from
:func:`geo.exit.readiness.readiness_table`, small counts already "<5"."""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook

from geo.exit.criteria import CRITERIA_WORDS
from geo.i18n import synthetic_mark, t
from geo.output import set_text_cell, style_office_sheet
from geo.programme import Programme
from geo.units import ancestor_codes

# The list is in Chinese, as offices hand it on; its words are the vocabulary's.
RESULT_WORDS = {result: t(f"readiness_{result}") for result in ("passes", "close", "far",
                                                                  "unknown")}
_VILLAGE_HEADERS = [(t("sheet_seq"), 6), (t("sheet_county"), 10), (t("sheet_township"), 12),
                    (t("sheet_village"), 12), (t("code"), 15), (t("exit_due_households"), 9),
                    (t("exit_readiness"), 9), (t("exit_failing_criteria"), 16),
                    (t("sheet_pct", what=CRITERIA_WORDS["incidence"][0]), 10),
                    (t("sheet_line_pct"), 7), (t("exit_missing_items"), 24),
                    (t("sheet_rectifier"), 10), (t("sheet_planned"), 12),
                    (t("sheet_remarks"), 14)]
_COUNTY_CRITERIA = ("incidence", "wrongly_exited", "missed", "approval")


def write_exit_xlsx(table: pd.DataFrame, units: pd.DataFrame, programme: Programme, path, *,
                    level: str, year: int, region_name: str = "",
                    synthetic: bool = False) -> None:
    """Write ``table`` (:func:`~geo.exit.readiness.readiness_table` rows of ``level``)
    as an office list.

    Parameters
    ----------
    units
        The store's units, for each village's township and county names.
    level
        ``village``: one row per village with its incidence and the 出列 items it
        lacks, by name; ``county``: each of 三率一度 with its line and sample.
    """
    book = Workbook()
    sheet = book.active
    noun = "village" if level == "village" else "county"
    sheet.title = t(f"exit_sheet_name_{noun}")
    sheet.append([t(f"exit_sheet_title_{noun}", region=region_name, year=year)])
    counted = t("sheet_n_villages" if noun == "village" else "sheet_n_counties", n=len(table))
    note = f"{counted}  {t('sheet_small_counts', small=_small(programme))}"
    if synthetic:
        note += f"  （{synthetic_mark()}）"
    sheet.append([note])
    if level == "village":
        headers, rows = _village_rows(table, units, programme)
    else:
        headers, rows = _county_rows(table)
    sheet.append([h for h, _ in headers])
    for n, values in enumerate(rows, start=1):
        for column, value in enumerate((n, *values), start=1):
            set_text_cell(sheet.cell(n + 3, column), value)
    code_column = "E" if level == "village" else "C"
    style_office_sheet(sheet, [chars for _, chars in headers], text_columns=[code_column])
    book.save(path)


def _small(programme: Programme) -> int:
    return programme.rules.get("privacy", {}).get("small_count", 5)


def _village_rows(table, units, programme):
    names = units.set_index("code")["name"]
    county = ancestor_codes(units, table["code"], "county").map(names)
    township = ancestor_codes(units, table["code"], "township").map(names)
    items = {i.key: i.short_zh for i in programme.items}
    rows = []
    for row, county_name, township_name in zip(table.itertuples(index=False), county,
                                               township):
        missing = row.missing_items.split(",") if isinstance(row.missing_items, str) else []
        rows.append((county_name, township_name, row.name, row.code, row.due_households,
                     RESULT_WORDS.get(row.readiness, row.readiness), _criteria(row.failing),
                     _number(row.incidence), _number(row.incidence_line),
                     "、".join(items.get(k, k) for k in missing)))
    return _VILLAGE_HEADERS, rows


def _county_rows(table):
    headers = [(t("sheet_seq"), 6), (t("sheet_county"), 12), (t("code"), 9),
               (t("exit_readiness"), 9), (t("exit_failing_criteria"), 18)]
    for criterion in _COUNTY_CRITERIA:
        word = CRITERIA_WORDS[criterion][0]
        # Incidence is over every rural resident, the rates over a sample.
        base = t("sheet_rural_population" if criterion == "incidence" else "sheet_sample")
        headers += [(t("sheet_pct", what=word), 9), (t("sheet_line_pct"), 7), (base, 8)]
    headers += [(t("sheet_rectifier"), 10), (t("sheet_remarks"), 14)]
    rows = []
    for row in table.to_dict("records"):
        values = [row["name"], row["code"], RESULT_WORDS.get(row["readiness"]),
                  _criteria(row["failing"])]
        for criterion in _COUNTY_CRITERIA:
            values += [_number(row.get(criterion)), _number(row.get(f"{criterion}_line")),
                       row.get(f"{criterion}_sample")]
        rows.append(tuple(values))
    return headers, rows


def _criteria(failing: str) -> str:
    return "、".join(CRITERIA_WORDS[c][0] for c in str(failing or "").split(",") if c)


def _number(value):
    return None if value is None or pd.isna(value) else round(float(value), 2)
