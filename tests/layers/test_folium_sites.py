"""Project sites: a glyph per item, a colour per status, clustered, with popups."""

import json
import re

import geopandas as gpd
import pytest
import shapely

from geo.programme import load_programme
from layers.interactive.basemap import base_map
from layers.interactive.sites import STATUS_COLORS, OfflineMarkerCluster, add_sites, symbol


@pytest.fixture(scope="module")
def programme():
    return load_programme("ten_full_coverage")


@pytest.fixture(scope="module")
def sites():
    return gpd.GeoDataFrame(
        {"site_id": ["S000001", "S000002", "S000003"],
         "name": ["新建村安全饮水工程", "新建村街巷硬化", "新建村卫生室"],
         "item": ["water", "roads", "clinics"],
         "status": ["done", "in_progress", "not_started"],
         "start_date": ["2015-04-01", "2016-05-10", None],
         "end_date": ["2015-10-20", None, None],
         "investment": [35.0, 1234.56, None]},
        geometry=[shapely.Point(110.1, 40.6), shapely.Point(110.2, 40.7),
                  shapely.Point(110.3, 40.8)], crs=4326)


def render(sites, programme, **kwargs):
    fmap = base_map(bounds=(110, 40.5, 110.5, 41))
    cluster = add_sites(fmap, sites, programme, **kwargs)
    html = fmap.get_root().render()
    [data] = [json.loads(t) for t in re.findall(r"_add\((\{.*\})\);\n", html)]
    return cluster, html, {f["properties"]["id"]: f["properties"] for f in data["features"]}


def lookup(html: str, name: str) -> dict:
    """A dictionary the site script carries once (``symbols = {...}``)."""
    return json.loads(re.search(name + r" = (\{.*?\})[,;]", html).group(1))


def test_sites_are_clustered_with_vendored_assets(sites, programme):
    cluster, html, props = render(sites, programme)
    assert isinstance(cluster, OfflineMarkerCluster)
    assert "L.markerClusterGroup(" in html and ".addTo(marker_cluster_" in html
    assert '<script src="/app/static/markercluster/leaflet.markercluster.js">' in html
    assert sorted(props) == ["S000001", "S000002", "S000003"]
    # Per site only what differs; words and glyphs are written once.
    assert {tuple(sorted(p)) for p in props.values()} == {
        ("dates", "id", "inv", "item", "name", "st")}


def test_glyph_per_item_and_colour_per_status(sites, programme):
    _, html, props = render(sites, programme)
    assert [props[s]["st"] for s in sorted(props)] == ["done", "in_progress", "not_started"]
    assert lookup(html, "colors") == STATUS_COLORS
    symbols = lookup(html, "symbols")
    assert [symbols[props[s]["item"]] for s in sorted(props)] == ["水", "路", "医"]
    _, html_en, _ = render(sites, programme, lang="en")
    assert [lookup(html_en, "symbols")[k] for k in ("water", "roads", "clinics")] == [
        "W", "R", "+"]
    # Every item of both programmes has a glyph of its own.
    for key in ("ten_full_coverage", "poverty_exit"):
        prog = load_programme(key)
        for lang in ("zh", "en"):
            glyphs = [symbol(item.key, prog, lang) for item in prog.items]
            assert len(set(glyphs)) == len(glyphs), (key, lang, glyphs)


def test_popup_gives_name_item_status_dates_and_investment(sites, programme):
    _, html, props = render(sites, programme)
    assert [(p["name"], p["dates"], p["inv"]) for _, p in sorted(props.items())] == [
        ("新建村安全饮水工程", "2015-04-01 – 2015-10-20", "35.0 万元"),
        ("新建村街巷硬化", "2016-05-10 – …", "1,234.6 万元"),
        ("新建村卫生室", "… – …", ""),
    ]
    assert lookup(html, "labels")["water"] == "安全饮水"
    assert lookup(html, "status") == {"done": "已完成", "in_progress": "在建",
                                      "not_started": "未开工", "na": "不适用"}
    assert lookup(html, "words") == {"item": "项目", "status": "状态", "dates": "工期",
                                     "investment": "投资"}
    _, html_en, props_en = render(sites, programme, lang="en")
    assert props_en["S000002"]["inv"] == "1,234.6 10k CNY"
    assert lookup(html_en, "status")["in_progress"] == "in progress"
