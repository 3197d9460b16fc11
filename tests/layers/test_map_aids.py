"""Aids to reading the map: lagging units labelled first, a legend for site symbols."""

import pandas as pd
import pytest

from geo.cnmaps import units_from_cnmaps
from layers.interactive.labels import place_labels


@pytest.fixture(scope="module")
def counties():
    units = units_from_cnmaps(["150400"])                 # 赤峰市's 12 real counties
    return units[units["level"] == "county"].reset_index(drop=True)


def test_a_lagging_unit_is_labelled_before_a_larger_neighbour(counties):
    texts = pd.Series(dict(zip(counties["code"], counties["name"] + "\n95.0%")))
    by_area = set(place_labels(counties, texts, zoom=6)["code"])
    # At zoom 6 林西县 has room for its two lines only where 巴林右旗's (larger,
    # placed first) already are.
    assert "150423" in by_area and "150424" not in by_area
    lagging = place_labels(counties, texts, zoom=6, first=pd.Series({"150424": True}))
    assert list(lagging["code"])[0] == "150424"
    assert "150423" not in set(lagging["code"])


def test_the_sites_legend_explains_symbols_and_colours():
    import folium

    from geo.programme import load_programme
    from layers.interactive.sites import add_sites_legend

    fmap = folium.Map()
    legend = add_sites_legend(fmap, load_programme("ten_full_coverage"), ["clinics", "water"])
    assert "医" in legend.html and "卫生室" in legend.html and "水" in legend.html
    assert "已完成" in legend.html and "未开工" in legend.html and "校舍" not in legend.html
