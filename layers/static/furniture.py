"""Map furniture for static maps: projection, scale bar, north arrow, inset."""

from __future__ import annotations

import math

import geopandas as gpd
import pyproj
from matplotlib.patches import Rectangle

# A league, county or smaller is drawn in its CGCS2000 3-degree Gauss-Krüger zone.
GK_LEVELS = ("league", "county", "township", "village")


def projected_crs(bounds: tuple[float, float, float, float], region_level: str) -> pyproj.CRS:
    """The projected CRS a static map of a region is drawn in (never lon/lat).

    Parameters
    ----------
    bounds
        ``(minlon, minlat, maxlon, maxlat)`` of the region (EPSG:4326).
    region_level
        The region's own level: a province gets an Albers equal-area conic
        with standard parallels at 1/6 and 5/6 of its latitude span and the
        central meridian at its centre; a league or smaller the CGCS2000
        3-degree Gauss-Krüger zone of its centre (EPSG:4534 + (cm − 75)/3).
    """
    minx, miny, maxx, maxy = bounds
    centre = (minx + maxx) / 2
    if region_level in GK_LEVELS:
        cm = 3 * round(centre / 3)
        return pyproj.CRS.from_epsg(4534 + (cm - 75) // 3)
    span = maxy - miny
    return pyproj.CRS.from_proj4(
        f"+proj=aea +lat_1={miny + span / 6:.4f} +lat_2={miny + 5 * span / 6:.4f} "
        f"+lat_0={(miny + maxy) / 2:.4f} +lon_0={centre:.4f} +datum=WGS84 +units=m +no_defs")


def round_length(metres: float) -> float:
    """The largest 1, 2 or 5 × 10ⁿ metres not above ``metres``."""
    power = 10 ** math.floor(math.log10(metres))
    return max(step * power for step in (1, 2, 5) if step * power <= metres)


def add_scale_bar(ax, *, color: str, fontsize: float, lang: str = "zh") -> float:
    """A two-segment scale bar in the lower left; returns its length in metres."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = round_length((x1 - x0) / 5)
    left, bottom = x0 + 0.03 * (x1 - x0), y0 + 0.04 * (y1 - y0)
    height = 0.008 * (y1 - y0)
    for n in range(2):
        ax.add_patch(Rectangle((left + n * length / 2, bottom), length / 2, height,
                               facecolor=color if n == 0 else "none", edgecolor=color,
                               linewidth=0.8, zorder=20))
    words = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    for x, text in ((left, "0"), (left + length, words)):
        ax.text(x, bottom + 1.8 * height, text, ha="center", va="bottom", color=color,
                fontsize=fontsize, zorder=20)
    return length


def add_north_arrow(ax, *, color: str, fontsize: float) -> None:
    """An arrow with N in the upper left of the map (grid north)."""
    ax.annotate("N", xy=(0.04, 0.96), xytext=(0.04, 0.86), xycoords="axes fraction",
                ha="center", va="center", fontsize=fontsize * 1.3, color=color,
                fontweight="bold", zorder=20,
                arrowprops={"arrowstyle": "-|>", "color": color, "lw": 1.5,
                                "shrinkA": fontsize * 0.9, "shrinkB": 0})


def add_inset(fig, rect, *, parent: gpd.GeoSeries, region: gpd.GeoSeries, crs,
              theme: dict, lines: gpd.GeoSeries | None = None):
    """An inset locator: ``region`` in red inside ``parent`` (and ``lines``)."""
    ax = fig.add_axes(rect)
    parent.to_crs(crs).plot(ax=ax, facecolor=theme["inset_fill"], edgecolor=theme["edge"],
                            linewidth=0.3)
    if lines is not None and len(lines):
        lines.to_crs(crs).plot(ax=ax, color=theme["text_muted"], linewidth=0.5)
    region.to_crs(crs).plot(ax=ax, facecolor="#d62728", edgecolor="#d62728", linewidth=0.6)
    ax.set_aspect("equal")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor(theme["background"])
    for spine in ax.spines.values():
        spine.set_edgecolor(theme["text_muted"])
        spine.set_linewidth(0.6)
    return ax
