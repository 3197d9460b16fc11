"""What every display mode hands the page (:class:`Drawn`), and the map layer they
share: the units shown, filled and labelled with their short names."""

from __future__ import annotations

from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd

from geo.i18n import unit_name
from geo.names import short_form
from layers.interactive.wall import wall_layer
from ui.wall.html import Html
from ui.wall.style import LABEL_CSS, LABEL_PX


@dataclass(frozen=True)
class Shown:
    """The region a step shows, the level of its units, their shapes and the labels' zoom."""

    region: pd.Series
    level: str
    shapes: gpd.GeoDataFrame
    zoom: float
    fit: tuple | None = None
    """Bounds the map pans to (a child on a tour); None keeps the whole region."""
    outline: gpd.GeoDataFrame | None = None
    """Drawn faint under the units where some are dots (no boundary): the polygon
    they were placed in (:func:`ui.backdrop.outline_under`); None for none."""
    frame: tuple | None = None
    """What the map shows at least (``fit``, or the whole region's bounds): a dot's
    label stays inside it."""

    @property
    def approximate(self) -> int:
        """How many of the units shown are dots placed approximately."""
        return int(self.shapes["approximate"].sum()) if "approximate" in self.shapes else 0


@dataclass(frozen=True)
class Drawn:
    """One display mode's part of the page: the words of the title after the region,
    the map's feature group, the legend under it and the board beside it."""

    title: str
    layer: folium.FeatureGroup
    legend: Html
    board: Html


def unit_labels(drawn: gpd.GeoDataFrame, lang: str) -> pd.Series:
    """Each unit's name on the map: in Chinese its short form (达茂旗) or the name
    people say (小三分子村委会 → 小三分子村), else its name; the board keeps the full one."""
    return drawn.apply(lambda r: short_form(r["code"], r["name"]) if lang == "zh"
                       else unit_name(r["name"], lang), axis=1)


def units_layer(drawn: gpd.GeoDataFrame, fills: pd.Series, texts: pd.Series, shown: Shown,
                *, first: pd.Series, avoid: gpd.GeoSeries | None = None,
                avoid_px: float = 0) -> folium.FeatureGroup:
    """:func:`layers.interactive.wall.wall_layer` at the wall's label size, placed for
    ``shown``'s zoom and panned to its bounds."""
    return wall_layer(drawn, fills, texts, zoom=shown.zoom, font_px=LABEL_PX,
                      font_css=LABEL_CSS, fit=shown.fit, first=first, avoid=avoid,
                      avoid_px=avoid_px, outline=shown.outline, extent=shown.frame)
