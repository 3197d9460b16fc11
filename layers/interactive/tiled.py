"""What the tiled map of a view sends: colours as a small table, never geometry.

The tiles (:mod:`geo.tiles`) hold every unit of a level once; a view sends
:func:`colour_table`: a character per position of the level's index (``-``
where the unit is not in this view), the palette those characters stand for,
each unit's value for the tooltip, and the legend.  ``static/covermap/map.js``
applies it in the browser: another item, date or language repaints the same
map.  Names reach the page as text, not HTML, so nothing here needs escaping.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd

from geo.i18n import t
from geo.programme import Programme
from geo.tiles import LevelTiles
from layers.interactive.legend import class_key, class_label, count_classes
from layers.interactive.sites import STATUS_COLORS, STATUS_WORDS

NOT_DRAWN, NO_DATA, NOT_APPLICABLE = "-", "n", "a"
# The grey polygon under units drawn as dots (see layers.interactive.backdrop).
DESK_OUTLINE = {"color": "#a6a6a6", "weight": 1.2, "fill": True, "fillColor": "#d9d9d9",
                "fillOpacity": 0.55}
# A map of a few labels per screen: counties from the province's zoom, villages once a
# county fills the map.
LABEL_ZOOM = {"province": 3, "league": 4, "county": 5, "township": 7, "village": 8.5}


def palette(programme: Programme) -> dict[str, str]:
    """The colour of each class character: ``0``… the programme's classes in order,
    ``n`` no data, ``a`` not applicable."""
    special = programme.legend_special
    return ({str(k): cls.color for k, cls in enumerate(programme.legend)}
            | {NO_DATA: special["no_data"], NOT_APPLICABLE: special["not_applicable"]})


def class_characters(pct: pd.Series, not_applicable: pd.Series,
                     programme: Programme) -> pd.Series:
    """Each unit's class character (see :func:`palette`), indexed like ``pct``."""
    index = {cls: str(k) for k, cls in enumerate(programme.legend)}
    characters = pct.map(lambda v: index.get(programme.legend_class(v), NO_DATA))
    return characters.where(~not_applicable.reindex(pct.index).fillna(False).astype(bool),
                            NOT_APPLICABLE)


def map_data(tiles: LevelTiles, url: str, classes: pd.Series, palette: dict[str, str], *,
             tips: pd.Series | None = None, values: pd.Series | None = None,
             legend: dict | None = None, view: str = "", bounds=None,
             outline: gpd.GeoDataFrame | None = None, outline_style: dict | None = None,
             sites: list | None = None, cluster_sites: bool = False,
             lines: list | None = None, focus=None,
             paint: dict | None = None,
             labels: bool = True, lang: str = "zh", basemap: dict | None = None,
             credit: str = "", clickable: bool = True, height: int = 640,
             background: str = "#f4f3ef", label_size: int = 13,
             lagging_below: float = 0.0, item_label: str = "",
             label_texts: pd.Series | None = None, first_labels: pd.Series | None = None,
             kiosk: bool = False) -> dict:
    """The data of one view for ``static/covermap/map.js``: what every tiled map sends.

    Parameters
    ----------
    tiles, url
        The level's tiles and the URL the browser fetches them from.
    classes
        Indexed by code: each unit's class character, a key of ``palette``.  Units
        of the level not in it are not drawn.
    tips
        Indexed by code: a tooltip of plain text per unit (lines; the first is set
        bold), instead of the name and value.
    values
        Indexed by code: a per cent, shown in tooltips and labels (``达茂旗 86%``).
    legend
        ``{title, rows: [[colour, label, dashed]], notes}``; None for none.
    view
        A key of the region and level: the map is fitted to ``bounds`` when it changes.
    bounds
        ``(west, south, east, north)`` the map opens on; the tiles' when None.
    outline, outline_style
        Drawn under the units (Leaflet path options), or None.
    sites
        ``[{lat, lon, colour, tip}]`` drawn over the units (optional ``radius``,
        ``edge``; ``number``: a numbered stop instead of a dot); ``cluster_sites``
        gathers them in clusters (a province's projects).
    lines
        ``[{points: [[lat, lon], …], colour, weight}]`` drawn over the units (a route).
    focus
        ``(lat, lon, zoom)`` the map moves to when it changes; None stays.
    paint
        ``{opacity, stroke, width}`` of the units: ``stroke`` a colour or ``"class"``
        (the unit's own colour); ``width`` None: thin at a province's villages.
    label_texts, first_labels
        Indexed by code: each unit's label instead of its short name and value, and
        whether it is labelled before the others (else: the lagging first).
    height, label_size
        Pixels, or a CSS length such as ``"80vh"`` / ``"2.2vh"`` (a wall's screen).
    kiosk
        No controls (a wall nobody touches); the map refits when its screen changes.
    """
    position = tiles.positions()
    codes = classes.set_axis(classes.index.astype(str))
    codes = codes[codes.index.isin(position)]
    drawn = [NOT_DRAWN] * len(tiles.codes)
    for code, character in codes.items():
        drawn[position[code]] = character
    return {
        "tiles": {"url": url, "maxZoom": tiles.max_zoom, "labelZoom": LABEL_ZOOM[tiles.level]},
        "view": view,
        "bounds": [float(v) for v in (bounds if bounds is not None else tiles.bounds)],
        "classes": "".join(drawn),
        "palette": palette,
        "values": _by_position(values, position, lambda v: round(float(v), 1)),
        "tips": None if tips is None else _by_position(tips, position, str),
        "paint": {"opacity": 0.85, "stroke": "#555555", "width": None} | (paint or {}),
        "labels": labels,
        "labelTexts": None if label_texts is None else _by_position(label_texts, position, str),
        "firstLabels": None if first_labels is None
        else _by_position(first_labels.astype(int), position, int),
        "kiosk": kiosk,
        "itemLabel": item_label,
        "laggingBelow": lagging_below,
        "lang": "en" if lang == "en" else "zh",
        "words": {key: t(key, lang).lower() for key in ("no_data", "not_applicable")},
        "legend": legend,
        "outline": None if outline is None or outline.empty else {
            "geojson": json.loads(outline[["geometry"]].to_json()),
            "style": outline_style or DESK_OUTLINE},
        "sites": sites or [],
        "clusterSites": cluster_sites,
        "lines": lines or [],
        "focus": list(focus) if focus is not None else None,
        "basemap": basemap,
        "credit": credit,
        "clickable": clickable,
        "height": height,
        "background": background,
        "labelSize": label_size,
    }


