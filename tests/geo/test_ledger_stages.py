"""The ledger reader's stages one by one, on a small grid typed in here.

The grid is a village ledger as a workbook gives it (row numbers 1-based,
merged ranges 0-based): a title, a 填报单位/截至 line, a two-level header
with 危房改造 merged over 任务/完工, two villages of 石宝镇 (the township
merged down), a 小计 row and a note. Every expected value was worked out by
hand from it.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from geo.errors import InputError
from geo.i18n.errors import detail_lines
from geo.ledger import read_ledger
from geo.ledger.above import read_above
from geo.ledger.columns import choose_units, map_columns
from geo.ledger.figures import read_figures
from geo.ledger.header import find_header
from geo.ledger.model import Figure, Note
from geo.ledger.rows import read_rows
from geo.ledger.sheets import Grid
from geo.ledger.totals import check_totals
from geo.programme import load_programme

NA = math.nan
HOUSING_TARGET, HOUSING_DONE = "危房改造（户）/任务", "危房改造（户）/完工"


@pytest.fixture(scope="module")
def programme():
    return load_programme("ten_full_coverage")


def _grid() -> Grid:
    cells = [
        ["石宝镇进度台账", None, None, None, None, None],
        ["填报单位：石宝镇人民政府（盖章）", None, None, "截至2016年8月10日", None, None],
        ["苏木乡镇", "嘎查村", "代码", "危房改造（户）", None, "卫生室"],
        [None, None, None, "任务", "完工", None],
        ["石宝镇", "新宝力格嘎查", "150223100201", 10, 8, "已完成"],
        [None, "乌兰嘎查", "150223100202", 6, 7, "在建"],
        ["石宝镇小计", None, None, 16, 15, None],
        ["注：“—”为不涉及。", None, None, None, None, None],
    ]
    merges = [(0, 0, 0, 5), (2, 0, 3, 0), (2, 1, 3, 1), (2, 2, 3, 2), (2, 3, 2, 4),
              (2, 5, 3, 5), (4, 0, 5, 0)]
    return Grid(cells, list(range(1, len(cells) + 1)), merges)


def test_header_and_its_columns(programme):
    header = find_header(_grid(), programme, file="shibao.xlsx")
    assert (header.first_row, header.data_row) == (2, 4)
    columns = header.columns
    assert [(c.index, c.label, c.kind) for c in columns.columns] == [
        (0, "苏木乡镇", "parent"), (1, "嘎查村", "name"), (2, "代码", "code"),
        (3, HOUSING_TARGET, "item"), (4, HOUSING_DONE, "item"), (5, "卫生室", "item")]
    assert columns.described() == {HOUSING_TARGET: ("housing", "target"),
                                   HOUSING_DONE: ("housing", "completed"),
                                   "卫生室": ("clinics", "status")}
    assert columns.name.level == "village" and columns.parent.level == "township"
    assert [c.label for c in columns.row_labels] == ["苏木乡镇", "嘎查村", "代码"]
    assert [c.label for c in columns.summable] == [HOUSING_TARGET, HOUSING_DONE]


def test_the_finest_name_is_the_unit(programme):
    mapped = map_columns([["旗县区", "苏木乡镇", "嘎查村", "代码", "危房改造任务"]], programme)
    assert [c.kind for c in mapped.columns] == ["name", "name", "name", "code", "item"]
    chosen = choose_units(mapped, file="three.xlsx")
    assert [c.kind for c in chosen.columns] == ["grandparent", "parent", "name", "code", "item"]
    assert [c.kind for c in mapped.columns] == ["name", "name", "name", "code", "item"]


def test_lines_above_the_header(programme):
    grid = _grid()
    above = read_above(grid, find_header(grid, programme, file="shibao.xlsx"))
    assert above.as_of == dt.date(2016, 8, 10)
    assert above.reporting_unit == "石宝镇人民政府"


def test_rows_units_and_totals(programme):
    grid = _grid()
    rows = read_rows(grid, find_header(grid, programme, file="shibao.xlsx"), programme,
                     file="shibao.xlsx")
    assert [(u.source_row, u.code, u.name, u.parent_name, u.level_hint) for u in rows.units] == [
        (5, "150223100201", "新宝力格嘎查", "石宝镇", "village"),
        (6, "150223100202", "乌兰嘎查", "石宝镇", "village")]
    (total,) = rows.totals
    # The township cell says 小计 itself, so the label names the township.
    assert (total.source_row, total.kind, total.label, total.township, total.units_above) == (
        7, "小计", "石宝镇小计", None, 2)
    assert rows.notes == [] and rows.unreadable == []


def test_figures_of_each_unit(programme):
    grid = _grid()
    header = find_header(grid, programme, file="shibao.xlsx")
    rows = read_rows(grid, header, programme, file="shibao.xlsx")
    figures = read_figures(rows, header.columns, programme, file="shibao.xlsx")
    housing = [f for f in figures.values if f.item == "housing"]
    assert [(f.source_row, f.target, f.completed, f.status) for f in housing] == [
        (5, 10, 8, None), (6, 6, 7, None)]
    assert all(math.isnan(f.started) for f in housing)
    clinics = [f for f in figures.values if f.item == "clinics"]
    assert clinics == [Figure(5, "clinics", 1.0, 1.0, 1.0, "done"),
                       Figure(6, "clinics", 1.0, 1.0, 0.0, "in_progress")]
    assert figures.by_cell == {5: {HOUSING_TARGET: 10, HOUSING_DONE: 8},
                               6: {HOUSING_TARGET: 6, HOUSING_DONE: 7}}
    assert figures.notes == [Note(6, "shibao.xlsx: row 6, column '危房改造（户）/完工': "
                                     "completed 7 exceeds target 6 (over-completion; "
                                     "kept as reported)")]


def test_subtotal_sums_its_township(programme):
    grid = _grid()
    header = find_header(grid, programme, file="shibao.xlsx")
    rows = read_rows(grid, header, programme, file="shibao.xlsx")
    figures = read_figures(rows, header.columns, programme, file="shibao.xlsx")
    totals = check_totals(rows, figures, header.columns, file="shibao.xlsx")
    (check,) = totals.checks
    assert check.as_dict() == {
        "row": 7, "label": "石宝镇小计", "kind": "小计", "rows": 2, "ok": True,
        "columns": {HOUSING_TARGET: {"stated": 16, "summed": 16, "ok": True},
                    HOUSING_DONE: {"stated": 15, "summed": 15, "ok": True}}}
    assert totals.warnings == []


def _csv(tmp_path, text):
    path = tmp_path / "ledger.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_warnings_come_in_row_order_across_stages(tmp_path, programme):
    # Rows 2 and 4 warn in the figures stage, row 3 in the rows stage.
    path = _csv(tmp_path, "嘎查村,危房改造任务,危房改造完工\n"
                          "乌兰嘎查,5,6\n"
                          ",1,1\n"
                          "巴音村,2,3\n")
    ledger = read_ledger(path, programme)
    assert [w.split(":")[1] for w in ledger.warnings] == [" row 2, column '危房改造完工'",
                                                          " row 3", " row 4, column '危房改造完工'"]


def test_a_rows_code_is_reported_before_its_figures(tmp_path, programme):
    # The code column is right of the figures, yet the code is read first.
    path = _csv(tmp_path, "嘎查村,危房改造任务,代码\n"
                          "乌兰嘎查,约10,15022x\n")
    with pytest.raises(InputError) as caught:
        read_ledger(path, programme)
    assert (caught.value.row, caught.value.column) == (2, "代码")
    assert detail_lines(caught.value) == [
        "row 2, column '危房改造任务': '约10' is not a number such as 1,193 or 12.5, "
        "or — for not applicable"]
