"""Reading boundary and site files as offices send them.

Fixtures are built here, small, the way the offices' tools write them: a
GBK shapefile in CGCS2000 Gauss-Krüger zone 37 without a .cpg and with the
DBF language byte zeroed, a 三调 village layer, site lists in xlsx and GBK
csv.  Villages sit near 固阳县 (Guyang, 110.0–110.5 E, 41.0 N); their
codes follow the national scheme under 150222 (固阳县) but are made up.
"""

import re
import zipfile
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
import shapely

from geo.errors import InputError
from geo.i18n.errors import detail_lines
from geo.io import read_boundaries
from geo.sites import read_sites

DATA = Path(__file__).resolve().parent.parent / "data"
VILLAGES = [  # name, code, south-west corner (lon, lat); squares of 0.02°
    ("下湿壕村", "150222102201", (110.05, 41.03)),
    ("兴顺西村", "150222104202", (110.21, 41.12)),
    ("大圐圙村", "150222101203", (110.40, 40.98)),  # 圐圙: Inner Mongolian, in GBK
]


def _villages(crs="EPSG:4490", names=None):
    names = names or [v[0] for v in VILLAGES]
    geoms = [shapely.box(x, y, x + 0.02, y + 0.02) for _, _, (x, y) in VILLAGES]
    frame = gpd.GeoDataFrame({"名称": names, "XZQDM": [v[1] for v in VILLAGES]},
                             geometry=geoms, crs="EPSG:4490")
    return frame.to_crs(crs)


def _strip_encoding_hints(shp):
    """What many offices send: no .cpg, DBF language byte 0."""
    shp.with_suffix(".cpg").unlink()
    dbf = shp.with_suffix(".dbf")
    data = bytearray(dbf.read_bytes())
    data[29] = 0
    dbf.write_bytes(bytes(data))


def _same_places(units, tolerance=1e-7):
    # 1e-7 degrees is about a centimetre here, well inside the 1 m required.
    original = _villages("EPSG:4326")
    for got, want in zip(units.geometry, original.geometry):
        assert got.hausdorff_distance(want) < tolerance


@pytest.fixture
def gbk_zone37(tmp_path):
    shp = tmp_path / "固阳县村界.shp"
    _villages("EPSG:4525").to_file(shp, encoding="GBK")
    _strip_encoding_hints(shp)
    return shp


def test_gbk_shapefile_in_gauss_kruger_zone(gbk_zone37):
    # Without help the names come out as Latin-1 mojibake: the file is a real trap.
    assert "名称" not in pyogrio.read_dataframe(gbk_zone37).columns
    result = read_boundaries(gbk_zone37)
    assert list(result.units["name"]) == ["下湿壕村", "兴顺西村", "大圐圙村"]
    assert list(result.units["code"]) == ["150222102201", "150222104202", "150222101203"]
    assert list(result.units["parent_code"]) == [None, None, None]
    assert result.encoding == "GB18030"
    assert result.source_crs == "EPSG:4525"
    assert result.units.crs == "EPSG:4326"
    _same_places(result.units)
    # The same check in metres, in the zone itself.
    back = result.units.to_crs("EPSG:4525").geometry
    orig = _villages("EPSG:4525").geometry
    assert max(b.hausdorff_distance(o) for b, o in zip(back, orig)) < 1.0


def test_zone_read_from_eastings_without_prj(gbk_zone37):
    gbk_zone37.with_suffix(".prj").unlink()
    result = read_boundaries(gbk_zone37)
    assert result.source_crs == "EPSG:4525"  # 37 in the easting: 4513 + 37 - 25
    _same_places(result.units)


def test_gb18030_only_character(tmp_path):
    # 䶮 (U+4DAE) is in GB18030 but not GBK: read as GBK it would be lost.
    shp = tmp_path / "v.shp"
    _villages(names=["䶮村", "兴顺西村", "大圐圙村"]).to_file(shp, encoding="GB18030")
    _strip_encoding_hints(shp)
    assert read_boundaries(shp).units["name"][0] == "䶮村"


def test_encoding_argument_wins(gbk_zone37):
    result = read_boundaries(gbk_zone37, encoding="gbk")
    # GBK is read as GB18030, its superset: the same text, and rare characters too.
    assert (result.encoding, result.units["name"][2]) == ("GB18030", "大圐圙村")
    # Forced to Latin-1 the 名称 column is not found: the argument was obeyed.
    with pytest.raises(InputError) as err:
        read_boundaries(gbk_zone37, encoding="latin-1")
    assert (err.value.reason, err.value.param) == ("no_name_column", "name_field")


