"""What a map draws under units placed approximately: the outline they were spread in.

Units without a boundary are drawn as dots inside the nearest ancestor that has
a polygon (:mod:`geo.placement`).  Alone on an empty map, dots float; drawn over
that polygon, in light grey, they read as "somewhere in 固阳县".
"""

from __future__ import annotations

import geopandas as gpd
import shapely

from geo.placement import has_boundary


def backdrop(store, code: str) -> gpd.GeoDataFrame | None:
    """The polygon of the unit ``code``, or of its nearest ancestor with one.

    Returns
    -------
    GeoDataFrame or None
        One row, ``code, name, level, geometry`` (EPSG:4326), of the unit whose
        polygon it is; None when neither the unit nor any ancestor has one.
    """
    # The unit alone: of its level, the only one at or under it.
    return nearest_polygon(store.units(), code, lambda level, at: store.units(
        level=level, region=at, geometry=True))


def nearest_polygon(units, code: str, read) -> gpd.GeoDataFrame | None:
    """:func:`backdrop` over ``units`` (the store's, without geometry), reading a unit's
    geometry with ``read(level, code)`` → that level's units with geometry (at least the
    unit's own row)."""
    units = units.set_index("code", drop=False)
    while isinstance(code, str) and code in units.index:
        shapes = read(units.loc[code, "level"], code)
        own = shapes[shapes["code"] == code]
        if len(own) and has_boundary(own.geometry).all() \
                and (shapely.get_dimensions(own.geometry.to_numpy()) == 2).all():
            return own[["code", "name", "level", "geometry"]].reset_index(drop=True)
        code = units.loc[code, "parent_code"]
    return None
