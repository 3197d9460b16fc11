"""The supervision maps' data for the tiled map: colours by position in the level's
index, dots and a route over them, every name as text (map.js sets it as text)."""

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.tiles import LevelTiles
from layers.interactive.problems import (
    NEVER_COLOUR,
    ROUND_COLOURS,
    border_lines,
    coverage_data,
    coverage_tip,
    problem_tip,
    problems_data,
    route_data,
)

HOSTILE = '<img src=x onerror="alert(1)">'
# Four villages in the tiles' index; the maps below draw some of them.
TILES = LevelTiles(level="village", location=Path("village.pmtiles"),
                   codes=("150222100001", "150222100002", "150222100003", "150222100004"),
                   bounds=(109.0, 40.0, 111.0, 42.0), max_zoom=12, fingerprint="test")


def test_coverage_colours_each_village_by_its_last_round_and_counts_them():
    coverage = pd.DataFrame({
        "code": ["150222100001", "150222100002", "150222100003"],
        "name": ["新建村", HOSTILE, "红泥井村"],
        "rounds": [[1], [1, 2], []],
        "last_round": pd.array([1, 2, None], dtype="Int64")})
    data = coverage_data(TILES, "/tiles", coverage, rounds=2, never=5, lang="zh")
    # Round 2 darkest, round 1 the shade before it, never orange; the fourth not drawn.
    colours = [data["palette"].get(c) for c in data["classes"]]
    assert colours == [ROUND_COLOURS[-2], ROUND_COLOURS[-1], NEVER_COLOUR, None]
    assert data["tips"] == ["新建村\n第1轮", f"{HOSTILE}\n第1轮、第2轮", "红泥井村\n从未督导", None]
    assert data["legend"]["title"] == "督导覆盖"
    assert data["legend"]["rows"] == [[NEVER_COLOUR, "从未督导  5", False],
                                      [ROUND_COLOURS[-2], "第1轮  1", False],
                                      [ROUND_COLOURS[-1], "第2轮  1", False]]
    assert not data["clickable"] and not data["labels"]


def test_a_coverage_tip_in_english_says_never():
    assert coverage_tip("Guyang County", [], "en") == "Guyang County\nNever visited"


@pytest.fixture
def village_problems():
    status = pd.DataFrame({
        "problem_id": ["P1", "P2"], "category": ["quality", "funds"],
        "description": ["屋面漏水", HOSTILE], "status": ["open", "verified"],
        "overdue": [True, False], "days_overdue": [12, 0],
        "deadline": ["2016-08-01", "2016-07-01"]})
    return gpd.GeoDataFrame(
        {"code": ["150222100001"], "name": ["新建村"], "worst": ["overdue"], "count": [2],
         "problems": [status]},
        geometry=[shapely.Point(110.1, 41.0)], crs=4326)


def test_a_villages_problems_are_lines_of_text():
    rows = pd.DataFrame({"problem_id": ["P1"], "category": ["quality"],
                         "description": ["屋面漏水"], "status": ["open"], "overdue": [True],
                         "days_overdue": [12], "deadline": ["2016-08-01"]})
    assert problem_tip("Xinjian", rows, "en") == (
        "Xinjian\nP1 · quality · 屋面漏水 · open · 12 days late · 2016-08-01")


def test_problems_are_dots_over_the_counties_with_the_legend(village_problems):
    counties = LevelTiles(level="county", location=Path("county.pmtiles"),
                          codes=("150221", "150222"), bounds=(109.0, 40.0, 111.0, 42.0),
                          max_zoom=10, fingerprint="test")
    ground = pd.Series({"150222": "固阳县\n问题数 2 · 未整改 1 · 逾期 1"})
    data = problems_data(counties, "/tiles", ground, village_problems,
                         title="督导问题 · 2016-09-12", lang="zh")
    # The county is drawn (and counted) in the light ground class, its neighbour not.
    assert data["classes"] == "-g" and data["tips"] == [None, ground["150222"]]
    [dot] = data["sites"]
    assert (dot["lat"], dot["lon"], dot["colour"], dot["radius"]) == (41.0, 110.1, "#d7191c", 7)
    assert dot["tip"] == ("新建村\nP1 · 质量 · 屋面漏水 · 未整改 · 12天逾期 · 2016-08-01\n"
                          f"P2 · 资金 · {HOSTILE} · 已销号 · 2016-07-01")
    assert data["legend"]["rows"] == [["#d7191c", "逾期未整改  1", False],
                                      ["#fdae61", "未整改  0", False],
                                      ["#abd9e9", "已整改  0", False],
                                      ["#2c7bb6", "已销号  0", False]]


def test_a_route_is_numbered_stops_in_order_joined_by_a_line():
    stops = pd.DataFrame({"seq": [2, 1], "name": ["红泥井村", HOSTILE],
                          "lat": [41.2, 41.0], "lon": [110.3, 110.1]})
    ground = pd.Series({"150222100001": HOSTILE, "150222100002": "红泥井村"})
    data = route_data(TILES, "/tiles", ground, stops)
    assert data["classes"] == "gg--"
    assert [(s["number"], s["tip"]) for s in data["sites"]] == [(1, f"1 · {HOSTILE}"),
                                                                (2, "2 · 红泥井村")]
    assert data["lines"][0]["points"] == [[41.0, 110.1], [41.2, 110.3]]
    assert data["legend"] is None


def test_a_border_is_every_ring_of_every_polygon():
    square = shapely.box(0, 0, 2, 2).difference(shapely.box(0.5, 0.5, 1, 1))
    shapes = gpd.GeoDataFrame(geometry=[shapely.MultiPolygon([square, shapely.box(3, 0, 4, 1)])],
                              crs=4326)
    lines = border_lines(shapes, colour="#222222", weight=1.2)
    assert len(lines) == 3                              # outer ring, hole, the islet
    assert all(line["points"][0] == line["points"][-1] for line in lines)
    assert {(line["colour"], line["weight"]) for line in lines} == {("#222222", 1.2)}
