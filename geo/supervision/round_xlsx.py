"""A round's visit list as teams take it along (督查点位表): all teams on the first sheet,
then a sheet per team in visiting order, with the findings columns to fill in on the
day — filled in, it is the round's findings sheet."""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook

from geo.i18n import synthetic_mark, t
from geo.output import set_text_cell, style_office_sheet
from geo.supervision.plan import REASONS, RoundPlan

# The list comes back as the round's findings sheet (import --kind findings): the
# team fills in 督查日期 for each village visited and, where it found a problem, the
# columns after it.
_HEADERS = [("序号", 5), ("轮次", 5), ("督查组", 7), ("旗县区", 11), ("苏木乡镇", 11),
            ("嘎查村", 12), ("村代码", 14), ("入选原因", 10), ("缺项比例", 7),
            ("此前督导次数", 7), ("距上一点(公里)", 8), ("经度", 10), ("纬度", 9),
            ("督查日期", 11), ("问题类别", 8), ("问题描述", 24), ("严重程度", 8),
            ("责任单位", 10), ("整改时限", 11)]


def plan_note(*, per_county: int, allocate: str, weight: str | None, seed: int) -> str:
    """How a plan was drawn, as its visit list says under the title: 每县10个（平均）；
    随机种子 7 — so that anyone can draw the same list again."""
    share = "向进度落后的旗县倾斜" if allocate == "lag" else "平均"
    lagging = "，优先缺项多的村" if weight else ""
    return f"每县{per_county}个（{share}）{lagging}；随机种子 {seed}"


def write_round_xlsx(plan: RoundPlan, path, *, number: int, region_name: str,
                     note: str = "", synthetic: bool = False) -> None:
    """Write the plan of round ``number`` as an office visit list; ``note`` says how it
    was drawn (:func:`plan_note`)."""
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
        if plan.approximate:
            line += "  " + t("route_approximate", "zh", n=plan.approximate)
        sheet.append([line + (f"  （{synthetic_mark()}）" if synthetic else "")])
        sheet.append([h for h, _ in _HEADERS])
        for i, row in enumerate(rows.itertuples(index=False), start=1):
            values = (row.seq if n else i, number, row.team, row.county, row.township,
                      row.name, row.code, REASONS[row.reason][0],
                      None if pd.isna(row.lag) else f"{row.lag:.0%}", row.times_visited,
                      round(row.leg_m / 1000, 1), row.lon, row.lat)
            for column, value in enumerate(values, start=1):
                set_text_cell(sheet.cell(i + 3, column), value)
        style_office_sheet(sheet, [w for _, w in _HEADERS], text_columns=["G"])
    book.save(path)
