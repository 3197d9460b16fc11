"""Supervision on the interactive map: each village with problems as a dot coloured by
its worst problem (overdue, open, rectified, verified), and the villages by the last
round that visited them."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
from folium.utilities import JsCode

from geo.i18n import LANGS, t
from geo.supervision.problems import STATUS_WORDS, category_word, worst_per_village
from layers.interactive.escape import safe_text
from layers.interactive.geojson import feature_collection

# Red for what is late, orange for what is open, blues for what is done.
PROBLEM_COLOURS = {"overdue": "#d7191c", "open": "#fdae61", "rectified": "#abd9e9",
                   "verified": "#2c7bb6"}
# lang → {class: word, "title": the layer's name}.
PROBLEM_WORDS = {lang: {"overdue": t("problem_overdue", lang),
                        **{c: t(f"problem_status_{c}", lang)
                           for c in ("open", "rectified", "verified")},
                        "title": t("problems_found", lang)}
                 for lang in LANGS}
# Never visited stands out; the latest round darkest.
NEVER_COLOUR = "#e6550d"
ROUND_COLOURS = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


def villages_with_problems(status: pd.DataFrame, points: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per village with problems: ``code, name, geometry`` (a point inside it),
    ``worst`` (the most urgent class), ``count`` and ``problems`` (its rows)."""
    worst = worst_per_village(status).set_index("unit_code")
    of_village = dict(tuple(status.groupby("unit_code", sort=False)))
    worst["problems"] = [of_village[code] for code in worst.index]
    shown = points[points["code"].isin(worst.index)].copy()
    shown.geometry = shown.geometry.representative_point()
    return shown.join(worst, on="code")


def add_problems(fmap, villages: gpd.GeoDataFrame, *, lang: str = "zh") -> folium.FeatureGroup:
    """Add :func:`villages_with_problems` as dots, each with its problems in a tooltip."""
    group = folium.FeatureGroup(name=PROBLEM_WORDS["en" if lang == "en" else "zh"]["title"],
                                control=True)
    problem_dots(villages, lang=lang).add_to(group)
    group.add_to(fmap)
    return group


def problem_dots(villages: gpd.GeoDataFrame, *, lang: str = "zh", tips: bool = True,
                 scale: float = 1.0) -> folium.GeoJson:
    """The dots of :func:`villages_with_problems` as one GeoJson layer (the wall adds it
    to its own feature group); ``tips=False`` for a screen nobody hovers over, ``scale``
    for one seen from across a room."""
    english = lang == "en"
    data = feature_collection(villages.geometry, {
        "code": [str(c) for c in villages["code"]],
        "tip": [_tip(row.name, row.problems, english) if tips else ""
                for row in villages.itertuples()],
        "fill": [PROBLEM_COLOURS[w] for w in villages["worst"]],
        "r": [scale * (5 + min(int(n), 5)) for n in villages["count"]]})
    return folium.GeoJson(
        data, control=False, interactive=tips,
        marker=folium.CircleMarker(radius=7, weight=1, color="#333333", fill=True,
                                   fill_opacity=0.95),
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "fill": True,
                                  "fillOpacity": 0.95, "color": "#333333", "weight": 1,
                                  "radius": f["properties"]["r"]},
        on_each_feature=JsCode(
            "function(f, layer) { if (f.properties.tip) { layer.bindTooltip(f.properties.tip,"
            " {sticky: true, className: 'covermap-tip'}); } }"))


def coverage_fills(last_round: pd.Series, rounds: int) -> list[str]:
    """A village's fill by the last round that visited it (of ``rounds``), or never."""
    shades = ROUND_COLOURS[-rounds:] if rounds <= len(ROUND_COLOURS) else ROUND_COLOURS
    first = rounds - len(shades) + 1

    def fill(n):
        if pd.isna(n):
            return NEVER_COLOUR
        return shades[max(int(n) - first, 0)]

    return [fill(n) for n in last_round]


def _tip(name: str, problems: pd.DataFrame, english: bool) -> str:
    rows = "".join(
        f"<tr><td>{safe_text(p.problem_id)}</td>"
        f"<td>{safe_text(category_word(p.category, 'en' if english else 'zh'))}</td>"
        f"<td>{safe_text(p.description)}</td>"
        f"<td>{safe_text(STATUS_WORDS[p.status][english])}"
        + (f" · {t('days_late_n', 'en' if english else 'zh', n=int(p.days_overdue))}"
           if p.overdue else "")
        + f"</td><td>{safe_text(p.deadline)}</td></tr>"
        for p in problems.itertuples())
    return (f'<div style="font-size:13px"><b>{safe_text(name)}</b>'
            f'<table style="font-size:12px;margin-top:4px">{rows}</table></div>')


def add_route(fmap, stops: pd.DataFrame, *, colour: str = "#2b579a") -> folium.FeatureGroup:
    """A team's route: the stops (``seq, name, lon, lat``) numbered in visiting order,
    joined by a line; each name in a tooltip (escaped)."""
    group = folium.FeatureGroup(name="route", control=False)
    folium.PolyLine(list(zip(stops["lat"], stops["lon"])), color=colour, weight=3,
                    opacity=0.9).add_to(group)
    for stop in stops.itertuples():
        folium.Marker(
            [stop.lat, stop.lon], tooltip=safe_text(f"{stop.seq} · {stop.name}"),
            icon=folium.DivIcon(
                html=f'<div style="width:22px;height:22px;border-radius:11px;'
                     f'background:#d7191c;color:#fff;font:bold 12px/22px sans-serif;'
                     f'text-align:center;border:2px solid #fff">{int(stop.seq)}</div>',
                icon_size=(22, 22), icon_anchor=(11, 11))).add_to(group)
    group.add_to(fmap)
    return group
