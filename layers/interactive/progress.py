"""The folium progress map: units by completion, legend, labels, sites.

The pages draw the tiled map instead (:mod:`layers.interactive.tiled`); this one stays
for ``bench/benchmark.py``, which measures the script it sends.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.i18n import t
from geo.programme import Programme
from layers.interactive.backdrop import DESK, add_backdrop, bounds_with
from layers.interactive.basemap import base_map
from layers.interactive.choropleth import add_choropleth
from layers.interactive.labels import add_labels
from layers.interactive.legend import add_legend, count_classes
from layers.interactive.sites import add_sites, add_sites_legend


def progress_map(shapes: gpd.GeoDataFrame, values: pd.DataFrame, programme: Programme, *,
                 item_label: str, lang: str = "zh", breakdown: pd.DataFrame | None = None,
                 labels: pd.Series | None = None, sites: gpd.GeoDataFrame | None = None,
                 basemap_options: dict | None = None,
                 outline: gpd.GeoDataFrame | None = None, bounds=None):
    """A folium map of ``shapes`` coloured by ``values``.

    Parameters
    ----------
    shapes
        ``code, name, geometry`` indexed by code, simplified for display.
    values
        Indexed by code: ``pct`` and ``not_applicable`` (a summary's rows for one item).
    breakdown
        ``code, item, pct`` for the tooltips' table of items.
    labels
        Indexed by code: the label's name (a short form where offices use one);
        the value is appended.
    sites
        Project sites to show, clustered; None for none.
    basemap_options
        Passed to :func:`layers.interactive.basemap.base_map` (tiles); none draws no tiles.
    outline
        ``geometry`` (EPSG:4326) drawn light grey under the units: the polygon units
        drawn as dots were placed in; None for none.
    bounds
        ``(west, south, east, north)`` the map opens on; None: the units and
        ``outline`` together.
    """
    if bounds is None:
        bounds = bounds_with(shapes, outline)
    fmap = base_map(bounds=bounds, **(basemap_options or {}))
    add_backdrop(fmap, outline, style=DESK)
    add_choropleth(fmap, shapes, values, programme, item_label=item_label, lang=lang,
                   breakdown=breakdown, not_applicable=values["not_applicable"])
    counts = count_classes(values["pct"], programme, not_applicable=values["not_applicable"])
    approximate = int(shapes["approximate"].sum()) if "approximate" in shapes else 0
    add_legend(fmap, programme, counts, title=item_label, lang=lang,
               note=t("approximate_location", lang, n=approximate) if approximate else "")
    names = labels if labels is not None else shapes["name"]
    pct = values["pct"].reindex(shapes.index)
    # The lagging units (below the programme's lagging_below) are labelled first:
    # they are the ones a command post must read off the map.
    lagging = pct < programme.lagging_below
    add_labels(fmap, shapes, names.reindex(shapes.index) + pct.map(
        lambda p: "" if pd.isna(p) else f" {p:.0f}%"), first=lagging | (pct == pct.min()),
        extent=bounds)
    if sites is not None:
        add_sites(fmap, sites, programme, lang=lang)
        add_sites_legend(fmap, programme, sites["item"].unique(), lang=lang)
    return fmap
