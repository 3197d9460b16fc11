"""Choropleth of completion per unit, coloured by the programme's classes."""

from __future__ import annotations

import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch

from geo.i18n import synthetic_mark, t
from geo.programme import Programme
from layers.static.fonts import use_cjk_font


def class_colors(pct: pd.Series, programme: Programme, *,
                 not_applicable: pd.Series | None = None) -> pd.Series:
    """The legend colour of each value: a class, "no data" or "not applicable"."""
    special = programme.legend_special
    colors = pct.map(lambda v: (programme.legend_class(v).color
                                if programme.legend_class(v) else special["no_data"]))
    if not_applicable is not None:
        colors = colors.where(~not_applicable.astype(bool), special["not_applicable"])
    return colors


def draw_choropleth(units: gpd.GeoDataFrame, pct: pd.Series, programme: Programme, *,
                    not_applicable: pd.Series | None = None, title: str = "", ax=None,
                    synthetic: bool = False):
    """Draw ``units`` coloured by ``pct`` on a matplotlib axis; returns the axis.

    ``pct`` and ``not_applicable`` are indexed like ``units``; a unit with
    no value is "no data" unless ``not_applicable`` says the item does not
    apply there.
    """
    use_cjk_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 7))
    if not_applicable is not None:
        not_applicable = not_applicable.reindex(units.index).fillna(False)
    colors = class_colors(pct.reindex(units.index), programme, not_applicable=not_applicable)
    units.plot(ax=ax, color=colors, edgecolor="#555555", linewidth=0.4)
    counts = colors.value_counts()
    handles = [Patch(facecolor=c.color, edgecolor="#555555",
                     label=f"{c.label()}  ({counts.get(c.color, 0)})")
               for c in reversed(programme.legend)]
    special = programme.legend_special
    handles += [Patch(facecolor=special[key], edgecolor="#555555",
                      label=f"{word}  ({counts.get(special[key], 0)})")
                for key, word in (("no_data", t("no_data")),
                                  ("not_applicable", t("not_applicable")))]
    # Beside the map, never over it.
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8,
              title=t("completion"), frameon=False)
    ax.set_title(title)
    ax.set_axis_off()
    if synthetic:
        ax.text(0.01, 0.01, synthetic_mark(), transform=ax.transAxes,
                fontsize=9, color="#b00000")
    return ax
