"""Ledgers built in the layouts offices use, read back value by value.

Every expected figure below was worked out by hand from the fixture rows.
"""

from __future__ import annotations

import datetime as dt
import math

import openpyxl
import pandas as pd
import pytest

from geo.errors import InputError
from geo.i18n.errors import detail_lines
from geo.ledger import Ledger, read_ledger, write_template
from geo.ledger.values import BadCell, read_code, read_number
from geo.programme import load_programme

NA = math.nan


@pytest.fixture(scope="module")
def programme():
    return load_programme("ten_full_coverage")


def _xlsx(path, rows, merges=(), formats=None):
    """Write ``rows`` (row 1 first) and merge ``merges`` ("A1:N1")."""
    book = openpyxl.Workbook()
    ws = book.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
    for cell, number_format in (formats or {}).items():
        ws[cell].number_format = number_format
    for rng in merges:
        ws.merge_cells(rng)
    book.save(path)
    return path


def _values(ledger: Ledger, item: str) -> dict[int, tuple]:
    v = ledger.values[ledger.values["item"] == item]
    return {row.source_row: (row.target, row.started, row.completed, row.status)
            for row in v.itertuples()}


def _same(got: tuple, want: tuple) -> bool:
    return all((isinstance(w, float) and math.isnan(w) and math.isnan(g)) or g == w
               for g, w in zip(got, want, strict=True))


# --- a Baotou county ledger ---------------------------------------------------

def _baotou_counties(path, *, total_housing_completed=9869):
    h = ["序号", "旗县区", "行政区划代码", "危房改造（户）", None, None,
         "安全饮水（人）", None, None, "街巷硬化（公里）", None, None,
         "卫生室（个）", None, "备注", "联系电话"]
    sub = ["序号", "旗县区", "行政区划代码", "任务", "开工", "完工", "任务", "开工", "完工",
           "任务", "开工", "完工", "任务", "完工", "备注", "联系电话"]
    rows = [
        ["包头市十个全覆盖工程进度台账"],
        ["填报单位：包头市十个全覆盖工作领导小组办公室", None, None, None, None, None,
         None, "截至2016年8月10日"],
        h, sub,
        [1, "达茂旗", "150223", "1,193", 1100, 1050, 12000, 12000, 11500,
         "12.5公里", 10, 8.5, 75, 60, None, "13904721234"],
        [2, "土右旗", 150221, 8000, 8700, 8656, "—", "—", "—",
         30.5, 30, 28, 120, 118, "超额完成", "0472-5123456"],
        [3, "昆区", 150203.0, "１２３", 120, 118, 5000, "4,800", 4800,
         "—", "－", "-", 10, 10],
        [4, "白云矿区", "150206", 50, 40, 45, " 8 656 ", 8000, 7000,
         5, 5, 5, 3, "—"],
        ["合计", None, None, 9366, 9960, total_housing_completed, 25656, 24800, 23300,
         48, 45, 41.5, 208, 188],
        ["注：1. 数据由各旗县区上报，“—”为不涉及。"],
        ["填报人：张三    审核人：李四"],
    ]
    merges = ["A1:P1", "A2:G2", "H2:P2", "A3:A4", "B3:B4", "C3:C4", "D3:F3", "G3:I3",
              "J3:L3", "M3:N3", "O3:O4", "P3:P4", "A9:B9", "A10:P10"]
    # Merged header cells below/right of the first are blank in a real file.
    rows[3] = [None, None, None] + sub[3:14] + [None, None]
    return _xlsx(path, rows, merges)


def test_county_ledger_rows_meta_and_columns(tmp_path, programme):
    ledger = read_ledger(_baotou_counties(tmp_path / "baotou.xlsx"), programme)
    assert ledger.rows["source_row"].tolist() == [5, 6, 7, 8]
    assert ledger.rows["code"].tolist() == ["150223", "150221", "150203", "150206"]
    assert ledger.rows["name"].tolist() == ["达茂旗", "土右旗", "昆区", "白云矿区"]
    assert ledger.rows["parent_name"].tolist() == [None] * 4
    assert ledger.rows["level_hint"].tolist() == ["county"] * 4
    assert ledger.as_of == dt.date(2016, 8, 10)
    assert ledger.reporting_unit == "包头市十个全覆盖工作领导小组办公室"
    assert ledger.columns["危房改造（户）/任务"] == ("housing", "target")
    assert ledger.columns["卫生室（个）/完工"] == ("clinics", "completed")
    assert len(ledger.columns) == 11
    assert ledger.ignored_columns == ["序号", "备注"]
    assert ledger.dropped_columns == ["联系电话"]


