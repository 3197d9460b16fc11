"""A print-quality static map of a region's units (matplotlib): PNG, SVG, PDF.

:func:`build_map_figure` draws the same view as the app's overview map —
the units of one level coloured by the programme's classes — with title,
subtitle, source line, legend with counts, labels (moved out with leader
lines where a unit is too small), scale bar, north arrow and an inset
locator.  :func:`save_map` writes it with Chinese kept as text (SVG) or
embedded (PDF).
"""

from __future__ import annotations

import io

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from geo.i18n import LANGS, item_label, synthetic_mark, t, unit_name
from geo.map_view import MapView
from geo.names import short_form
from geo.programme import Programme
from layers.static.fonts import cjk_family
from layers.static.furniture import (
    add_inset,
    add_north_arrow,
    add_scale_bar,
    projected_crs,
)
from layers.static.exit import Paint, exit_paint, exit_title
from layers.static.labels import place_static_labels

# Pixel sizes and the dpi each is drawn at: the same inches (and font
# points) for slide and wall, so a wall map is a sharper slide map.
SIZES = {"a4": (3508, 2480, 300), "slide": (1920, 1080, 100), "wall": (3840, 2160, 200),
         # The left two thirds of a deck's slide (9.4 × 6.5 in), beside a table.
         "panel": (1880, 1300, 200)}
# Label size in points: a panel's map is drawn at its size on the slide, so
# 9 pt there reads larger than 11 pt on a full slide map scaled down.
LABEL_PT = {"a4": 11, "slide": 11, "wall": 11, "panel": 9}
THEMES = {
    "light": {"background": "#ffffff", "text": "#1a1a1a", "text_muted": "#555555",
              "edge": "#555555", "inset_fill": "#e6e6e6", "halo": "#ffffff",
              "leader": "#333333", "no_data": None},
    "dark": {"background": "#14171c", "text": "#f0f0f0", "text_muted": "#a8a8a8",
             "edge": "#2a2a2a", "inset_fill": "#3a3f47", "halo": "#14171c",
             "leader": "#cfcfcf", "no_data": "#5a5a5a"},
}
# The default credit of internal briefing maps; a publication needs the
# standard base map and a real approval number (审图号): both are settings.
CREDIT = {lang: t("map_credit", lang) for lang in LANGS}
SYNTHETIC_MARK = synthetic_mark()


def legend_counts(table: pd.DataFrame, programme: Programme) -> dict[str, int]:
    """Units per legend class (keyed by class label), ``no_data`` and ``not_applicable``."""
    counts = {cls.label(): 0 for cls in programme.legend}
    counts |= {"no_data": 0, "not_applicable": 0}
    for pct, na in zip(table["pct"], table["not_applicable"].fillna(False)):
        cls = programme.legend_class(None if pd.isna(pct) else float(pct))
        key = "not_applicable" if na else (cls.label() if cls else "no_data")
        counts[key] += 1
    return counts


def build_map_figure(view: MapView, *, size: str = "slide", theme: str = "light",
                     lang: str = "zh", titled: bool = True) -> Figure:
    """The figure of one map view (:func:`geo.map_view.map_view`).

    ``titled=False`` leaves out the title and subtitle, for a slide that has
    its own (the synthetic mark and the source line stay).

    Returns
    -------
    matplotlib.figure.Figure
        With ``fig.covermap`` holding ``crs``, ``counts``, ``labels`` (the
        label Text objects) and ``scale_m``.
    """
    with matplotlib.rc_context({"font.family": [cjk_family(), "DejaVu Sans"],
                                "axes.unicode_minus": False}):
        return _build(view, size=size, theme=theme, lang=lang, titled=titled)


