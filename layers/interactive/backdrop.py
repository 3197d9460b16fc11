"""The outline under units drawn as dots (a unit without a boundary): light grey, so
that the dots sit in their county instead of floating on an empty map."""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np

# Light grey on the light desk map; on the dark wall, a faint lighter grey.
DESK = {"fillColor": "#d9d9d9", "fillOpacity": 0.55, "color": "#a6a6a6", "weight": 1.2}
WALL = {"fillColor": "#c8ccd4", "fillOpacity": 0.14, "color": "#8a909c", "weight": 1.5}


def add_backdrop(fmap, outline: gpd.GeoDataFrame | None, *, style: dict) -> None:
    """Draw ``outline`` (``geometry``, EPSG:4326) on ``fmap``, under what comes after
    it; nothing when None.  It takes no clicks and shows no tooltip."""
    if outline is None or outline.empty:
        return
    folium.GeoJson(outline[["geometry"]].to_json(), name="backdrop", control=False,
                   interactive=False, style_function=lambda _: dict(style)).add_to(fmap)


def bounds_with(shapes: gpd.GeoDataFrame, outline: gpd.GeoDataFrame | None) -> np.ndarray:
    """``(west, south, east, north)`` of ``shapes`` and ``outline`` together."""
    if outline is None or outline.empty:
        return shapes.total_bounds
    a, b = shapes.total_bounds, outline.total_bounds
    return np.array([min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])])