def test_county_ledger_figures(tmp_path, programme):
    ledger = read_ledger(_baotou_counties(tmp_path / "baotou.xlsx"), programme)
    housing = _values(ledger, "housing")
    assert housing == {5: (1193, 1100, 1050, None), 6: (8000, 8700, 8656, None),
                       7: (123, 120, 118, None), 8: (50, 40, 45, None)}
    water = _values(ledger, "water")
    assert _same(water[6], (NA, NA, NA, "na"))     # "—" is not applicable, not 0
    assert water[8] == (8656, 8000, 7000, None)
    roads = _values(ledger, "roads")
    assert roads[5] == (12.5, 10, 8.5, None)
    assert _same(roads[7], (NA, NA, NA, "na"))
    clinics = _values(ledger, "clinics")
    assert _same(clinics[5], (75, NA, 60, None))
    assert _same(clinics[8], (3, NA, NA, None))
    assert len(ledger.values) == 16


def test_county_ledger_total_and_warnings(tmp_path, programme):
    ledger = read_ledger(_baotou_counties(tmp_path / "baotou.xlsx"), programme)
    (check,) = ledger.total_checks
    assert check["row"] == 9 and check["label"] == "合计" and check["ok"]
    assert check["columns"]["危房改造（户）/完工"] == {
        "stated": 9869, "summed": 9869, "ok": True}
    assert check["columns"]["街巷硬化（公里）/完工"]["summed"] == pytest.approx(41.5)
    assert len(check["columns"]) == 11
    assert len(ledger.warnings) == 2
    over, started = ledger.warnings
    assert "row 6" in over and "'危房改造（户）/完工'" in over
    assert "8,656" in over and "8,000" in over and "over-completion" in over
    assert "row 8" in started and "45" in started and "40" in started


def test_county_ledger_wrong_total_is_a_warning(tmp_path, programme):
    path = _baotou_counties(tmp_path / "baotou.xlsx", total_housing_completed=9870)
    ledger = read_ledger(path, programme)
    (check,) = ledger.total_checks
    assert not check["ok"]
    assert check["columns"]["危房改造（户）/完工"] == {
        "stated": 9870, "summed": 9869, "ok": False}
    (mismatch,) = [w for w in ledger.warnings if "sum" in w]
    assert mismatch.startswith("baotou.xlsx: row 9")
    assert "'危房改造（户）/完工'" in mismatch and "9,870" in mismatch and "9,869" in mismatch


def test_personal_data_is_dropped_unread(tmp_path, programme):
    ledger = read_ledger(_baotou_counties(tmp_path / "baotou.xlsx"), programme)
    everything = repr(ledger)
    for secret in ("13904721234", "0472-5123456", "张三", "李四"):
        assert secret not in everything


# --- a village ledger with townships merged down ------------------------------

def _village_ledger(path):
    header = ["序号", "苏木乡镇", "嘎查村", "代码", "危房改造任务(户)", "危房改造完工（户）",
              "嘎查村标准化卫生室", "文化室", "社会保障(%)", "户主姓名", "身份证号"]
    rows = [
        ["达茂旗嘎查村十个全覆盖进度台账"],
        ["填报单位：达茂旗十个全覆盖办公室    截至2016.8.10"],
        header,
        [1, "石宝镇", "新宝力格嘎查", "150223100201", 10, 8, "已完成", "在建", 0.965,
         "张三", "152223196001011234"],
        [2, None, "乌兰嘎查", "150223100202", "—", "—", "未开工", "已完成", 100],
        [3, None, "巴音村", 150223100203.0, 5, 5, "不适用", None, "88%"],
        [None, None, "小计", None, 15, 13],
        [4, "百灵庙镇", "艾不盖嘎查", "150223101201", 20, 12, "在建", "未开工", "—"],
        [5, None, "红旗村", "150223101202", 6, 6, "√", "完成", 95],
        [None, "百灵庙镇小计", None, None, 27, 18],
        ["合计", None, None, None, 41, 31],
        [],
        ["审核人：王五"],
    ]
    merges = ["A1:K1", "A2:K2", "B4:B7", "B8:B9", "A11:D11"]
    return _xlsx(path, rows, merges, formats={"I4": "0.0%"})