def _build(view: MapView, *, size, theme, lang, titled):
    colours = THEMES[theme]
    width, height, dpi = SIZES[size]
    # A bare Figure, not pyplot: no global state, no GUI backend.
    fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, facecolor=colours["background"])
    crs = projected_crs(tuple(view.outline.total_bounds), view.region["level"])
    if view.readiness is not None:
        paint = exit_paint(view, crs, colours, lang)
    elif view.points is not None:
        paint = _plain_paint(view, crs, colours, lang)
    else:
        paint = _progress_paint(view, crs, colours, lang)
    shown = paint.shown
    ax = fig.add_axes([0.02, 0.07, 0.75, 0.80])
    ax.set_facecolor(colours["background"])
    points = _is_point(shown)
    fills = np.asarray(paint.fills, dtype=object)
    if (~points).any():
        shown[~points].plot(ax=ax, color=list(fills[~points]), edgecolor=colours["edge"],
                            linewidth=0.6)
    hatched = shown[np.asarray(paint.hatched, dtype=bool) & ~points]
    if len(hatched):
        hatched.plot(ax=ax, facecolor="none", edgecolor=colours["text_muted"], hatch="///",
                     linewidth=0)
    handles = list(paint.handles)
    if points.any():
        # The region under the dots: they are placed in it, nowhere in particular.
        view.outline.to_crs(crs).plot(ax=ax, facecolor=colours["inset_fill"],
                                      edgecolor=colours["edge"], linewidth=0.8, zorder=0)
        handles += _draw_dots(ax, shown[points], fills[points], colours, lang)
    if view.points is not None and len(view.points):
        handles += _draw_points(ax, view.points.to_crs(crs), colours)
    # Dots alone frame too tightly: the region's outline frames them (an ancestor's
    # would frame a township's villages as specks in their county).
    framed = points.any() and view.outline_own
    _frame(ax, view.outline.to_crs(crs).total_bounds if framed else shown.total_bounds)
    if view.inset_parent is not None:
        inset_crs = projected_crs(tuple(view.inset_parent.total_bounds), "province")
        add_inset(fig, [0.79, 0.1, 0.19, 0.25], parent=view.inset_parent,
                  region=view.outline, crs=inset_crs, theme=colours, lines=view.inset_lines)
    # geopandas redraws the canvas after each plot; on the bare canvas a
    # Figure starts with that costs nothing.  Labels need the real renderer.
    FigureCanvasAgg(fig)
    fontsize = LABEL_PT[size]
    labels = place_static_labels(fig, ax, shown.loc[paint.texts.index], paint.texts,
                                 fontsize=fontsize, colours=colours)
    scale = add_scale_bar(ax, color=colours["text"], fontsize=fontsize * 0.9, lang=lang)
    add_north_arrow(ax, color=colours["text"], fontsize=fontsize)
    legend = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.79, 0.84),
                        fontsize=fontsize * 1.1, title=paint.legend_title,
                        title_fontsize=fontsize * 1.2, frameon=False,
                        labelcolor=colours["text"])
    legend.get_title().set_color(colours["text"])
    _texts(fig, view, colours, lang=lang, titled=titled)
    fig.covermap = {"crs": crs, "counts": paint.counts, "labels": labels, "scale_m": scale}
    return fig


def _is_point(shown: gpd.GeoDataFrame) -> np.ndarray:
    """Units drawn as points: those without a boundary (geo.placement)."""
    return (shapely.get_dimensions(shown.geometry.to_numpy()) == 0)


def _draw_dots(ax, shown: gpd.GeoDataFrame, fills, colours, lang: str) -> list:
    """Boundary-less units as dots in their class's colour; a legend row saying how many
    are placed approximately (not where an office's point file put them)."""
    shown.plot(ax=ax, color=list(fills), markersize=28, edgecolor=colours["edge"],
               linewidth=0.5, zorder=4)
    approximate = int(shown["approximate"].sum()) if "approximate" in shown else len(shown)
    if not approximate:
        return []
    return [Line2D([], [], marker="o", linestyle="", markersize=7, markerfacecolor="none",
                   markeredgecolor=colours["text"],
                   label=t("approximate_location", lang, n=approximate))]


def _draw_points(ax, points: gpd.GeoDataFrame, colours) -> list:
    """Dots over the units, the most urgent on top (last in ``points``); a legend handle
    per label, with its count."""
    points.plot(ax=ax, color=points["colour"].tolist(), markersize=46, edgecolor="#222222",
                linewidth=0.7, zorder=5)
    # The legend reads most urgent first: the reverse of the drawing order.
    counts = points.iloc[::-1].groupby(["label", "colour"], sort=False).size()
    return [Line2D([], [], marker="o", linestyle="", markersize=8, markerfacecolor=colour,
                   markeredgecolor="#222222", label=f"{label}  ({n})")
            for (label, colour), n in counts.items()]


def _plain_paint(view: MapView, crs, colours, lang) -> Paint:
    """The units in one light fill, names only: the ground under ``view.points``."""
    shown = view.units.to_crs(crs)
    names = shown.apply(lambda r: short_form(str(r["code"]), r["name"]) if lang == "zh"
                        else unit_name(r["name"], lang), axis=1)
    fill = colours["inset_fill"]
    return Paint(shown, [fill] * len(shown), [False] * len(shown), names, [],
                 view.points_title, {"points": len(view.points)})


def _progress_paint(view: MapView, crs, colours, lang) -> Paint:
    """Completion by the programme's classes; no data hatched; every unit labelled."""
    programme = view.programme
    shown = view.units.merge(view.table[["code", "pct", "not_applicable"]], on="code",
                             how="left").to_crs(crs)
    na = shown["not_applicable"].fillna(False).astype(bool)
    no_data = colours["no_data"] or programme.legend_special["no_data"]
    fills = shown["pct"].map(lambda v: _fill(v, programme, no_data))
    fills[na] = programme.legend_special["not_applicable"]
    counts = legend_counts(view.table, programme)
    return Paint(shown, fills.tolist(), (shown["pct"].isna() & ~na).to_numpy(),
                 _label_texts(shown, lang),
                 _legend_handles(programme, counts, colours, no_data=no_data, lang=lang),
                 t("completion", lang), counts)


