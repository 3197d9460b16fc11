"""Map labels say the names people say; tooltips keep the full official name.

Two village committees of 固阳县 as the 2016 统计用区划代码 names them (国家统计局,
via ``../shared/data/nbs-2016/``, CC BY 4.0): people say 小三分子村 and 怀朔新村.
Their squares are drawn by hand around 固阳县's seat; only the names matter here.
"""

import folium
import pytest
import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from geo.programme import load_programme
from layers.interactive.choropleth import add_choropleth
from ui.wall.layer import unit_labels

VILLAGES = gpd.GeoDataFrame(
    {"code": ["150222102212", "150222106200"], "name": ["小三分子村委会", "怀朔新村村委会"]},
    geometry=[box(110.00, 41.00, 110.05, 41.05), box(110.30, 41.28, 110.35, 41.33)],
    crs="EPSG:4326",
).set_index("code", drop=False)


def test_the_walls_labels_are_the_spoken_names():
    assert unit_labels(VILLAGES, "zh").tolist() == ["小三分子村", "怀朔新村"]


def test_a_tooltip_keeps_the_full_name():
    values = pd.DataFrame({"pct": [80.0, 55.5]}, index=VILLAGES["code"])
    group = add_choropleth(folium.Map(), VILLAGES.reset_index(drop=True), values,
                           load_programme("ten_full_coverage"), item_label="综合")
    (layer,) = [c for c in group._children.values() if isinstance(c, folium.GeoJson)]
    tips = [f["properties"]["tip"] for f in layer.data["features"]]
    assert "<b>小三分子村委会</b>" in tips[0] and "<b>怀朔新村村委会</b>" in tips[1]


@pytest.mark.parametrize("official, english", [
    ("展旦召苏木乡", "Zhandanzhao Sumu"), ("工业街道办事处", "Gongye Subdistrict"),
    ("柴磴嘎查村", "Chaideng Gacha"), ("克珠日嘎查村民委员会", "Kezhuri Gacha"),
    ("南关社区居委会", "Nanguan Community")])
def test_english_names_read_the_register_s_double_endings(official, english):
    """The register's long endings are words, not pinyin (was Zhandanzhaosumu Township,
    Gongyejiedaobanshichu)."""
    from geo.i18n import unit_name

    assert unit_name(official, "en") == english
