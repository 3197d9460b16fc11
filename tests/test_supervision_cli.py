"""A supervision round end to end on the demo (a copy): plan Baotou's round, bring the
findings back, track the problems past their deadlines, plan the next round."""

import json
import shutil

import pytest
from openpyxl import Workbook, load_workbook
from PIL import Image

from geo.demo import demo_store
from geo.store import Store
from tests.supervision import findings_sheet, plan_rows


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory):
    path = tmp_path_factory.mktemp("supervision") / "bt.gpkg"
    shutil.copyfile(demo_store(progress=False).path, path)
    return path


@pytest.fixture
def store(demo_copy, tmp_path):
    path = tmp_path / "bt.gpkg"
    shutil.copyfile(demo_copy, path)
    return path

def plan(run, store, out, *args):
    code, said, err = run("plan-round", "--store", store, "--region", "150200",
                          "--per-county", "10", "--seed", "7", *args, "--out", out)
    assert code == 0, err
    return said


def test_the_same_seed_plans_the_same_round_lag_gives_the_laggards_more(run, store, tmp_path):
    said = plan(run, store, tmp_path / "a.xlsx", "--dry-run", "--maps", tmp_path / "maps")
    assert f"{tmp_path / 'maps'}: 9 route maps" in said
    route = Image.open(tmp_path / "maps" / "第8组_固阳县.png")
    assert route.size == (1753, 1240)                              # A4 landscape, 150 dpi
    plan(run, store, tmp_path / "b.xlsx", "--dry-run")
    first, again = plan_rows(tmp_path / "a.xlsx"), plan_rows(tmp_path / "b.xlsx")
    assert [r["村代码"] for r in first] == [r["村代码"] for r in again]
    per_county = {}
    for row in first:
        per_county[row["旗县区"]] = per_county.get(row["旗县区"], 0) + 1
    # 东河区 and 白云鄂博矿区 have 7 villages in the demo: all of them.
    assert per_county["固阳县"] == per_county["达尔罕茂明安联合旗"] == 10
    said = plan(run, store, tmp_path / "lag.xlsx", "--dry-run", "--allocate", "lag",
                "--weight", "lagging")
    lag = {}
    for row in plan_rows(tmp_path / "lag.xlsx"):
        lag[row["旗县区"]] = lag.get(row["旗县区"], 0) + 1
    assert sum(lag.values()) == sum(per_county.values()) + 6        # 90: no county capped
    # The two counties furthest from 100 % (62.6 % and 68.0 %) get most of the rest.
    assert lag["固阳县"] > lag["达尔罕茂明安联合旗"] > 10 > lag["土默特右旗"] >= 5
    assert "seed 7" in said and Store(store).records("visits").empty     # dry run: kept none
    # Each team's sheet in visiting order, every leg a distance in kilometres.
    team = load_workbook(tmp_path / "a.xlsx")["第8组固阳县"]
    assert [c.value for c in team["A"][3:]] == list(range(1, 11))
    assert all(isinstance(c.value, (int, float)) and c.value >= 0 for c in team["K"][3:])