# SVG keeps text as text.  PDF embeds the glyphs as Type 3 fonts: Noto CJK
# is CFF-based, and embedded as Type 42 (TrueType) its text vanished in
# MuPDF and Ghostscript though poppler drew it.
SAVE_SETTINGS = {"svg.fonttype": "none", "pdf.fonttype": 3}


def save_map(fig, path) -> None:
    """Write ``fig`` to PNG, SVG (text as text) or PDF (font embedded)."""
    with matplotlib.rc_context(SAVE_SETTINGS):
        fig.savefig(path, dpi=fig.dpi, facecolor=fig.get_facecolor())


def _fill(pct, programme: Programme, no_data: str) -> str:
    cls = programme.legend_class(None if pd.isna(pct) else float(pct))
    return cls.color if cls else no_data


def _frame(ax, bounds) -> None:
    # The axes keep their whole box and the limits grow to fit it (equal
    # scale): a tall region gets wide margins for its moved labels.
    minx, miny, maxx, maxy = bounds
    w, h = maxx - minx, maxy - miny
    x0, x1 = minx - 0.22 * w, maxx + 0.22 * w
    y0, y1 = miny - 0.08 * h, maxy + 0.03 * h
    box = ax.get_position(original=True)
    fig_w, fig_h = ax.figure.get_size_inches()
    ratio = (box.width * fig_w) / (box.height * fig_h)
    if (x1 - x0) / (y1 - y0) < ratio:
        grow = (ratio * (y1 - y0) - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = ((x1 - x0) / ratio - (y1 - y0)) / 2
        y0, y1 = y0 - grow, y1 + grow
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _label_texts(shown: gpd.GeoDataFrame, lang: str) -> pd.Series:
    texts = []
    for code, name, pct, na in zip(shown["code"], shown["name"], shown["pct"],
                                   shown["not_applicable"].fillna(False)):
        # Chinese short forms (锡盟, 呼市) mean nothing in English: there, the English name.
        short = short_form(str(code), name) if lang == "zh" else unit_name(name, lang)
        value = "—" if na else ("?" if pd.isna(pct) else f"{pct:.1f}%")
        texts.append(f"{short}\n{value}")
    return pd.Series(texts, index=shown.index)


def _legend_handles(programme, counts, colours, *, no_data, lang) -> list:
    def count(key):
        return t("n_units", lang, n=counts[key])

    handles = [Patch(facecolor=c.color, edgecolor=colours["edge"],
                     label=f"{c.label()}  ({count(c.label())})")
               for c in reversed(programme.legend)]
    handles.append(Patch(facecolor=no_data, edgecolor=colours["text_muted"], hatch="///",
                         label=f"{t('no_data', lang)}  ({count('no_data')})"))
    handles.append(Patch(facecolor=programme.legend_special["not_applicable"],
                         edgecolor=colours["text_muted"],
                         label=f"{t('not_applicable', lang)}  ({count('not_applicable')})"))
    return handles


def _texts(fig, view: MapView, colours, *, lang, titled) -> None:
    programme, item, as_of = view.programme, view.item, view.as_of
    fig.text(0.02, 0.03, source_line(view, lang), fontsize=8, color=colours["text_muted"],
             va="bottom")
    if view.synthetic:
        fig.text(0.98, 0.955, SYNTHETIC_MARK, fontsize=14, fontweight="bold",
                 color="#d62728", ha="right", va="top",
                 bbox={"boxstyle": "round,pad=0.3", "facecolor": "none", "edgecolor": "#d62728"})
    if not titled:
        return
    if view.readiness is not None:
        item_words = exit_title(view, lang)
    elif item == "overall":
        item_words = t("overall_short", lang)
    else:
        item_words = item_label(programme.item(item), lang)
    title = f"{programme.name(lang)} · {unit_name(view.region['name'], lang)} · {item_words}"
    fig.text(0.02, 0.955, title, fontsize=18, fontweight="bold", color=colours["text"],
             va="top")
    subtitle = t("as_of_date", lang, d=as_of.isoformat())
    milestone = programme.next_milestone(as_of)
    if milestone is not None:
        name = milestone.zh if lang == "zh" else milestone.en
        subtitle += "  ·  " + t("days_to", lang, n=(milestone.date - as_of).days,
                                milestone=name)
    fig.text(0.02, 0.895, subtitle, fontsize=11, color=colours["text_muted"], va="top")


def source_line(view: MapView, lang: str) -> str:
    """Credit and map approval number (审图号): the settings', else the defaults."""
    credit = view.credit or CREDIT[lang]
    approval = view.approval or "—"
    return t("map_source", lang, credit=credit, approval=approval)


def map_bytes(fig, kind: str) -> bytes:
    """The figure as a ``png``, ``svg`` or ``pdf`` file's bytes (for a download)."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(SAVE_SETTINGS):
        fig.savefig(buffer, format=kind, dpi=fig.dpi, facecolor=fig.get_facecolor())
    return buffer.getvalue()
