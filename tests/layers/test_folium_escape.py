"""Names from files reach the map only as text: never markup, never code."""

import json
import re

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.programme import load_programme
from layers.interactive.basemap import base_map
from layers.interactive.choropleth import add_choropleth
from layers.interactive.escape import js_literal, safe_lines, safe_text
from layers.interactive.labels import add_labels
from layers.interactive.legend import add_legend
from layers.interactive.sites import add_sites

IMG = "<img src=x onerror=alert(1)>"
TICK = "a`b ${x} c"


@pytest.fixture(scope="module")
def programme():
    return load_programme("ten_full_coverage")


@pytest.fixture(scope="module")
def page(programme):
    """Every layer fed the two hostile names."""
    units = gpd.GeoDataFrame(
        {"code": ["150221", "150222"], "name": [IMG, TICK]},
        geometry=[shapely.box(110, 40, 112, 41), shapely.box(112, 40, 114, 41)], crs=4326)
    fmap = base_map(bounds=units.total_bounds, attribution=TICK)
    add_choropleth(fmap, units, pd.DataFrame({"pct": [50.0, 70.0]}, index=units["code"]),
                   programme, item_label=IMG,
                   breakdown=pd.DataFrame({"code": ["150221"], "item": [TICK], "pct": [1.0]}))
    add_legend(fmap, programme, {}, title=IMG, note=TICK)
    placed = add_labels(fmap, units, pd.Series([IMG, TICK], index=units["code"]), zoom=8)
    assert placed == ["150221", "150222"]
    sites = gpd.GeoDataFrame(
        {"site_id": [TICK], "name": [IMG], "item": [IMG], "status": [TICK],
         "start_date": [TICK], "end_date": [IMG], "investment": [1.0]},
        geometry=[shapely.Point(111, 40.5)], crs=4326)
    add_sites(fmap, sites, programme)
    return fmap.get_root().render()


def test_safe_text_escapes_markup_backticks_and_template_expressions():
    assert safe_text(IMG) == "&lt;img src=x onerror=alert(1)&gt;"
    assert safe_text(TICK) == "a&#96;b &#36;{x} c"
    assert safe_text('"&\'') == "&quot;&amp;&#x27;"
    assert [safe_text(v) for v in (None, float("nan"), pd.NA, 12.5)] == ["", "", "", "12.5"]
    assert safe_lines("固阳县\n<62%>") == "固阳县<br>&lt;62%&gt;"
    assert js_literal({"a": "</script>&"}) == '{"a": "\\u003c/script\\u003e\\u0026"}'


def test_hostile_names_never_appear_raw(page):
    # Raw in the page, or raw inside a JSON string (folium writes < as \u003c).
    for raw in ("<img src=x", "\\u003cimg", "onerror=alert(1)>", "onerror=alert(1)\\u003e"):
        assert raw not in page
    # The one raw copy is the site's id: a JSON string property (never HTML,
    # never inside a template literal) that the app gets back on a click as is.
    rest = page.replace('"id": "a`b ${x} c"', "", 1)
    assert "${x}" not in rest and "a`b" not in rest


def test_hostile_names_appear_escaped_in_every_layer(page):
    escaped_img = "&lt;img src=x onerror=alert(1)&gt;"
    escaped_tick = "a&#96;b &#36;{x} c"
    # Inside JSON strings folium writes & as \u0026; decode them to compare.
    decoded = re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), page)
    assert decoded.count(escaped_img) >= 5   # tooltip + item label, legend, label, popup
    assert decoded.count(escaped_tick) >= 4  # tooltip table, legend note, label, popup
    payloads = [json.loads(text) for text in re.findall(r"_add\((\{.*\})\);\n", page)]
    texts = [value for data in payloads for f in data["features"]
             for key, value in f["properties"].items() if key != "id"]
    assert texts and all("<img" not in t and "`" not in t and "${" not in t for t in texts)
