"""Villages still missing an item, outlined on the tiled map (``static/covermap/map.js``)."""

from __future__ import annotations

import pandas as pd

from geo.tiles import LevelTiles
from layers.interactive.tiled import map_data

GAP_COLOR = "#7b1fa2"
# The tiled map's class character of a unit with gaps (one class: drawn or not).
GAP = "g"
# A thick outline with a light fill: the base map and the region stay readable inside.
GAP_PAINT = {"opacity": 0.12, "stroke": "class", "width": 3}
REGION_OUTLINE = {"color": "#555555", "weight": 1, "fill": False}


def gaps_map_data(tiles: LevelTiles, url: str, tips: pd.Series, **options) -> dict:
    """The tiled map of units with gaps, for ``static/covermap/map.js``.

    Parameters
    ----------
    tiles, url
        The level's tiles (villages, or counties counting their villages) and
        their URL.
    tips
        Indexed by code, one per unit drawn: its tooltip as plain text (lines,
        the first bold), e.g. ``"新建村\n安全饮水、卫生室"``.
    options
        To :func:`layers.interactive.tiled.map_data`: ``outline`` (the region,
        drawn thin without fill), ``bounds``, ``focus``, ``view``…

    Returns
    -------
    dict
        Each unit in :data:`GAP_COLOR`, outlined thick over a light fill; no legend.
    """
    return map_data(tiles, url, pd.Series(GAP, index=tips.index, dtype=object),
                    {GAP: GAP_COLOR}, tips=tips, paint=GAP_PAINT,
                    outline_style=REGION_OUTLINE, **options)
