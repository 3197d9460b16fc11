"""The exit check as an office hands it on: the villages (or counties) that do not yet
pass, each failing criterion against its line, with columns to fill in for the
rectification (整改责任人, 计划完成日期).  Counts only: the table it writes comes from
:func:`geo.exit.readiness.readiness_table`, small counts already "<5"."""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook

from geo.exit.criteria import CRITERIA_WORDS
from geo.output import set_text_cell, style_office_sheet
from geo.programme import Programme
from geo.units import ancestor_codes

RESULT_WORDS = {"passes": "达标", "close": "接近", "far": "差距大", "unknown": "无法判断"}
_VILLAGE_HEADERS = [("序号", 6), ("县", 10), ("乡镇", 12), ("村", 12), ("代码", 15),
                    ("应退出户数", 9), ("检查结果", 9), ("未达标指标", 16),
                    ("贫困发生率(%)", 10), ("标准(%)", 7), ("缺少的出列指标", 24),
                    ("整改责任人", 10), ("计划完成日期", 12), ("备注", 14)]
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
    noun = "村" if level == "village" else "县"
    sheet.title = f"退出检查{noun}"
    what = "未达标清单" if level == "village" else "结果"
    sheet.append([f"{region_name}{year}年贫困{noun}退出检查{what}"])
    note = f"共{len(table)}个{noun}  小于{_small(programme)}的数字写作“<{_small(programme)}”"
    if synthetic:
        note += "  （示例数据 / synthetic data）"
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
    headers = [("序号", 6), ("县", 12), ("代码", 9), ("检查结果", 9), ("未达标指标", 18)]
    for criterion in _COUNTY_CRITERIA:
        word = CRITERIA_WORDS[criterion][0]
        # Incidence is over every rural resident, the rates over a sample.
        base = "农村人口" if criterion == "incidence" else "样本"
        headers += [(f"{word}(%)", 9), ("标准(%)", 7), (base, 8)]
    headers += [("整改责任人", 10), ("备注", 14)]
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
