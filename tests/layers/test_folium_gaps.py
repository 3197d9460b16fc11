"""Villages still missing an item: outlined above the choropleth, clickable by code."""

import json
import re

import geopandas as gpd
import shapely

from layers.interactive.basemap import base_map
from layers.interactive.gaps import add_gaps


def test_gaps_are_outlined_in_their_own_pane_with_escaped_tooltips():
    villages = gpd.GeoDataFrame(
        {"code": ["150222101201", "150222101202"],
         "tip": ["新建村\n缺：安全饮水、<卫生室>", None]},
        geometry=[shapely.box(110, 41, 110.1, 41.1), shapely.box(110.1, 41, 110.2, 41.1)],
        crs=4326)
    fmap = base_map(bounds=villages.total_bounds)
    add_gaps(fmap, villages)
    html = fmap.get_root().render()
    [data] = [json.loads(t) for t in re.findall(r"_add\((\{.*\})\);\n", html)]
    props = [f["properties"] for f in data["features"]]
    # Plain text in, escaped; the first line (the village) is set bold.
    assert props == [{"code": "150222101201",
                      "tip": "<b>新建村</b><br>缺：安全饮水、&lt;卫生室&gt;"},
                     {"code": "150222101202", "tip": ""}]
    assert '"pane": "covermap-gaps"' in html and "weight: 3" in html
    assert ".createPane(\"covermap-gaps\")" in html
