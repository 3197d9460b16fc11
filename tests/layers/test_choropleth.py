"""The static choropleth: colours from the programme's classes, CJK text."""

import matplotlib

matplotlib.use("Agg")

import geopandas as gpd  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import shapely  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402

from geo.programme import load_programme  # noqa: E402
from layers.static.choropleth import class_colors, draw_choropleth  # noqa: E402
from layers.static.fonts import use_cjk_font  # noqa: E402


@pytest.fixture(scope="module")
def programme():
    return load_programme("ten_full_coverage")


def test_classes_are_half_open(programme):
    pct = pd.Series([0, 59.99, 60, 80, 89.9, 90, 99.99, 100, 108.2, None])
    colors = class_colors(pct, programme, not_applicable=pd.Series([False] * 9 + [True]))
    red, orange, yellow, light, green = (c.color for c in programme.legend)
    assert list(colors) == [red, red, orange, yellow, yellow, light, light, green, green,
                            programme.legend_special["not_applicable"]]
    assert class_colors(pd.Series([None]), programme)[0] == programme.legend_special["no_data"]


def test_legend_counts_units_and_tells_no_data_from_not_applicable(programme):
    boxes = [shapely.box(x, 0, x + 1, 1) for x in range(4)]
    units = gpd.GeoDataFrame({"code": list("abcd")}, geometry=boxes, crs=4326).set_index("code")
    pct = pd.Series({"a": 95.0, "b": 55.0, "c": None, "d": None})
    ax = draw_choropleth(units, pct, programme, not_applicable=pd.Series({"d": True}),
                         title="测试", synthetic=True)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "90–100%  (1)" in labels and "0–60%  (1)" in labels
    assert "无数据  (1)" in labels and "不适用  (1)" in labels
    assert any("示例数据" in t.get_text() for t in ax.texts)
    plt.close(ax.figure)


def test_a_cjk_font_is_registered():
    # `make test` installs fonts-noto-cjk; without it Chinese turns into boxes.
    family = use_cjk_font()
    assert family is not None and "CJK" in family
    assert matplotlib.rcParams["font.family"][0] == family
