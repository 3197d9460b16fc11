"""What every display mode hands the page (:class:`Drawn`), and the map layer they
share: the units shown, filled and labelled with their short names.

A mode's layer is a table (:class:`WallLayer`: a colour and a label per unit, dots
over them), not a map: the page hands it to the tiled map, which keeps its tiles
all day and repaints them when the rotation or a data refresh brings a new table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo.i18n import unit_name
from geo.names import short_form
from ui.wall.html import Html


@dataclass(frozen=True)
class Shown:
    """The region a step shows, the level of its units and their shapes."""

    region: pd.Series
    level: str
    shapes: gpd.GeoDataFrame
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
class WallLayer:
    """What a mode draws on the map, each indexed by code: the units' ``fills`` and
    ``labels`` (``name\nvalue``), which are ``first`` to be labelled, and ``dots``
    drawn over them (``lat, lon, colour, radius``)."""

    fills: pd.Series
    labels: pd.Series
    first: pd.Series
    dots: list = field(default_factory=list)


@dataclass(frozen=True)
class Drawn:
    """One display mode's part of the page: the words of the title after the region,
    the map's layer, the legend under it and the board beside it."""

    title: str
    layer: WallLayer
    legend: Html
    board: Html


def unit_labels(drawn: gpd.GeoDataFrame, lang: str) -> pd.Series:
    """Each unit's name on the map: in Chinese its short form (达茂旗) or the name
    people say (小三分子村委会 → 小三分子村), else its name; the board keeps the full one."""
    return drawn.apply(lambda r: short_form(r["code"], r["name"]) if lang == "zh"
                       else unit_name(r["name"], lang), axis=1)


def units_layer(drawn: gpd.GeoDataFrame, fills: pd.Series, texts: pd.Series, shown: Shown,
                *, first: pd.Series, dots: list | None = None) -> WallLayer:
    """The units of ``drawn`` filled with ``fills`` and labelled with ``texts`` (the
    ``first`` before the others), and ``dots`` over them."""
    return WallLayer(fills=fills.reindex(drawn.index), labels=texts.reindex(drawn.index),
                     first=first.reindex(drawn.index).fillna(False).astype(bool),
                     dots=dots or [])
