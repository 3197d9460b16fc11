"""The uncovered-village list as an office ticks it off (对账销号)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl import Workbook

from geo.i18n import synthetic_mark, t
from geo.output import set_text_cell, style_office_sheet
from geo.programme import Programme

# In Chinese, as offices tick it off; the words are the vocabulary's.
_HEADERS = [(t(key), width) for key, width in (
    ("sheet_seq", 6), ("county", 14), ("township", 14), ("village", 16), ("code", 15),
    ("missing", 30), ("unreported", 24), ("population", 8), ("sheet_responsible", 10),
    ("sheet_planned", 13), ("sheet_ticked_off", 11), ("sheet_remarks", 16))]


def write_gaps_xlsx(gaps: pd.DataFrame, programme: Programme, path, *,
                    as_of: dt.date, synthetic: bool = False, region_name: str = "") -> None:
    """Write ``gaps`` (from :func:`geo.gaps.uncovered_villages`) as a tick-off list.

    One row per village with its missing items in words, and empty columns
    for the person responsible, the planned date and the date ticked off.
    """
    labels = {i.key: i.short_zh for i in programme.items}
    book = Workbook()
    sheet = book.active
    sheet.title = t("gaps")
    sheet.append([t("gaps_sheet_title", region=region_name, programme=programme.name_zh)])
    note = (f"{t('sheet_as_of', year=as_of.year, month=as_of.month, day=as_of.day)}  "
            f"{t('sheet_n_villages', n=len(gaps))}")
    if synthetic:
        note += f"  （{synthetic_mark()}）"
    sheet.append([note])
    sheet.append([h for h, _ in _HEADERS])
    for n, row in enumerate(gaps.itertuples(index=False), start=1):
        values = (n, row.county, row.township, row.name, row.code,
                  "、".join(labels.get(k, k) for k in row.missing),
                  "、".join(labels.get(k, k) for k in row.unreported),
                  None if pd.isna(row.population) else int(row.population))
        for column, value in enumerate(values, start=1):
            set_text_cell(sheet.cell(n + 3, column), value)
    style_office_sheet(sheet, [chars for _, chars in _HEADERS], text_columns=["E"])
    book.save(path)