def test_six_digit_eastings_need_crs(tmp_path):
    shp = tmp_path / "v.shp"
    _villages("EPSG:4546").to_file(shp, encoding="UTF-8")
    shp.with_suffix(".prj").unlink()
    with pytest.raises(InputError) as err:
        read_boundaries(shp)
    assert (err.value.file, err.value.reason, err.value.param) == (
        "v.shp", "gauss_kruger_no_zone", "crs")
    result = read_boundaries(shp, crs="EPSG:4546")
    assert result.source_crs == "EPSG:4546"
    _same_places(result.units)
    # A wrong central meridian (105 E) puts them 6 degrees west: still China.
    wrong = read_boundaries(shp, crs="EPSG:4544")
    assert wrong.units.geometry[0].bounds[0] == pytest.approx(104.05, abs=0.01)


def test_six_digit_eastings_with_prj(tmp_path):
    shp = tmp_path / "v.shp"
    _villages("EPSG:4546").to_file(shp)
    result = read_boundaries(shp)
    assert result.source_crs == "EPSG:4546"
    _same_places(result.units)


def test_zipped_shapefile(gbk_zone37, tmp_path):
    archive = tmp_path / "boundaries.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in gbk_zone37.parent.glob("固阳县村界.*"):
            zf.write(part, f"村界/{part.name}")
    result = read_boundaries(archive)
    assert list(result.units["name"]) == ["下湿壕村", "兴顺西村", "大圐圙村"]
    assert result.source_crs == "EPSG:4525"
    _same_places(result.units)


def test_geojson_codes_as_text(tmp_path):
    path = tmp_path / "v.geojson"
    frame = _villages("EPSG:4326").rename(columns={"XZQDM": "行政区划代码"})
    frame["行政区划代码"] = frame["行政区划代码"].astype(float)  # as Excel leaves them
    frame["上级"] = [150222102.0, 150222104.0, None]
    frame.to_file(path)
    result = read_boundaries(path, parent_field="上级")
    assert list(result.units["code"]) == ["150222102201", "150222104202", "150222101203"]
    assert list(result.units["parent_code"]) == ["150222102", "150222104", None]
    assert result.source_crs == "EPSG:4326"
    _same_places(result.units)


def test_geopackage_and_kml(tmp_path):
    gpkg = tmp_path / "v.gpkg"
    _villages("EPSG:4525").to_file(gpkg, layer="村界")
    _same_places(read_boundaries(gpkg).units)
    kml = tmp_path / "v.kml"
    frame = _villages("EPSG:4326").rename(columns={"名称": "Name"}).drop(columns="XZQDM")
    frame.to_file(kml, driver="KML")
    result = read_boundaries(kml)
    assert list(result.units["name"]) == ["下湿壕村", "兴顺西村", "大圐圙村"]
    assert list(result.units["code"]) == [None, None, None]
    assert any("no code column" in w for w in result.warnings)


def test_lat_lon_swapped_refused_with_row(tmp_path):
    frame = _villages("EPSG:4326")
    frame.loc[1, "geometry"] = shapely.transform(frame.geometry[1], lambda xy: xy[:, ::-1])
    path = tmp_path / "v.geojson"
    frame.to_file(path)
    with pytest.raises(InputError, match="swapped") as err:
        read_boundaries(path)
    assert (err.value.file, err.value.row) == ("v.geojson", 2)
    assert "lon 41.120000, lat 110.230000" in str(err.value)


def test_bow_tie_repaired_and_reported(tmp_path):
    frame = _villages("EPSG:4326")
    # Corners joined crosswise: two triangles touching at (110.22, 41.13).
    frame.loc[1, "geometry"] = shapely.Polygon(
        [(110.21, 41.12), (110.23, 41.14), (110.23, 41.12), (110.21, 41.14)])
    path = tmp_path / "v.geojson"
    frame.to_file(path)
    result = read_boundaries(path)
    assert result.repaired == [2]
    assert "rows 2" in result.warnings[0]
    fixed = result.units.geometry[1]
    assert fixed.geom_type == "MultiPolygon" and len(fixed.geoms) == 2
    # Each triangle: base 0.02, height 0.01 -> 0.0001 square degrees.
    assert fixed.area == pytest.approx(0.0002, rel=1e-9)
    assert fixed.is_valid


def test_third_survey_village_layer(tmp_path):
    # 三调 村级调查区 (CJDCQ): ZLDWDM is 19 digits, its first 12 the village.
    frame = _villages("EPSG:4525").drop(columns=["名称", "XZQDM"])
    frame["BSM"] = [1, 2, 3]
    frame["ZLDWDM"] = [code + "0000000" for _, code, _ in VILLAGES]
    frame["ZLDWMC"] = [name for name, _, _ in VILLAGES]
    shp = tmp_path / "CJDCQ.shp"
    frame.to_file(shp, encoding="GBK")
    result = read_boundaries(shp)
    assert list(result.units["code"]) == ["150222102201", "150222104202", "150222101203"]
    assert list(result.units["name"]) == ["下湿壕村", "兴顺西村", "大圐圙村"]


