"""A round's visit list as teams take it along (督查点位表): all teams on the first sheet,
then a sheet per team in visiting order, with columns to fill in on the day."""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook

from geo.output import set_text_cell, style_office_sheet
from geo.supervision import REASONS, RoundPlan

_HEADERS = [("序号", 6), ("督查组", 8), ("旗县区", 12), ("苏木乡镇", 12), ("嘎查村", 14),
            ("代码", 15), ("入选原因", 12), ("缺项比例", 8), ("此前督导次数", 8),
            ("距上一点(公里)", 9), ("经度", 10), ("纬度", 9), ("督查日期", 11),
            ("发现问题", 24), ("备注", 12)]


def write_round_xlsx(plan: RoundPlan, path, *, number: int, region_name: str,
                     note: str = "", synthetic: bool = False) -> None:
    """Write the plan of round ``number`` as an office visit list."""
    book = Workbook()
    teams = [("总表", plan.villages)] + [(team, rows) for team, rows in
                                        plan.villages.groupby("team", sort=False)]
    for n, (title, rows) in enumerate(teams):
        sheet = book.active if n == 0 else book.create_sheet()
        county = "" if n == 0 else rows["county"].iloc[0]
        sheet.title = title if n == 0 else f"{title}{county}"[:31]
        sheet.append([f"{region_name}第{number}轮督查点位表" + (f"（{title} {county}）"
                                                            if n else "")])
        line = f"共{len(rows)}个村  {note}"
        sheet.append([line + ("  （示例数据 / synthetic data）" if synthetic else "")])
        sheet.append([h for h, _ in _HEADERS])
        for i, row in enumerate(rows.itertuples(index=False), start=1):
            values = (row.seq if n else i, row.team, row.county, row.township, row.name,
                      row.code, REASONS[row.reason][0],
                      None if pd.isna(row.lag) else f"{row.lag:.0%}", row.times_visited,
                      round(row.leg_m / 1000, 1), row.lon, row.lat)
            for column, value in enumerate(values, start=1):
                set_text_cell(sheet.cell(i + 3, column), value)
        style_office_sheet(sheet, [w for _, w in _HEADERS], text_columns=["F"])
    book.save(path)
