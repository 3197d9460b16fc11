"""Where to draw a unit that has no boundary: a point, marked approximate.

Units from a register (:mod:`geo.imports.register`) have codes and names but no
polygon.  They are still drawn, as points spread deterministically inside the
nearest ancestor that has a polygon (usually their county): a township at its
seat where the shipped register gives one, else on a sunflower spiral over the
ancestor; its villages on a smaller spiral around it.  The points say nothing
about where a village lies beyond its county and township, which is why every
map marks them "位置示意 / approximate location".
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import STORE_CRS

# The sunflower (Vogel) spiral's turn: points spread evenly, none on top of another.
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
# Share of its ancestor's radius a first level of points spreads over.
_SPREAD = 0.75


def has_boundary(geometry: gpd.GeoSeries) -> np.ndarray:
    """Whether each unit has a polygon of its own."""
    return (geometry.notna() & ~geometry.is_empty).to_numpy()


def units_to_draw(store, level: str) -> gpd.GeoDataFrame:
    """A level's units with geometry, as :func:`with_places` gives them."""
    units = store.units(level=level, geometry=True)
    if has_boundary(units.geometry).all():
        return units.assign(approximate=False)
    return with_places(units, store.units(geometry=True), located=located(store))


def located(store) -> dict:
    """The points offices' point files gave units, by code: the latest import's."""
    rows = store.records("unit_points").sort_values("import_id")
    rows = rows.drop_duplicates("code", keep="last")
    return dict(zip(rows["code"], shapely.points(rows["lon"].to_numpy(dtype=float),
                                                 rows["lat"].to_numpy(dtype=float))))


def with_places(units: gpd.GeoDataFrame, everything: gpd.GeoDataFrame, *,
                located: dict | None = None) -> gpd.GeoDataFrame:
    """``units`` with a point where they have no boundary, and ``approximate`` saying which.

    Parameters
    ----------
    units
        The units to draw (one level, say), with geometry.
    everything
        Every unit of the store with geometry: the ancestors whose polygons
        the points are spread in, and the siblings they share them with (so
        that a village is drawn in the same place whatever map shows it).

    located
        Points offices gave units without a boundary (:func:`located`): drawn
        there, not approximate.

    Returns
    -------
    GeoDataFrame
        ``units`` with ``approximate`` (bool); a unit with no ancestor that
        has a polygon keeps no geometry (listed everywhere, drawn nowhere).
    """
    out = units.copy()
    located = located or {}
    missing = ~has_boundary(out.geometry)
    out["approximate"] = missing
    if missing.any():
        points = approximate_points(everything, located=located)
        out.loc[missing, "geometry"] = out.loc[missing, "code"].map(points).to_numpy()
        out["approximate"] = (missing & out.geometry.notna().to_numpy()
                              & ~out["code"].isin(located).to_numpy())
    return out


def approximate_points(units: gpd.GeoDataFrame, *, located: dict | None = None) -> pd.Series:
    """A point (EPSG:4326) for every unit without a boundary that has an ancestor with one,
    by code: where ``located`` puts it, else spread as the module says."""
    from geo.register import seats

    units = units.to_crs(STORE_CRS)
    drawn = has_boundary(units.geometry)
    shape_of = dict(zip(units.loc[drawn, "code"], units.geometry[drawn]))
    parent_of = dict(zip(units["code"], units["parent_code"]))
    lacking = sorted(units.loc[~drawn, "code"])
    seat_of = seats(units.loc[~drawn & units["level"].isin(("county", "township")), "code"])
    seat_of.update(located or {})
    children: dict[str, list[str]] = {}
    for code in lacking:
        children.setdefault(parent_of.get(code), []).append(code)
    placed: dict[str, shapely.Point] = {}
    for anchor, shape in shape_of.items():
        if anchor in children:
            _place_under(anchor, shape, children, seat_of, placed, fixed=set(located or ()))
    return pd.Series(placed, dtype=object)


def _place_under(anchor: str, shape, children: dict, seat_of: dict, placed: dict, *,
                 fixed: set) -> None:
    """Place every boundary-less unit below ``anchor`` (whose polygon is ``shape``): at
    its seat when the seat lies inside, at the point an office gave it (``fixed``)
    wherever that is."""
    leaves = _count_leaves(anchor, children)
    centre = shape.representative_point()
    scale = math.cos(math.radians(centre.y))         # degrees of longitude are shorter
    radius = math.sqrt(shape.area * scale / math.pi)  # a circle of the polygon's area
    inner = shape.buffer(-radius / 50) if shape.area else shape
    inner = inner if not inner.is_empty else shape
    # The villages of all clusters together about fill the ancestor.
    step = radius / math.sqrt(max(leaves, 1)) * 0.9
    frontier = [(anchor, centre, radius * _SPREAD)]
    while frontier:
        level = []
        for parent, where, reach in frontier:
            kids = children.get(parent, [])
            seated = [c for c in kids if c in fixed
                      or (c in seat_of and shape.contains(seat_of[c]))]
            spread = [c for c in kids if c not in seated]
            spots = _spiral(where, len(spread), reach, scale, inner)
            for code, spot in [*((c, seat_of[c]) for c in seated), *zip(spread, spots)]:
                placed[code] = spot
                below = _count_leaves(code, children)
                level.append((code, spot, step * math.sqrt(below)))
        frontier = [entry for entry in level if entry[0] in children]


def _spiral(centre: shapely.Point, n: int, reach: float, scale: float, inside) -> list:
    """``n`` points on a sunflower spiral of radius ``reach`` around ``centre``, each
    pulled inside ``inside`` where it falls out."""
    if n == 0:
        return []
    i = np.arange(n)
    r = reach * np.sqrt((i + 0.5) / n)
    angle = i * _GOLDEN_ANGLE
    points = shapely.points(centre.x + r * np.cos(angle) / scale, centre.y + r * np.sin(angle))
    out = ~shapely.contains(inside, points)
    if out.any():
        lines = shapely.shortest_line(points[out], inside)
        points[out] = shapely.get_point(lines, 1)
    return list(points)


def _count_leaves(code: str, children: dict) -> int:
    kids = children.get(code, [])
    return sum(_count_leaves(k, children) for k in kids) if kids else 1
