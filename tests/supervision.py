"""Supervision fixtures: a round's visit list read back, and a findings sheet in the
layout teams hand in (a title, a 督查组/日期 line, one row per village visited)."""

import shutil

from openpyxl import Workbook, load_workbook

import cli
from geo.demo import demo_store

HEADER = ["序号", "旗县区", "苏木乡镇", "嘎查村", "村代码", "督查日期", "督查组", "问题类别",
          "问题描述", "严重程度", "责任单位", "整改时限"]


def plan_rows(path) -> list[dict]:
    sheet = load_workbook(path)["总表"]
    header = [c.value for c in sheet[3]]
    return [dict(zip(header, row)) for row in sheet.iter_rows(min_row=4, values_only=True)]


def findings_sheet(path, rows):
    """A team's sheet as handed in: a title, a 督查组/日期 line, then one row per visit."""
    book = Workbook()
    sheet = book.active
    sheet.append(["包头市十个全覆盖第1轮督查问题清单"])
    sheet.append(["督查组：第8组", None, None, None, None, "填报日期：2016年9月1日"])
    sheet.append(HEADER)
    for n, row in enumerate(rows, start=1):
        sheet.append([n, *row])
    book.save(path)




def supervised_demo(folder):
    """A copy of the demo with round 1 of Baotou planned (seed 7, 10 per county) and its
    findings in: in 固阳县 a clinic problem due 9-05 and a road due 9-20, a visit with
    nothing found; in 达茂旗 a funds problem due 9-10 — all found on 2016-09-01."""
    store = folder / "bt.gpkg"
    shutil.copyfile(demo_store(progress=False).path, store)
    plan = folder / "r1.xlsx"
    assert cli.main(["plan-round", "--store", str(store), "--region", "150200",
                     "--per-county", "10", "--seed", "7", "--out", str(plan)]) == 0
    rows = plan_rows(plan)
    guyang = [r for r in rows if r["旗县区"] == "固阳县"]
    damao = [r for r in rows if r["旗县区"] == "达尔罕茂明安联合旗"][0]
    a, b, c = guyang[:3]
    findings_sheet(folder / "findings.xlsx", [
        ["固阳县", a["苏木乡镇"], a["嘎查村"], None, "2016-09-01", "第8组", "质量",
         "卫生室墙体开裂", "较重", "乡卫生院", "2016-09-05"],
        [None, b["苏木乡镇"], b["嘎查村"], None, "2016-09-01", "第8组", "进度",
         "街巷硬化未完工", "一般", "交通局", "2016-09-20"],
        [None, c["苏木乡镇"], c["嘎查村"], None, "2016-09-01", "第8组", None, "未发现问题",
         None, None, None],
        ["达尔罕茂明安联合旗", damao["苏木乡镇"], damao["嘎查村"], damao["村代码"], "2016-09-01",
         "第9组", "资金", "超市补助未拨付", "严重", "财政局", "2016-09-10"],
    ])
    assert cli.main(["import", str(folder / "findings.xlsx"), "--store", str(store),
                     "--kind", "findings"]) == 0
    return store, {"clinic": a, "road": b, "nothing": c, "funds": damao}
