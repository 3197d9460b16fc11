"""The uncovered-village list as an office ticks it off (对账销号)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl import Workbook

from geo.output import set_text_cell, style_office_sheet
from geo.programme import Programme

_HEADERS = [("序号", 6), ("旗县区", 14), ("苏木乡镇", 14), ("嘎查村", 16), ("代码", 15),
            ("缺项", 30), ("未报送", 24), ("人口", 8), ("责任人", 10),
            ("计划完成日期", 13), ("销号日期", 11), ("备注", 16)]


def write_gaps_xlsx(gaps: pd.DataFrame, programme: Programme, path, *,
                    as_of: dt.date, synthetic: bool = False, region_name: str = "") -> None:
    """Write ``gaps`` (from :func:`geo.gaps.uncovered_villages`) as a tick-off list.

    One row per village with its missing items in words, and empty columns
    for the person responsible, the planned date and the date ticked off.
    """
    labels = {i.key: i.short_zh for i in programme.items}
    book = Workbook()
    sheet = book.active
    sheet.title = "缺项村"
    title = f"{region_name}{programme.name_zh}缺项村对账销号清单"
    sheet.append([title])
    note = f"截至{as_of.year}年{as_of.month}月{as_of.day}日  共{len(gaps)}个村"
    if synthetic:
        note += "  （示例数据 / synthetic data）"
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