def test_a_round_its_findings_overdue_problems_and_the_next_round(run, store, tmp_path):
    said = plan(run, store, tmp_path / "r1.xlsx")
    assert "kept as round 1" in said
    guyang = [r for r in plan_rows(tmp_path / "r1.xlsx") if r["旗县区"] == "固阳县"]
    damao = [r for r in plan_rows(tmp_path / "r1.xlsx") if r["旗县区"] == "达尔罕茂明安联合旗"]
    a, b, c, d = guyang[0], guyang[1], guyang[2], damao[0]
    sheet = tmp_path / "第1轮问题清单.xlsx"
    findings_sheet(sheet, [
        ["固阳县", a["苏木乡镇"], a["嘎查村"], None, "2016-09-01", "第8组", "质量",
         "卫生室墙体开裂，村民张某（电话13912345678）反映", "较重", "乡卫生院", "2016年9月5日"],
        [None, b["苏木乡镇"], b["嘎查村"], None, "2016-09-01", "第8组", "进度",
         "街巷硬化未完工", "一般", "交通局", "2016-09-20"],
        [None, c["苏木乡镇"], c["嘎查村"], None, "2016-09-01", "第8组", None, "未发现问题",
         None, None, None],
        ["达尔罕茂明安联合旗", d["苏木乡镇"], d["嘎查村"], d["村代码"], "2016-09-01", "第9组",
         "资金", "超市补助未拨付", "严重", "财政局", "2016-09-10"],
    ])
    code, said, err = run("import", sheet, "--store", store, "--kind", "findings")
    assert code == 0, err
    assert "round 1: 4 village visits, 3 problems found, 0 status changes" in said
    # The same sheet again would bring its problems twice: refused, nothing stored —
    # and so is the same sheet under another title.
    code, _, err = run("import", sheet, "--store", store, "--kind", "findings")
    assert code == 1 and "imported already" in err
    book = load_workbook(sheet)
    book.active["A1"] = "第1轮督查问题清单（重报）"
    book.save(tmp_path / "again.xlsx")
    code, _, err = run("import", tmp_path / "again.xlsx", "--store", store, "--kind",
                       "findings")
    assert code == 1 and "the same problem is stored already" in err
    assert len(Store(store).records("problems")) == 3

    def problems(as_of, *args):
        code, out, err = run("problems", "--store", store, "--as-of", as_of,
                             "--format", "json", *args)
        assert code == 0, err
        return {r["village"]: r for r in json.loads(out)}

    on_the_day = problems("2016-09-01")
    assert len(on_the_day) == 3 and not any(r["overdue"] for r in on_the_day.values())
    assert "13912345678" not in on_the_day[a["嘎查村"]]["description"]     # masked as read
    week = problems("2016-09-12")
    # 9-05 + 7 days and 9-10 + 2 days; the road is due on the 20th.
    assert {v: r["days_overdue"] for v, r in week.items() if r["overdue"]} == {
        a["嘎查村"]: 7, d["嘎查村"]: 2}
    code, out, _ = run("problems", "--store", store, "--as-of", "2016-09-12", "--ledger",
                       "--format", "json")
    ledger = {r["name"]: r for r in json.loads(out)}
    assert ledger["固阳县"]["problems"] == 2 and ledger["固阳县"]["overdue"] == 1
    assert ledger["达尔罕茂明安联合旗"]["overdue"] == 1

    # The county sends the ledger back: 卫生室 rectified on 9-08.
    back = tmp_path / "整改台账.xlsx"
    assert run("problems", "--store", store, "--as-of", "2016-09-12", "--format", "xlsx",
               "--out", back)[0] == 0
    book = load_workbook(back)
    rows = book.active
    header = [c.value for c in rows[3]]
    for row in rows.iter_rows(min_row=4):
        if row[header.index("嘎查村")].value == a["嘎查村"]:
            assert row[0].fill.fgColor.rgb.endswith("F8D7DA")          # overdue: shaded
            row[header.index("整改状态")].value = "已整改"
            row[header.index("整改日期")].value = "2016-09-08"
            row[header.index("整改情况")].value = "已修补墙体"
    book.save(back)
    code, said, err = run("import", back, "--store", store, "--kind", "findings")
    assert code == 0, err
    assert "1 status changes" in said
    assert {v for v, r in problems("2016-09-12").items() if r["overdue"]} == {d["嘎查村"]}

    # Verifying a problem never rectified is refused whole: nothing stored.
    imports = len(Store(store).imports())
    bad = tmp_path / "核查.xlsx"
    pid = problems("2016-09-12")[b["嘎查村"]]["problem_id"]
    book = Workbook()
    book.active.append(["问题编号", "整改状态", "整改日期"])
    book.active.append([pid, "已销号", "2016-09-15"])
    book.save(bad)
    code, _, err = run("import", bad, "--store", store, "--kind", "findings")
    assert code == 1 and "cannot be verified before it is rectified" in err
    assert len(Store(store).imports()) == imports

    # The next round visits every village with an unverified problem.
    plan(run, store, tmp_path / "r2.xlsx")
    second = {r["嘎查村"]: r for r in plan_rows(tmp_path / "r2.xlsx")}
    for village in (a, b, d):
        assert second[village["嘎查村"]]["入选原因"] == "有未销号问题"
    assert c["嘎查村"] not in second or second[c["嘎查村"]]["此前督导次数"] == 1


def test_the_visit_list_filled_in_is_the_findings_sheet(run, store, tmp_path):
    plan(run, store, tmp_path / "r1.xlsx")
    book = load_workbook(tmp_path / "r1.xlsx")
    sheet = book["总表"]
    header = [c.value for c in sheet[3]]
    column = {name: header.index(name) + 1 for name in header}
    guyang = [r for r in range(4, sheet.max_row + 1)
              if sheet.cell(r, column["旗县区"]).value == "固阳县"][:3]
    for r in guyang:                                     # three visited, on 9-02
        sheet.cell(r, column["督查日期"]).value = "2016年9月2日"
    first = guyang[0]
    sheet.cell(first, column["问题类别"]).value = "质量"
    sheet.cell(first, column["问题描述"]).value = "卫生室无医生值守"
    sheet.cell(first, column["整改时限"]).value = "2016-09-10"
    book.save(tmp_path / "r1-filled.xlsx")
    code, said, err = run("import", tmp_path / "r1-filled.xlsx", "--store", store,
                          "--kind", "findings")
    assert code == 0, err
    # The other 81 villages of the list were not visited: no visit recorded for them.
    assert "3 village visits, 1 problems found" in said
    visits = Store(store).records("visits")
    made = visits[visits["visited_on"].notna()]
    assert len(made) == 3 and set(made["round"]) == {1}
    problems = Store(store).records("problems")
    assert problems["unit_code"].tolist() == [sheet.cell(first, column["村代码"]).value]
    assert problems["severity"].tolist() == ["minor"]    # none given: 一般


