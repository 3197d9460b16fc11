"""A team's visiting route on a static map (PNG): its county's villages, the villages
to visit numbered in visiting order, the route between them, a scale bar."""

from __future__ import annotations

import geopandas as gpd
import matplotlib
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from geo.i18n import unit_name
from geo.names import short_form
from layers.static.furniture import add_north_arrow, add_scale_bar, projected_crs
from layers.static.fonts import cjk_family
from layers.static.map import SYNTHETIC_MARK

_STOP, _ROUTE, _EDGE = "#d7191c", "#2b579a", "#9a9a9a"
# Where a stop's label may go, in points from the stop, tried in turn.
_OFFSETS = ((7, 5), (7, -12), (-7, 5), (-7, -12), (0, 10), (0, -16))


def route_figure(stops: pd.DataFrame, villages: gpd.GeoDataFrame, *, title: str,
                 subtitle: str = "", lang: str = "zh", synthetic: bool = False) -> Figure:
    """The route of one team.

    Parameters
    ----------
    stops
        The team's rows of :data:`geo.supervision.plan.PLAN_COLUMNS` in visiting order
        (``seq, name, lon, lat``).
    villages
        The villages of its county (EPSG:4326), drawn plain under the route.
    """
    with matplotlib.rc_context({"font.family": [cjk_family(), "DejaVu Sans"],
                                "axes.unicode_minus": False}):
        return _draw(stops, villages, title=title, subtitle=subtitle, lang=lang,
                     synthetic=synthetic)


def _draw(stops, villages, *, title, subtitle, lang, synthetic) -> Figure:
    fig = Figure(figsize=(11.69, 8.27), dpi=150, facecolor="white")       # A4 landscape
    crs = projected_crs(tuple(villages.total_bounds), "county")
    ground = villages.to_crs(crs)
    points = gpd.GeoSeries(shapely.points(stops["lon"], stops["lat"]), crs=4326).to_crs(crs)
    ax = fig.add_axes([0.03, 0.06, 0.94, 0.80])
    ground.plot(ax=ax, color="#f2f2f2", edgecolor=_EDGE, linewidth=0.4)
    xs, ys = points.x.to_numpy(), points.y.to_numpy()
    ax.plot(xs, ys, color=_ROUTE, linewidth=1.6, zorder=3)
    ax.scatter(xs, ys, s=110, color=_STOP, edgecolor="white", linewidth=1.2, zorder=4)
    for x, y, seq in zip(xs, ys, stops["seq"]):
        ax.text(x, y, str(seq), ha="center", va="center", fontsize=7, color="white",
                fontweight="bold", zorder=5)
    minx, miny, maxx, maxy = ground.total_bounds
    pad = 0.04 * max(maxx - minx, maxy - miny)
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_aspect("equal")
    ax.set_axis_off()
    FigureCanvasAgg(fig)
    # Labels say the names people say (麻池村); the visit list keeps the official ones.
    _name_stops(fig, ax, xs, ys, [short_form(str(c), n) if lang == "zh" else unit_name(n, lang)
                                  for c, n in zip(stops["code"], stops["name"])])
    add_scale_bar(ax, color="#1a1a1a", fontsize=9, lang=lang)
    add_north_arrow(ax, color="#1a1a1a", fontsize=10)
    fig.text(0.03, 0.95, title, fontsize=18, fontweight="bold", va="top")
    if subtitle:
        fig.text(0.03, 0.905, subtitle, fontsize=11, color="#555555", va="top")
    if synthetic:
        fig.text(0.97, 0.95, SYNTHETIC_MARK, fontsize=12, fontweight="bold", color="#d62728",
                 ha="right", va="top")
    return fig


def _name_stops(fig, ax, xs, ys, names) -> None:
    """Each stop's name beside it, at the first offset that overlaps no name or stop."""
    renderer = fig.canvas.get_renderer()
    taken = [ax.transData.transform((x, y)) for x, y in zip(xs, ys)]
    stop_boxes = [(px - 8, py - 8, px + 8, py + 8) for px, py in taken]
    boxes = list(stop_boxes)
    for x, y, name in zip(xs, ys, names):
        for dx, dy in _OFFSETS:
            text = ax.annotate(name, (x, y), xytext=(dx, dy), textcoords="offset points",
                               fontsize=9, ha="left" if dx > 0 else "right" if dx < 0
                               else "center", zorder=6,
                               bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                                     "edgecolor": "none", "alpha": 0.8})
            extent = text.get_window_extent(renderer)
            box = (extent.x0, extent.y0, extent.x1, extent.y1)
            if not any(_overlap(box, other) for other in boxes):
                boxes.append(box)
                break
            text.remove()


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
