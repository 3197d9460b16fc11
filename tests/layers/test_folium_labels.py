"""Labels go only where they fit, never on each other (Baotou's real counties)."""

import itertools
import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.cnmaps import units_from_cnmaps
from layers.interactive.basemap import base_map, lonlat_to_px
from layers.interactive.labels import add_labels, place_labels, text_box

URBAN = {"150202": "东河区", "150203": "昆都仑区", "150204": "青山区",
         "150205": "石拐区", "150206": "白云鄂博矿区", "150207": "九原区"}


@pytest.fixture(scope="module")
def counties():
    units = units_from_cnmaps(["150200"])
    return units[units["level"] == "county"][["code", "name", "geometry"]].reset_index(drop=True)


def test_a_label_that_has_no_room_at_the_pole_goes_where_it_fits():
    # An L: its pole of inaccessibility is in the upright arm (40 px wide), too
    # narrow for an 84 px label (seven characters); the long arm (160 × 30 px) has
    # the room.  At zoom 4 a degree is 4096 / 360 px (near the equator).
    px = 360 / 4096
    ell = shapely.Polygon([(0, 0), (160 * px, 0), (160 * px, 30 * px), (40 * px, 30 * px),
                           (40 * px, 160 * px), (0, 160 * px)])
    units = gpd.GeoDataFrame({"code": ["L"]}, geometry=[ell], crs=4326)
    spots = place_labels(units, pd.Series({"L": "七个字的长名称"}), font_px=12, zoom=4)
    assert list(spots["code"]) == ["L"]
    box = shapely.box(*spots.loc[0, ["x0", "y0", "x1", "y1"]])
    pixels = shapely.transform(ell, lambda xy: np.column_stack(lonlat_to_px(xy[:, 0],
                                                                            xy[:, 1], 4)))
    assert pixels.intersection(box).area >= 0.6 * box.area


def test_text_box_estimate():
    # CJK ≈ font_px wide, anything else ≈ 0.6 font_px; a line is 1.3 font_px high.
    assert text_box("固阳县", 12) == (36, pytest.approx(15.6))
    assert text_box("固阳县\n62.2%", 10) == (30, pytest.approx(26))
    assert text_box("Guyang", 10) == (pytest.approx(36), pytest.approx(13))


@pytest.mark.parametrize("texts", ["names", "names and values"])
def test_baotou_labels_do_not_overlap_at_zoom_8(counties, texts):
    names = counties.set_index("code")["name"]
    if texts == "names and values":
        names = names + "\n100.0%"
    spots = place_labels(counties, names, font_px=12, min_gap_px=2, zoom=8)
    assert len(spots) >= 3
    boxes = [shapely.box(*row) for row in spots[["x0", "y0", "x1", "y1"]].to_numpy()]
    for a, b in itertools.combinations(boxes, 2):
        assert a.distance(b) >= 2
    # The three big banners/counties get theirs; the urban districts cannot all.
    assert {"150221", "150222", "150223"} <= set(spots["code"])
    assert not set(URBAN) <= set(spots["code"])
    # 昆都仑区 is 48 px wide at zoom 8, its name 48 px: no room with a margin.
    assert "150203" not in set(spots["code"])


def test_each_label_sits_inside_its_unit_extent(counties):
    spots = place_labels(counties, counties.set_index("code")["name"], zoom=8)
    for spot in spots.itertuples():
        geom = counties.set_index("code").geometry[spot.code]
        x, y = lonlat_to_px(*zip(*[(geom.bounds[0], geom.bounds[3]), (geom.bounds[2],
                                                                      geom.bounds[1])]), 8)
        assert x[0] <= spot.x0 and spot.x1 <= x[1] and y[0] <= spot.y0 and spot.y1 <= y[1]
        assert geom.contains(shapely.Point(spot.lon, spot.lat))


def test_more_labels_fit_when_zoomed_in(counties):
    names = counties.set_index("code")["name"]
    counts = [len(place_labels(counties, names, zoom=z)) for z in (7, 8, 9, 10)]
    assert counts == sorted(counts) and counts[-1] == 9


def test_add_labels_draws_what_it_placed_as_non_interactive_div_icons(counties):
    fmap = base_map(bounds=counties.total_bounds)
    names = counties.set_index("code")["name"]
    placed = add_labels(fmap, counties, names, zoom=8)
    assert placed == list(place_labels(counties, names, zoom=8)["code"])
    html = fmap.get_root().render()
    icons = re.findall(r"L\.divIcon\((\{.*?\})\);", html, re.S)
    assert len(icons) == len(placed)
    shown = [re.sub(r"<[^>]+>", "", json.loads(re.sub(r",\s*}", "}", icon))["html"])
             for icon in icons]
    assert sorted(shown) == sorted(names[placed])
    # Labels must not swallow clicks meant for the units under them.
    assert html.count('"interactive": false') == len(placed)
    assert 'style.pointerEvents = "none"' in html
    # Zoomed out further, the boxes would collide: the label pane hides.
    assert "map.getZoom() < 8" in html


def test_units_without_text_get_no_label():
    units = gpd.GeoDataFrame({"code": ["a", "b"]},
                             geometry=[shapely.box(110, 40, 112, 42),
                                       shapely.box(112, 40, 114, 42)], crs=4326)
    spots = place_labels(units, pd.Series({"a": "甲", "b": None}), zoom=6)
    assert list(spots["code"]) == ["a"]


def test_without_zoom_labels_are_placed_for_the_zoom_the_map_opens_at(counties):
    fmap = base_map(bounds=counties.total_bounds, size_px=(1000, 640))
    assert fmap.options["zoom"] == 8
    names = counties.set_index("code")["name"]
    assert add_labels(fmap, counties, names) == list(place_labels(counties, names, zoom=8)["code"])
    wall = base_map(bounds=counties.total_bounds, size_px=(3840, 2160))
    assert wall.options["zoom"] == 9.75      # quarter zoom steps
    assert len(add_labels(wall, counties, names)) > len(place_labels(counties, names, zoom=8))


def test_a_label_keeps_off_the_dots_drawn_over_the_map():
    # A 200 px square at zoom 4 with a dot of 10 px radius at its centre: the label
    # goes beside the dot, not over it.
    px = 360 / 4096
    square = shapely.box(0, 0, 200 * px, 200 * px)
    units = gpd.GeoDataFrame({"code": ["S"]}, geometry=[square], crs=4326)
    dot = gpd.GeoSeries([square.centroid], crs=4326)
    alone = place_labels(units, pd.Series({"S": "名称"}), zoom=4)
    beside = place_labels(units, pd.Series({"S": "名称"}), zoom=4, avoid=dot, avoid_px=10)
    x, y = lonlat_to_px(np.array([dot.x[0]]), np.array([dot.y[0]]), 4)
    centre = shapely.Point(float(x[0]), float(y[0])).buffer(10)
    assert shapely.box(*alone.loc[0, ["x0", "y0", "x1", "y1"]]).intersects(centre)
    assert not shapely.box(*beside.loc[0, ["x0", "y0", "x1", "y1"]]).intersects(centre)
