"""Project sites on a folium map: a glyph per item, a colour per status.

The sites go into the page as one GeoJSON (``id, item, st, name, dates,
inv`` per site, every text escaped) drawn by a JavaScript ``pointToLayer``
into a MarkerCluster; glyphs, item labels and the popup's words are written
once, and a popup is built when it opens.  The demo's ~15,000 sites as
folium Markers with Popups would be a few script statements and half a
kilobyte of HTML each.  The cluster's assets are the vendored ones under
``/app/static``.
Clicking a site gives streamlit-folium's ``last_active_drawing`` a Point
whose ``properties.id`` is the site_id.  The tiled map draws sites in the same
status colours and words (:func:`layers.interactive.tiled.site_points`).
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
from folium.plugins import MarkerCluster
from folium.utilities import JsCode

from geo.errors import ProgrammeError
from geo.i18n import LANGS, t
from geo.programme import Programme
from layers.interactive.basemap import MARKERCLUSTER_CSS, MARKERCLUSTER_JS
from layers.interactive.escape import js_literal, safe_text
from layers.interactive.legend import Legend
from layers.interactive.geojson import feature_collection

STATUS_COLORS = {"done": "#1a9641", "in_progress": "#f0a500", "not_started": "#d7191c",
                 "na": "#9e9e9e"}
# A site's status in a popup and the legend, in lower case as a value reads.
STATUS_WORDS = {lang: {status: t(key, lang).lower() for status, key in (
    ("done", "done"), ("in_progress", "in_progress"), ("not_started", "not_started"),
    ("na", "not_applicable"))} for lang in LANGS}
_FIELD_WORDS = {lang: {"item": t("project_item", lang), "status": t("status", lang),
                       "dates": t("site_dates", lang), "investment": t("site_investment", lang),
                       "money": t("site_money", lang), "layer": t("site_layer", lang)}
                for lang in LANGS}
# One glyph per item, the words a Chinese map reader expects; else the first character.
_GLYPH_ITEMS = ("water", "safe_water", "power", "electricity", "roads", "hardened_road",
                "telecom", "network", "radio_tv", "housing", "culture", "culture_room",
                "schools", "clinics", "clinic", "social_security", "shops",
                "collective_economy", "households_exited")
SYMBOLS_ZH = {key: t(f"glyph_{key}", "zh") for key in _GLYPH_ITEMS}
SYMBOLS_EN = {key: t(f"glyph_{key}", "en") for key in _GLYPH_ITEMS}


class OfflineMarkerCluster(MarkerCluster):
    """folium's MarkerCluster loading Leaflet.markercluster from ``/app/static``."""

    default_js = MARKERCLUSTER_JS
    default_css = MARKERCLUSTER_CSS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_js = list(type(self).default_js)
        self.default_css = list(type(self).default_css)


def symbol(item_key: str, programme: Programme, lang: str = "zh") -> str:
    """The glyph drawn for an item: 水 电 路 … (zh) or W E R … (en)."""
    table = SYMBOLS_EN if lang == "en" else SYMBOLS_ZH
    if item_key in table:
        return table[item_key]
    label = _item_label(item_key, programme, lang)
    return label[:1].upper() if label else "?"


def _item_label(item_key: str, programme: Programme, lang: str) -> str | None:
    try:
        return programme.item(item_key).label(lang)
    except ProgrammeError:
        return None


def add_sites(fmap, sites: gpd.GeoDataFrame, programme: Programme, *,
              lang: str = "zh") -> OfflineMarkerCluster:
    """Add project sites, clustered, with a popup each.

    Parameters
    ----------
    fmap
        A folium Map or FeatureGroup.
    sites
        ``site_id, name, item, status, start_date, end_date, investment,
        geometry`` (points, EPSG:4326); ``item`` is a programme item key,
        ``status`` one of done / in_progress / not_started / na, investment
        in 万元.  Every text is escaped.
    lang
        ``zh`` or ``en``: glyphs and the words in the popups.

    Returns
    -------
    OfflineMarkerCluster
        Added to ``fmap``; the sites' GeoJSON is its one child.
    """
    lang = "en" if lang == "en" else "zh"
    words = _FIELD_WORDS[lang]
    properties = {
        "id": [str(v) for v in sites["site_id"]],
        "item": [safe_text(v) for v in sites["item"]],
        "st": [v if v in STATUS_COLORS else "na" for v in sites["status"].astype(str)],
        "name": [safe_text(v) for v in sites["name"]],
        "dates": [f"{_date_text(a)} – {_date_text(b)}"
                  for a, b in zip(sites["start_date"], sites["end_date"])],
        "inv": [_money_text(v, words["money"]) for v in sites["investment"]],
    }
    items = {safe_text(item.key): item for item in programme.items}
    lookups = {
        "__COLORS__": STATUS_COLORS,
        "__SYMBOLS__": {key: safe_text(symbol(item.key, programme, lang))
                        for key, item in items.items()},
        "__LABELS__": {key: safe_text(item.label(lang)) for key, item in items.items()},
        "__STATUS__": STATUS_WORDS[lang],
        "__WORDS__": {key: safe_text(words[key])
                      for key in ("item", "status", "dates", "investment")},
    }
    cluster = OfflineMarkerCluster(
        name=words["layer"], control=True,
        icon_create_function=_CLUSTER_ICON, show_coverage_on_hover=False,
        max_cluster_radius=45, chunked_loading=True,
    )
    folium.GeoJson(
        feature_collection(sites.geometry, properties), control=False,
        point_to_layer=JsCode(_fill(_POINT_TO_LAYER, lookups)),
        on_each_feature=JsCode(_fill(_BIND_POPUP, lookups)),
    ).add_to(cluster)
    cluster.add_to(fmap)
    return cluster