def test_village_ledger_rows_and_townships(tmp_path, programme):
    ledger = read_ledger(_village_ledger(tmp_path / "damao.xlsx"), programme)
    rows = ledger.rows
    assert rows["source_row"].tolist() == [4, 5, 6, 8, 9]
    assert rows["name"].tolist() == ["新宝力格嘎查", "乌兰嘎查", "巴音村", "艾不盖嘎查", "红旗村"]
    assert rows["code"].tolist() == ["150223100201", "150223100202", "150223100203",
                                     "150223101201", "150223101202"]
    assert rows["parent_name"].tolist() == ["石宝镇"] * 3 + ["百灵庙镇"] * 2
    assert set(rows["level_hint"]) == {"village"}
    assert ledger.as_of == dt.date(2016, 8, 10)
    assert ledger.reporting_unit == "达茂旗十个全覆盖办公室"
    assert ledger.dropped_columns == ["户主姓名", "身份证号"]
    assert "152223196001011234" not in repr(ledger)


def test_village_ledger_statuses_and_shares(tmp_path, programme):
    ledger = read_ledger(_village_ledger(tmp_path / "damao.xlsx"), programme)
    assert ledger.columns["嘎查村标准化卫生室"] == ("clinics", "status")
    assert ledger.columns["社会保障(%)"] == ("social_security", "completed")
    clinics = _values(ledger, "clinics")
    assert clinics[4] == (1, 1, 1, "done")
    assert clinics[5] == (1, 0, 0, "not_started")
    assert _same(clinics[6], (NA, NA, NA, "na"))
    assert clinics[8] == (1, 1, 0, "in_progress")
    assert clinics[9] == (1, 1, 1, "done")
    culture = _values(ledger, "culture")
    assert sorted(culture) == [4, 5, 8, 9]       # a blank cell is unreported
    assert culture[4][3] == "in_progress" and culture[8][3] == "not_started"
    shares = _values(ledger, "social_security")
    assert _same(shares[4], (100, NA, 96.5, None))   # 0.965 formatted as %
    assert _same(shares[6], (100, NA, 88, None))
    assert _same(shares[8], (NA, NA, NA, "na"))
    housing = _values(ledger, "housing")
    assert _same(housing[5], (NA, NA, NA, "na"))
    assert _same(housing[8], (20, NA, 12, None))


def test_village_subtotals_per_township(tmp_path, programme):
    ledger = read_ledger(_village_ledger(tmp_path / "damao.xlsx"), programme)
    first, second, total = ledger.total_checks
    assert (first["row"], first["label"], first["rows"], first["ok"]) == (7, "小计", 3, True)
    assert first["columns"]["危房改造任务(户)"]["summed"] == 15
    assert (second["row"], second["rows"], second["ok"]) == (10, 2, False)
    assert second["columns"]["危房改造任务(户)"] == {"stated": 27, "summed": 26, "ok": False}
    assert second["columns"]["危房改造完工（户）"]["ok"]
    assert (total["row"], total["rows"], total["ok"]) == (11, 5, True)
    (warning,) = ledger.warnings
    assert "row 10" in warning and "'危房改造任务(户)'" in warning
    assert "27" in warning and "26" in warning


# --- csv in the encodings offices save ----------------------------------------

