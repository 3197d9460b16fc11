"""Undo: an import set aside by a recorded reversal, nothing deleted, later imports kept.

Baotou's county ledger of 08-10, then 固阳县 again on 08-25 (the shared second
round), then an unrelated later ledger (达茂旗 on 09-01).
"""

import datetime as dt

import pytest
from openpyxl import Workbook

from geo.store import Store
from geo.summary import summarise
from tests.conftest import DATA, second_round

SEP_1 = dt.date(2016, 9, 1)


def damao_ledger(path):
    book = Workbook()
    sheet = book.active
    sheet.append(["包头市十个全覆盖工程进度台账（旗县区）"])
    sheet.append(["填报单位：包头市", None, None, None, "截至2016年9月1日"])
    sheet.append(["旗县区", "危房改造（户）", None])
    sheet.append([None, "任务", "完工"])
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("B3:C3")
    sheet.append(["达茂旗", "1,950", "1,560"])
    book.save(path)


@pytest.fixture
def three_imports(store_at, tmp_path, run):
    """The three ledgers in a Baotou store, on each backend."""
    assert run("import", DATA / "baotou_county_ledger.xlsx", "--store", store_at)[0] == 0
    second_round(tmp_path / "包头-0825.xlsx")
    assert run("import", tmp_path / "包头-0825.xlsx", "--store", store_at)[0] == 0
    damao_ledger(tmp_path / "达茂-0901.xlsx")
    code, _, err = run("import", tmp_path / "达茂-0901.xlsx", "--store", store_at)
    assert code == 0, err
    return store_at


def housing(path, code: str) -> float:
    store = Store(path)
    table = summarise(store.units(), store.progress(), store.programme, level="county",
                      region="150200", item="housing", as_of=SEP_1)
    return float(table.set_index("code").loc[code, "pct"])


def test_undo_brings_back_the_figures_before_and_keeps_a_later_import(three_imports, run):
    # 固阳县 housing: 2028/3120 = 65 % after import 2; 1890/3120 = 60.58 % before it.
    assert housing(three_imports, "150222") == pytest.approx(65.0)
    assert housing(three_imports, "150223") == pytest.approx(80.0)      # 1560/1950, import 3
    before = len(Store(three_imports).progress())
    code, out, err = run("undo", "2", "--store", three_imports)
    assert code == 0, err
    assert "import 2 (" in out and "undone by import 4" in out
    assert housing(three_imports, "150222") == pytest.approx(60.58)
    assert housing(three_imports, "150223") == pytest.approx(80.0)      # untouched
    # Nothing deleted: the rows are there, set aside; the 08-25 snapshot is gone.
    store = Store(three_imports)
    assert len(store.progress()) == before - 4
    assert dt.date(2016, 8, 25) not in store.snapshot_dates()
    assert store.imports()["kind"].tolist() == ["progress", "progress", "progress", "undo"]
    # Undoing the undo brings import 2 back.
    assert run("undo", "4", "--store", three_imports)[0] == 0
    assert housing(three_imports, "150222") == pytest.approx(65.0)


def test_undoing_an_older_import_leaves_what_a_later_one_corrected(three_imports, run):
    # 固阳县 reported again on 08-25: undoing the 08-10 ledger changes nothing for it,
    # while 东河区, only in the 08-10 ledger, has no figures left.
    assert run("undo", "1", "--store", three_imports)[0] == 0
    assert housing(three_imports, "150222") == pytest.approx(65.0)
    assert housing(three_imports, "150202") != housing(three_imports, "150202")   # NaN


@pytest.mark.parametrize("target, message", [("9", "there is no import 9"),
                                             ("2", "already undone")])
def test_undo_refuses_what_it_cannot_do(three_imports, run, target, message):
    if message == "already undone":
        assert run("undo", "2", "--store", three_imports)[0] == 0
    code, _, err = run("undo", target, "--store", three_imports)
    assert code == 1 and message in err and "Traceback" not in err


def test_the_demo_is_never_undone(run):
    code, _, err = run("undo", "2")
    assert code == 2 and "never write into the demo" in err