def _fill(js: str, lookups: dict[str, dict]) -> str:
    """``js`` with each ``__NAME__`` replaced by its dictionary as a script-safe object."""
    for name, table in lookups.items():
        js = js.replace(name, js_literal(table))
    return js


_POINT_TO_LAYER = """function(f, latlng) {
    var p = f.properties, colors = __COLORS__, symbols = __SYMBOLS__;
    var html = '<div style="width:20px;height:20px;border-radius:50%;background:'
        + (colors[p.st] || colors.na) + ';color:#fff;border:1.5px solid #fff;'
        + 'box-shadow:0 0 2px rgba(0,0,0,.6);font:bold 11px/20px sans-serif;'
        + 'text-align:center;box-sizing:content-box">'
        + (Object.prototype.hasOwnProperty.call(symbols, p.item) ? symbols[p.item] : '?')
        + '</div>';
    return L.marker(latlng, {icon: L.divIcon({html: html, className: 'covermap-site',
        iconSize: [23, 23], iconAnchor: [11, 11]}), riseOnHover: true});
}"""

# Built when opened; every property is escaped HTML already.
_BIND_POPUP = """function(f, layer) {
    layer.bindPopup(function() {
        var p = f.properties, labels = __LABELS__, status = __STATUS__, words = __WORDS__;
        var row = function(label, value) {
            return '<tr><td style="color:#666;padding-right:8px">' + label + '</td><td>'
                + value + '</td></tr>';
        };
        return '<div style="font-size:13px"><b>' + p.name + '</b>'
            + '<table style="margin-top:4px;font-size:12px">'
            + row(words.item, Object.prototype.hasOwnProperty.call(labels, p.item)
                ? labels[p.item] : p.item)
            + row(words.status, status[p.st])
            + row(words.dates, p.dates) + row(words.investment, p.inv) + '</table></div>';
    }, {maxWidth: 320});
}"""

# A cluster shows its count on a ring whose arcs are the shares of done,
# in progress and not started (the plugin's default colours read as status).
_CLUSTER_ICON = """function(cluster) {
    var n = {done: 0, in_progress: 0, not_started: 0, na: 0};
    cluster.getAllChildMarkers().forEach(function(m) {
        var st = m.feature && m.feature.properties.st;
        n[st in n ? st : 'na'] += 1;
    });
    var total = cluster.getChildCount();
    var a = 100 * n.done / total, b = a + 100 * n.in_progress / total,
        c = b + 100 * n.not_started / total;
    var ring = 'conic-gradient(#1a9641 0 ' + a + '%, #f0a500 0 ' + b + '%, #d7191c 0 '
        + c + '%, #9e9e9e 0)';
    var size = total < 100 ? 34 : (total < 1000 ? 40 : 46);
    return L.divIcon({
        html: '<div style="width:' + size + 'px;height:' + size + 'px;border-radius:50%;'
            + 'background:' + ring + ';display:flex;align-items:center;justify-content:center">'
            + '<span style="background:#fff;border-radius:50%;width:' + (size - 12) + 'px;'
            + 'height:' + (size - 12) + 'px;line-height:' + (size - 12) + 'px;'
            + 'text-align:center;font:bold 11px sans-serif;color:#222">' + total + '</span></div>',
        className: 'covermap-cluster', iconSize: [size, size]
    });
}"""


def _date_text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "…"
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return safe_text(value)


def _money_text(value, unit: str) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{float(value):,.1f} {safe_text(unit)}"


def add_sites_legend(fmap, programme: Programme, items, *, lang: str = "zh"):
    """What the site symbols and their colours mean, top right (the classes are bottom right)."""

    symbols = SYMBOLS_EN if lang == "en" else SYMBOLS_ZH
    words = STATUS_WORDS["en" if lang == "en" else "zh"]
    names = {i.key: i.label(lang) for i in programme.items}
    glyph = ("display:inline-block;width:1.5em;height:1.5em;line-height:1.5em;"
             "border-radius:50%;text-align:center;margin-right:6px;color:#fff;")
    rows = [f'<div><span style="{glyph}background:#555555">'
            f'{safe_text(symbols.get(key, names[key][:1]))}</span>{safe_text(names[key])}</div>'
            for key in programme.item_keys if key in set(items)]
    rows += [f'<div><span style="{glyph}background:{STATUS_COLORS[status]}"></span>'
             f'{safe_text(words[status])}</div>'
             for status in ("done", "in_progress", "not_started")]
    html = ('<div style="background:rgba(255,255,255,0.92);padding:6px 10px;border-radius:4px;'
            'box-shadow:0 1px 4px rgba(0,0,0,0.3);font-size:12px;line-height:1.7;color:#222">'
            f'<div style="font-weight:bold">{safe_text(_FIELD_WORDS[lang]["layer"])}</div>'
            + "".join(rows) + "</div>")
    legend = Legend(html, position="topright")
    fmap.add_child(legend)
    return legend