CSV_COUNTY = """包头市危房改造进度表
截止日期：2016-08-10
序号,旗县区,区划代码,危房改造任务(户),危房改造完工(户),卫生室任务(个),卫生室完工(个)
1,达茂旗,150223,"1,193",1050,75,60
2,土右旗,150221,8000,"8,656",120,118
合计,,,9193,9706,195,178
注：GBK 编码，由 Excel 另存为 csv。
"""

CSV_VILLAGE = """苏木乡镇,嘎查村,代码,街巷硬化（公里）,,,卫生室
,,,任务,开工,完工,
石宝镇,新宝力格嘎查,150223100201,12.5公里,10,8.5,√
,乌兰嘎查,150223100202,—,—,—,×
百灵庙镇,红旗村,150223101202,3,3,3,在建
"""


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_csv_county_ledger(tmp_path, programme, encoding):
    path = tmp_path / "baotou.csv"
    path.write_bytes(CSV_COUNTY.encode(encoding))
    ledger = read_ledger(path, programme)
    assert ledger.rows["name"].tolist() == ["达茂旗", "土右旗"]
    assert ledger.rows["source_row"].tolist() == [4, 5]
    assert ledger.as_of == dt.date(2016, 8, 10)
    assert _same(_values(ledger, "housing")[5], (8000, NA, 8656, None))
    assert _same(_values(ledger, "clinics")[4], (75, NA, 60, None))
    (check,) = ledger.total_checks
    assert check["ok"] and check["row"] == 6
    assert ledger.warnings == ["baotou.csv: row 5, column '危房改造完工(户)': completed "
                               "8,656 exceeds target 8,000 (over-completion; kept as reported)"]


def test_encoding_override(tmp_path, programme):
    path = tmp_path / "baotou.csv"
    path.write_bytes(CSV_COUNTY.encode("gbk"))
    assert read_ledger(path, programme, encoding="gbk").rows["name"].tolist() == ["达茂旗", "土右旗"]
    with pytest.raises(InputError, match="cannot decode as utf-8"):
        read_ledger(path, programme, encoding="utf-8")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_two_level_header_and_township_fill(tmp_path, programme, encoding):
    path = tmp_path / "villages.csv"
    path.write_bytes(CSV_VILLAGE.encode(encoding))
    ledger = read_ledger(path, programme)
    assert ledger.columns == {
        "街巷硬化（公里）/任务": ("roads", "target"), "街巷硬化（公里）/开工": ("roads", "started"),
        "街巷硬化（公里）/完工": ("roads", "completed"), "卫生室": ("clinics", "status")}
    assert ledger.rows["parent_name"].tolist() == ["石宝镇", "石宝镇", "百灵庙镇"]
    assert ledger.rows["source_row"].tolist() == [3, 4, 5]
    roads = _values(ledger, "roads")
    assert roads[3] == (12.5, 10, 8.5, None)
    assert _same(roads[4], (NA, NA, NA, "na"))
    assert [v[3] for v in _values(ledger, "clinics").values()] == [
        "done", "not_started", "in_progress"]
    assert ledger.as_of is None and ledger.warnings == []


# --- what cannot be read --------------------------------------------------------

def test_bad_cells_are_reported_together(tmp_path, programme):
    path = _xlsx(tmp_path / "bad.xlsx", [
        ["旗县区", "危房改造任务", "危房改造完工", "卫生室"],
        ["达茂旗", "约100", 80, "已完成"],
        ["土右旗", 90, "八十", "差不多"],
    ])
    with pytest.raises(InputError) as caught:
        read_ledger(path, programme)
    error = caught.value
    assert (error.row, error.column) == (2, "危房改造任务")
    assert "'约100' is not a number" in str(error)
    assert detail_lines(error) == [
        "row 3, column '危房改造完工': '八十' is not a number such as 1,193 or 12.5, "
        "or — for not applicable",
        "row 3, column '卫生室': '差不多' is not a status word (已完成/在建/未开工/不适用)"]


def test_no_header_says_what_was_expected(tmp_path, programme):
    path = _xlsx(tmp_path / "other.xlsx", [["姓名", "金额"], ["张三", 100]])
    with pytest.raises(InputError, match="no header row found.*名称.*危房改造"):
        read_ledger(path, programme)


