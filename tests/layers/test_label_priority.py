"""Lagging units get their labels before bigger ones that would crowd them out."""

import pandas as pd
import pytest

from geo.cnmaps import units_from_cnmaps
from layers.labels import place_labels


@pytest.fixture(scope="module")
def counties():
    units = units_from_cnmaps(["150400"])                 # 赤峰市's 12 real counties
    return units[units["level"] == "county"].reset_index(drop=True)


def test_a_lagging_unit_is_labelled_before_a_larger_neighbour(counties):
    texts = pd.Series(dict(zip(counties["code"], counties["name"] + " 95%")))
    by_area = set(place_labels(counties, texts, zoom=6)["code"])
    # 翁牛特旗's label collides with its larger neighbour 克什克腾旗's at this zoom
    assert "150425" in by_area and "150426" not in by_area
    lagging = place_labels(counties, texts, zoom=6, first=pd.Series({"150426": True}))
    assert list(lagging["code"])[0] == "150426"
    assert "150425" not in set(lagging["code"])
