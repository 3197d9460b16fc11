"""Choropleth of completion per unit, coloured by the programme's classes."""

from __future__ import annotations

import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch

from geo.programme import Programme
from layers.fonts import use_cjk_font


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
                    title: str = "", ax=None, synthetic: bool = False):
    """Draw ``units`` coloured by ``pct`` (indexed like ``units``) on a matplotlib axis.

    Returns the axis.
    """
    use_cjk_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 7))
    colors = class_colors(pct.reindex(units.index), programme)
    units.plot(ax=ax, color=colors, edgecolor="#555555", linewidth=0.4)
    counts = colors.value_counts()
    handles = [Patch(facecolor=c.color, edgecolor="#555555",
                     label=f"{c.label()}  ({counts.get(c.color, 0)})")
               for c in reversed(programme.legend)]
    handles.append(Patch(facecolor=programme.legend_special["no_data"], edgecolor="#555555",
                         label=f"无数据  ({counts.get(programme.legend_special['no_data'], 0)})"))
    # Beside the map, never over it.
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8,
              title="完成率", frameon=False)
    ax.set_title(title)
    ax.set_axis_off()
    if synthetic:
        ax.text(0.01, 0.01, "示例数据 / synthetic data", transform=ax.transAxes,
                fontsize=9, color="#b00000")
    return ax