def test_items_without_a_name_column(tmp_path, programme):
    path = _xlsx(tmp_path / "noname.xlsx", [["危房改造任务", "危房改造完工"], [1, 2]])
    with pytest.raises(InputError, match="no name or code column"):
        read_ledger(path, programme)


def test_count_item_without_a_field_word(tmp_path, programme):
    # 名称 is there: what is missing is whether 100 houses are planned or built.
    path = tmp_path / "fieldless.csv"
    path.write_text("名称,危房改造\n固阳县,100\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_ledger(path, programme)
    message = str(caught.value)
    assert "no name or code column" not in message
    assert "item column(s) '危房改造' say no field word" in message
    assert "(危房改造任务)" in message
    assert "target: 任务/计划/目标/任务数/应改" in message
    assert "completed: 完工/已完工/完成/竣工/已完成/完成数" in message


def test_unknown_sheet_and_extension(tmp_path, programme):
    path = _baotou_counties(tmp_path / "baotou.xlsx")
    with pytest.raises(InputError, match="no sheet '进度'; the workbook has Sheet"):
        read_ledger(path, programme, sheet="进度")
    (tmp_path / "baotou.ods").write_bytes(b"")
    with pytest.raises(InputError, match="expected .xlsx, .xls or .csv"):
        read_ledger(tmp_path / "baotou.ods", programme)


@pytest.mark.parametrize("text, value, state", [
    ("1,193", 1193, "num"), ("1，193", 1193, "num"), ("12.5公里", 12.5, "num"),
    (" 8 656 ", 8656, "num"), ("96.5%", 96.5, "num"), ("１２３", 123, "num"),
    (150.0, 150, "num"), ("—", NA, "na"), ("－", NA, "na"), ("-", NA, "na"),
    ("/", NA, "na"), ("／", NA, "na"), ("", NA, "blank"), (None, NA, "blank"),
])
def test_read_number(text, value, state):
    got, got_state = read_number(text)
    assert got_state == state
    assert (math.isnan(got) and math.isnan(value)) or got == value


def test_read_code():
    assert read_code(150222000000.0) == "150222000000"
    assert read_code("０１５０２２２") == "0150222"
    assert read_code(" 150222 ") == "150222"
    assert read_code(None) is None
    with pytest.raises(BadCell, match="scientific notation"):
        read_code("1.50222E+11")


# --- the template ---------------------------------------------------------------

VILLAGES = pd.DataFrame({
    "code": ["150223100201", "150223100202", "150223101201", "150223100203", "150223199201"],
    "name": ["新宝力格嘎查", "乌兰嘎查", "艾不盖嘎查", "巴音村", "=示范村"],
    "level": "village",
    "parent_code": ["150223100", "150223100", "150223101", "150223100", "150223199"],
    "township_name": ["石宝镇", "石宝镇", "百灵庙镇", "石宝镇", None],
})


def test_village_template_reads_back(tmp_path, programme):
    path = tmp_path / "template.xlsx"
    write_template(VILLAGES, programme, path, level="village", region_name="达茂旗",
                   as_of=dt.date(2016, 8, 10))
    ledger = read_ledger(path, programme)
    # Grouped by township in the order townships first appear.
    assert ledger.rows["code"].tolist() == ["150223100201", "150223100202", "150223100203",
                                            "150223101201", "150223199201"]
    assert ledger.rows["name"].tolist() == ["新宝力格嘎查", "乌兰嘎查", "巴音村", "艾不盖嘎查",
                                            "=示范村"]
    assert ledger.rows["parent_name"].tolist() == ["石宝镇"] * 3 + ["百灵庙镇", None]
    assert set(ledger.rows["level_hint"]) == {"village"}
    assert ledger.as_of == dt.date(2016, 8, 10)
    assert ledger.values.empty and ledger.warnings == [] and ledger.total_checks == []
    assert {key for key, _ in ledger.columns.values()} == set(programme.item_keys)
    assert ledger.columns["卫生室"] == ("clinics", "status")

    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "达茂旗十个全覆盖工程进度台账"
    assert ws.freeze_panes == "E5"
    assert "B5:B7" in {str(m) for m in ws.merged_cells.ranges}
    assert ws["C5"].number_format == "@"
    (dropdown,) = ws.data_validations.dataValidation
    assert dropdown.formula1 == '"已完成,在建,未开工,不适用"'
    assert not any(isinstance(c.value, str) and c.value.startswith("=")
                   and c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_county_template_reads_back(tmp_path, programme):
    counties = pd.DataFrame({
        "code": ["150223", "150221", "150203", "150206", "1502"],
        "name": ["达茂旗", "土右旗", "昆区", "白云矿区", "包头市"],
        "level": ["county"] * 4 + ["league"],
        "parent_code": ["1502"] * 4 + ["15"],
    })
    path = tmp_path / "counties.xlsx"
    write_template(counties, programme, path, level="county", region_name="包头市")
    ledger = read_ledger(path, programme)
    assert ledger.rows["code"].tolist() == ["150223", "150221", "150203", "150206"]
    assert ledger.rows["name"].tolist() == ["达茂旗", "土右旗", "昆区", "白云矿区"]
    assert set(ledger.rows["level_hint"]) == {"county"}
    assert ledger.as_of is None and ledger.reporting_unit is None
    assert ledger.columns["卫生室（个）/任务"] == ("clinics", "target")
    assert ledger.columns["卫生室（个）/完工"] == ("clinics", "completed")
    assert ledger.warnings == [] and ledger.values.empty


def test_county_township_village_columns(tmp_path, programme):
    path = tmp_path / "three.csv"
    path.write_text(
        "旗县区,乡镇(苏木),行政村,便民连锁超市,超市备注\n"
        "达茂旗,石宝镇,乌兰嘎查,有,\n"
        "达茂旗,石宝镇,巴音村,无,\n"
        "达茂旗,小计,,2,\n", encoding="utf-8")
    ledger = read_ledger(path, programme)
    assert ledger.rows["name"].tolist() == ["乌兰嘎查", "巴音村"]
    assert ledger.rows["parent_name"].tolist() == ["石宝镇", "石宝镇"]
    assert ledger.rows["code"].tolist() == [None, None]
    assert ledger.rows["level_hint"].tolist() == ["village", "village"]
    assert [v[3] for v in _values(ledger, "shops").values()] == ["done", "not_started"]
    # The county column scopes the township (township names repeat across counties).
    assert ledger.rows["grandparent_name"].tolist() == ["达茂旗", "达茂旗"]
    assert ledger.ignored_columns == ["超市备注"]
    # A subtotal of a status column is not checked: its cells are not figures.
    assert ledger.total_checks == [
        {"row": 4, "label": "小计", "kind": "小计", "rows": 2, "columns": {}, "ok": True}]


@pytest.mark.parametrize("label, kind", [
    ("合计", "合计"), ("全市合计", "合计"), ("全旗合计", "合计"), ("总 计", "合计"),
    ("总计", "合计"), ("小计", "小计"), ("石宝镇小计", "小计"), ("石宝镇", None)])
def test_total_labels(label, kind):
    from geo.ledger.values import total_kind
    assert total_kind(label) == kind


def test_spaced_total_row_is_not_a_unit(tmp_path, programme):
    path = _xlsx(tmp_path / "spaced.xlsx", [
        ["单位", "代码", "危房改造任务", "危房改造完工"],
        ["总 计", None, 30, 20],
        ["达茂旗", "150223", 10, 5],
        ["土右旗", "150221", 20, 15],
    ])
    ledger = read_ledger(path, programme)
    assert ledger.rows["name"].tolist() == ["达茂旗", "土右旗"]
    assert ledger.rows["level_hint"].tolist() == [None, None]
    (check,) = ledger.total_checks
    assert check["label"] == "总 计" and check["ok"] and check["rows"] == 2


def test_corrupt_workbooks(tmp_path, programme):
    for name in ("broken.xlsx", "broken.xls"):
        (tmp_path / name).write_bytes(b"not a workbook")
        with pytest.raises(InputError, match="not a readable"):
            read_ledger(tmp_path / name, programme)