def test_a_sheet_titled_with_its_round_goes_into_that_round(run, store, tmp_path):
    plan(run, store, tmp_path / "r1.xlsx")
    village = plan_rows(tmp_path / "r1.xlsx")[0]
    sheet = tmp_path / "second.xlsx"
    findings_sheet(sheet, [[village["旗县区"], village["苏木乡镇"], village["嘎查村"], None,
                            "2016-09-20", "第1组", "进度", "活动室未开工", "一般", "文体局",
                            "2016-10-10"]])
    book = load_workbook(sheet)
    book.active["A1"] = "包头市十个全覆盖第2轮督查问题清单"        # no 轮次 column
    book.save(sheet)
    code, said, err = run("import", sheet, "--store", store, "--kind", "findings")
    assert code == 0, err
    assert "round 2: 1 village visits" in said
    assert Store(store).records("problems")["round"].tolist() == [2]


@pytest.mark.parametrize("words, becomes", [
    ("已整改，待销号", "rectified"), ("已整改未销号", "rectified"), ("未整改完成", "open"),
    ("整改中", "in_progress"), ("已销号", "verified"), ("重新整改", "reopened")])
def test_status_words_as_offices_write_them(words, becomes):
    from geo.imports.findings import _status_word

    assert _status_word(words) == becomes


def test_status_changes_only_an_editors_own_county_and_a_sheet_of_changes_alone(
        run, store, tmp_path, monkeypatch):
    from geo.accounts import AccountsFile

    shutil.copyfile(store, tmp_path / "s.gpkg")
    store = tmp_path / "s.gpkg"
    plan(run, store, tmp_path / "r1.xlsx")
    village = next(r for r in plan_rows(tmp_path / "r1.xlsx") if r["旗县区"] == "固阳县")
    findings_sheet(tmp_path / "f.xlsx", [["固阳县", village["苏木乡镇"], village["嘎查村"], None,
                                          "2016-09-01", "第8组", "质量", "墙体开裂", "一般",
                                          "卫生院", "2016-09-05"]])
    assert run("import", tmp_path / "f.xlsx", "--store", store, "--kind", "findings")[0] == 0
    pid = Store(store).records("problems")["problem_id"].iloc[0]
    book = Workbook()
    book.active.append(["问题编号", "整改状态", "整改日期", "整改情况"])
    book.active.append([pid, "已整改，待销号", "2016-09-04", "已修补"])
    book.save(tmp_path / "back.xlsx")
    accounts = tmp_path / "accounts.json"
    book_of = AccountsFile(accounts)
    book_of.add("九原区办", "secret-pass-1", role="editor", region="150207")
    book_of.add("固阳县办", "secret-pass-2", role="editor", region="150222")
    monkeypatch.setenv("COVERMAP_ACCOUNTS", str(accounts))
    # 九原区's editor may not change 固阳县's problem: refused, nothing stored.
    code, _, err = run("import", tmp_path / "back.xlsx", "--store", store, "--kind",
                       "findings", "--user", "九原区办")
    assert code == 1 and "outside" in err
    assert Store(store).records("problem_events").empty
    # 固阳县's may; a sheet of status changes alone (no 督查日期 column) imports.
    code, said, err = run("import", tmp_path / "back.xlsx", "--store", store, "--kind",
                          "findings", "--user", "固阳县办")
    assert code == 0, err
    assert Store(store).records("problem_events")["status"].tolist() == ["rectified"]


def test_a_mistyped_year_and_a_deadline_before_the_visit_are_refused(run, store, tmp_path):
    plan(run, store, tmp_path / "r1.xlsx")
    village = plan_rows(tmp_path / "r1.xlsx")[0]
    place = [village["旗县区"], village["苏木乡镇"], village["嘎查村"], None]
    findings_sheet(tmp_path / "f.xlsx", [
        [*place, "2061-09-02", "第1组", "进度", "未开工", "一般", "局", "2061-09-20"],
        [*place, "2016-09-02", "第1组", "进度", "未开工", "一般", "局", "2016-08-20"]])
    code, _, err = run("import", tmp_path / "f.xlsx", "--store", store, "--kind", "findings")
    assert code == 1 and "2061-09-02 is not a date this sheet can hold" in err
    assert "before the visit" in err
    assert Store(store).records("problems").empty