def colour_table(tiles: LevelTiles, url: str, values: pd.DataFrame, programme: Programme, *,
                 item_label: str, lang: str = "zh", breakdown: pd.DataFrame | None = None,
                 approximate: int = 0, **options) -> dict:
    """The progress map's data: units coloured by completion in the programme's classes.

    ``values`` is indexed by code: ``pct`` (NaN = no data) and ``not_applicable``
    for the units in view.  ``breakdown`` (``code, item, pct``, ``item`` the label
    shown) fills the tooltips' table of every item.  ``approximate`` counts the
    units drawn as dots (a note under the legend).  Other keywords go to
    :func:`map_data`.
    """
    values = values.set_axis(values.index.astype(str))
    not_applicable = values["not_applicable"].fillna(False).astype(bool)
    characters = class_characters(values["pct"], not_applicable, programme)
    counts = count_classes(values["pct"], programme, not_applicable=not_applicable)
    data = map_data(
        tiles, url, characters, palette(programme), values=values["pct"],
        legend=_legend(programme, counts, title=item_label, lang=lang,
                       note=t("approximate_location", lang, n=approximate) if approximate
                       else ""),
        lang=lang, item_label=item_label, lagging_below=programme.lagging_below, **options)
    data["breakdown"] = _breakdown(breakdown, tiles.positions())
    return data


def _by_position(series: pd.Series | None, position: dict[str, int], convert) -> list | None:
    """``series`` (indexed by code) as a list by position; None where it has no value."""
    if series is None:
        return None
    listed = [None] * len(position)
    for code, value in zip(series.index.astype(str), series):
        if code in position and not pd.isna(value):
            listed[position[code]] = convert(value)
    return listed


def site_points(sites: gpd.GeoDataFrame, programme: Programme, lang: str = "zh") -> list:
    """Project sites as the tiled map draws them: a point in its status's colour, and a
    tooltip of its name, item and status (text, shown as text)."""
    lang = "en" if lang == "en" else "zh"
    labels = {item.key: item.label(lang) for item in programme.items}
    points = []
    for point, name, item, status in zip(sites.geometry, sites["name"], sites["item"],
                                         sites["status"].astype(str)):
        status = status if status in STATUS_COLORS else "na"
        points.append({"lat": round(point.y, 5), "lon": round(point.x, 5),
                       "colour": STATUS_COLORS[status],
                       "tip": f"{name} · {labels.get(item, item)} · {STATUS_WORDS[lang][status]}"})
    return points


def _breakdown(breakdown: pd.DataFrame | None, position: dict[str, int]) -> dict | None:
    """Each unit's values of every item, by position: ``"56.3,,100"`` (empty = no data)."""
    if breakdown is None or breakdown.empty:
        return None
    items = list(dict.fromkeys(breakdown["item"]))
    table = breakdown.assign(code=breakdown["code"].astype(str)).pivot_table(
        index="code", columns="item", values="pct", aggfunc="first", dropna=False)
    table = table.reindex(columns=items)
    rows = {}
    for code, row in zip(table.index, table.itertuples(index=False)):
        if code in position:
            rows[position[code]] = ",".join("" if pd.isna(v) else f"{v:.1f}" for v in row)
    return {"items": items, "rows": rows}


def _legend(programme: Programme, counts: dict, *, title: str, lang: str, note: str) -> dict:
    special = programme.legend_special
    rows = [[cls.color, f"{class_label(cls)}  {counts.get(class_key(cls), 0)}", False]
            for cls in reversed(programme.legend)]
    rows.append([special["no_data"], f"{t('no_data', lang).lower()}  {counts['no_data']}",
                 False])
    rows.append([special["not_applicable"],
                 f"{t('not_applicable', lang).lower()}  {counts['not_applicable']}", True])
    return {"title": title, "rows": rows, "notes": [note] if note else []}