def test_missing_name_column_lists_columns(tmp_path):
    path = tmp_path / "v.geojson"
    _villages("EPSG:4326").rename(columns={"名称": "CJMC"}).to_file(path)
    with pytest.raises(InputError) as err:
        read_boundaries(path)
    assert (err.value.reason, err.value.param) == ("no_name_column", "name_field")
    assert "the file has: CJMC, XZQDM — name one with name field F" in str(err.value)
    assert read_boundaries(path, name_field="cjmc").units["name"][2] == "大圐圙村"


def test_points_are_not_boundaries(tmp_path):
    path = tmp_path / "v.geojson"
    frame = _villages("EPSG:4326")
    frame.loc[2, "geometry"] = shapely.Point(110.4, 41.0)
    frame.to_file(path)
    with pytest.raises(InputError, match="must be polygons") as err:
        read_boundaries(path)
    assert err.value.row == 3


# -- Sites -------------------------------------------------------------------

SITE_HEADER = ["序号", "项目名称", "项目类别", "所在村", "经度", "纬度",
               "开工日期", "完工日期", "投资（万元）", "状态", "联系电话"]


def _site_book(path, rows):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["固阳县十个全覆盖项目点位表"])  # a title row above the header
    ws.append(SITE_HEADER)
    for row in rows:
        ws.append(row)
    book.save(path)


def test_sites_from_xlsx(tmp_path):
    path = tmp_path / "sites.xlsx"
    _site_book(path, [
        [1, "下湿壕村卫生室", "嘎查村标准化卫生室", "下湿壕村", 110.0612, 41.0455,
         pd.Timestamp("2015-04-01"), "2015年9月30日", "12.5万元", "已完工", "13800000000"],
        [2, "兴顺西村文化室", "文化活动室", "兴顺西村", "110°13'30\"", "41.1302",
         "2015.5.6", None, "86,000元", "在建", "13900000000"],
    ])
    result = read_sites(path)
    sites = result.sites
    assert list(sites.columns) == ["name", "item_text", "status_text", "start_date",
                                   "end_date", "investment", "village_name", "village_code",
                                   "source_row", "geometry"]
    assert list(sites["village_name"]) == ["下湿壕村", "兴顺西村"]
    assert list(sites["source_row"]) == [3, 4]
    assert list(sites["name"]) == ["下湿壕村卫生室", "兴顺西村文化室"]
    assert list(sites["item_text"]) == ["嘎查村标准化卫生室", "文化活动室"]
    assert list(sites["status_text"]) == ["已完工", "在建"]
    assert list(sites["village_code"]) == [None, None]
    assert list(sites["start_date"]) == [pd.Timestamp("2015-04-01"), pd.Timestamp("2015-05-06")]
    assert sites["end_date"][0] == pd.Timestamp("2015-09-30") and pd.isna(sites["end_date"][1])
    assert list(sites["investment"]) == pytest.approx([12.5, 8.6])  # 86 000 元 = 8.6 万元
    assert sites.crs == "EPSG:4326"
    # 110°13'30" = 110 + 13/60 + 30/3600 = 110.225
    assert sites.geometry.x.tolist() == pytest.approx([110.0612, 110.225], abs=1e-12)
    assert sites.geometry.y.tolist() == pytest.approx([41.0455, 41.1302], abs=1e-12)
    assert result.warnings == []


def test_bad_coordinates_one_error_with_rows(tmp_path):
    path = tmp_path / "sites.xlsx"
    _site_book(path, [
        [1, "甲", "卫生室", "下湿壕村", 110.06, 41.04, None, None, 1, "", ""],
        [2, "乙", "卫生室", "下湿壕村", 110.07, "41.0x", None, None, 1, "", ""],
        [3, "丙", "卫生室", "下湿壕村", 110.08, 41.05, None, None, 1, "", ""],
        [4, "丁", "卫生室", "下湿壕村", None, 41.06, None, None, 1, "", ""],
        [5, "戊", "卫生室", "下湿壕村", 41.07, 110.09, None, None, 1, "", ""],
    ])
    with pytest.raises(InputError) as err:
        read_sites(path)
    e = err.value
    assert (e.file, e.row, e.column) == ("sites.xlsx", 4, "纬度")
    assert "'41.0x' is not a coordinate" in str(e)
    lines = detail_lines(e)
    assert lines[0] == "row 6, column '经度': is empty"
    assert "row 7" in lines[1] and "swapped" in lines[1]


def test_sites_from_gbk_csv(tmp_path):
    path = tmp_path / "sites.csv"
    text = ("项目名称,类别,嘎查村,村代码,经度,纬度,投资\n"
            "乌兰忽洞村街巷硬化,街巷硬化,乌兰忽洞村,150222103204,110.3301,41.2105,35\n")
    path.write_bytes(text.encode("gbk"))
    sites = read_sites(path).sites
    assert sites["name"][0] == "乌兰忽洞村街巷硬化"
    assert sites["village_name"][0] == "乌兰忽洞村"
    assert sites["village_code"][0] == "150222103204"
    assert sites["source_row"][0] == 2
    assert sites["investment"][0] == 35.0
    assert (sites.geometry.x[0], sites.geometry.y[0]) == (110.3301, 41.2105)


def test_sites_in_gauss_kruger_metres(tmp_path):
    # Surveyors' X is the northing: the columns are told apart by their values.
    point = gpd.GeoSeries([shapely.Point(110.0612, 41.0455)], crs="EPSG:4490").to_crs("EPSG:4525")
    path = tmp_path / "sites.csv"
    path.write_text(f"名称,X坐标,Y坐标\n卫生室,{point.y[0]:.3f},{point.x[0]:.3f}\n",
                    encoding="utf-8-sig")
    sites = read_sites(path).sites
    assert (sites.geometry.x[0], sites.geometry.y[0]) == pytest.approx((110.0612, 41.0455),
                                                                        abs=1e-7)


def test_sites_from_point_file(tmp_path):
    path = tmp_path / "sites.geojson"
    gpd.GeoDataFrame({"名称": ["下湿壕村超市"], "投资": [3.2]},
                     geometry=[shapely.Point(110.0612, 41.0455)], crs="EPSG:4326").to_file(path)
    sites = read_sites(path).sites
    assert sites["name"][0] == "下湿壕村超市"
    assert sites["investment"][0] == 3.2
    assert sites["source_row"][0] == 1
    assert pd.isna(sites["start_date"][0])


def test_wrong_cpg_is_overruled_with_a_warning(gbk_zone37):
    gbk_zone37.with_suffix(".cpg").write_text("UTF-8")
    result = read_boundaries(gbk_zone37)
    assert result.units["name"][0] == "下湿壕村"
    assert result.warnings == ["the .cpg says UTF-8 but the text is not; guessed instead"]


def test_dbf_language_byte_read(tmp_path):
    shp = tmp_path / "v.shp"
    _villages().to_file(shp, encoding="GBK")
    _strip_encoding_hints(shp)
    data = bytearray(shp.with_suffix(".dbf").read_bytes())
    data[29] = 0x4D  # ESRI's "Chinese GBK (PRC), Windows" (code page 936)
    shp.with_suffix(".dbf").write_bytes(bytes(data))
    result = read_boundaries(shp)
    assert (result.encoding, result.units["name"][1]) == ("GB18030", "兴顺西村")


def test_sites_xy_with_crs_and_a_total_row(tmp_path):
    # 6-digit eastings cannot be placed alone: --crs names the meridian (111 E).
    point = gpd.GeoSeries([shapely.Point(110.0612, 41.0455)], crs="EPSG:4490").to_crs("EPSG:4546")
    path = tmp_path / "sites.csv"
    path.write_text(f"名称,X,Y\n卫生室,{point.x[0]:.3f},{point.y[0]:.3f}\n合计,,\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_sites(path)
    assert (err.value.reason, err.value.param) == ("gauss_kruger_no_zone", "crs")
    result = read_sites(path, crs="EPSG:4546")
    sites = result.sites
    assert (sites.geometry.x[0], sites.geometry.y[0]) == pytest.approx((110.0612, 41.0455),
                                                                        abs=1e-7)
    assert result.warnings == ["row 3: a total row, not a site, was skipped"]


def test_sites_picked_on_amap_are_gcj02(tmp_path):
    path = tmp_path / "sites.csv"
    # 高德 (amap) shows GCJ-02: prcoords.wgs_gcj of (110.05, 41.03), ~540 m off.
    path.write_text("名称,经度,纬度\n卫生室,110.05607877585078,41.03169783491523\n")
    sites = read_sites(path, crs="GCJ-02").sites
    assert (sites.geometry.x[0], sites.geometry.y[0]) == pytest.approx((110.05, 41.03), abs=1e-7)



@pytest.mark.parametrize("name, data", [
    ("sites.xlsx", b"not a workbook"),
    ("sites.xls", b"not a workbook"),
    # The first 5000 bytes of a real .xls: xlrd fails inside, with IndexError.
    ("truncated.xls", (DATA / "baotou_county_ledger.xls").read_bytes()[:5000]),
])
def test_corrupt_site_workbooks_are_input_errors(tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(InputError, match=re.escape(f"{name}: not a readable xls")):
        read_sites(tmp_path / name)
