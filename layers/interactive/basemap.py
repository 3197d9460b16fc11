"""A folium base map: Leaflet served by the app itself, no outside host; and the Web
Mercator arithmetic of the zoom Leaflet fits a region at (:func:`fit_zoom`).

folium's ``Map`` loads Leaflet, jQuery, Bootstrap, awesome-markers and
Font Awesome from CDNs, and streamlit-folium injects every one of those URLs:
on a closed network one unreachable URL leaves the map blank.  The map here
lists only the vendored Leaflet under ``static/`` (served by Streamlit at
``/app/static/...`` with ``server.enableStaticServing``).  Nothing built on
it may use folium elements that need jQuery (``folium.Popup``, objects kept
in front) or a CDN (``folium.Choropleth``, branca's ``ColorMap``,
awesome-marker ``Icon``s): the ``add_*`` functions in ``layers/`` do not.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import folium
import numpy as np
from folium.template import Template

from layers.interactive.escape import safe_text

STATIC_URL = "/app/static"
LEAFLET_JS = [("leaflet", f"{STATIC_URL}/leaflet/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{STATIC_URL}/leaflet/leaflet.css")]
MARKERCLUSTER_JS = [("markerclusterjs", f"{STATIC_URL}/markercluster/leaflet.markercluster.js")]
MARKERCLUSTER_CSS = [
    ("markerclustercss", f"{STATIC_URL}/markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", f"{STATIC_URL}/markercluster/MarkerCluster.Default.css"),
]
BACKGROUND = "#f4f3ef"
MIN_ZOOM, MAX_ZOOM = 3, 18
ZOOM_SNAP = 0.25
_TILE_SIZE = 256


class OfflineMap(folium.Map):
    """A folium Map whose only assets are the vendored Leaflet JS and CSS."""

    default_js = LEAFLET_JS
    default_css = LEAFLET_CSS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # folium's add_js_link/add_css_link append in place: keep the class lists clean.
        self.default_js = list(type(self).default_js)
        self.default_css = list(type(self).default_css)


class _MapSetup(folium.MacroElement):
    """Background colour, a plain attribution prefix and the credit line."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function (map) {
                map.getContainer().style.background = {{ this.background|tojson }};
                if (map.attributionControl) {
                    map.attributionControl.setPrefix("Leaflet");
                    {%- if this.attribution %}
                    map.attributionControl.addAttribution({{ this.attribution|tojson }});
                    {%- endif %}
                }
            })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, *, background: str, attribution: str):
        super().__init__()
        self._name = "MapSetup"
        self.background = background
        self.attribution = attribution


def base_map(*, bounds: Sequence[float], tiles: str | None = None, attribution: str = "",
             subdomains: str = "abc", background: str = BACKGROUND,
             prefer_canvas: bool = False,
             size_px: tuple[int, int] = (1000, 640)) -> OfflineMap:
    """An offline Leaflet map fitted to ``bounds``.

    Parameters
    ----------
    bounds
        ``(west, south, east, north)`` in degrees, as ``GeoDataFrame.total_bounds``.
    tiles
        None (the default) draws no tiles, only a plain light background; or
        a tile URL template with ``{z}``, ``{x}`` and ``{y}``, e.g. an intranet
        tile server, or Tianditu with a key::

            http://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile
            &VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles
            &TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY

        (one line, with ``subdomains="01234567"``).  Tianditu tiles are
        CGCS2000, which lines up with the store's WGS84 at map scale.
    attribution
        The credit line shown in the corner (tile source, 审图号, ...);
        escaped here.
    subdomains
        The values of ``{s}`` in ``tiles``.
    background
        The colour where no tile or feature is drawn.
    prefer_canvas
        Draw vectors on a canvas instead of SVG: faster with thousands of
        village polygons.
    size_px
        The map's expected (width, height) on screen: sets the zoom it opens
        at (the browser then fits ``bounds`` to the real size), which
        :func:`layers.interactive.labels.add_labels` places labels for by default.

    Returns
    -------
    OfflineMap
        Its ``default_js``/``default_css`` list only ``/app/static/leaflet/...``.
    """
    west, south, east, north = (float(v) for v in bounds)
    if not (west <= east and south <= north):
        raise ValueError(f"bounds must be (west, south, east, north); got {tuple(bounds)!r}")
    if tiles is not None and not all(part in tiles for part in ("{z}", "{x}", "{y}")):
        raise ValueError(f"tiles must be a URL template with {{z}}, {{x}} and {{y}}; "
                         f"got {tiles!r}")
    fmap = OfflineMap(location=[(south + north) / 2, (west + east) / 2], tiles=None,
                      zoom_start=fit_zoom(bounds, width_px=size_px[0], height_px=size_px[1]),
                      control_scale=True, prefer_canvas=prefer_canvas)
    # MarkerCluster needs the map's maxZoom, which otherwise comes from a tile layer;
    # quarter zoom steps let a region fill its frame instead of half of it.
    fmap.options.update(min_zoom=MIN_ZOOM, max_zoom=MAX_ZOOM, zoom_snap=ZOOM_SNAP,
                        zoom_delta=0.5)
    credit = safe_text(attribution)
    if tiles is not None:
        # folium refuses a custom tile URL without attribution; the credit is added once.
        folium.TileLayer(tiles=tiles, attr=credit or "&nbsp;", subdomains=subdomains,
                         min_zoom=MIN_ZOOM, max_zoom=MAX_ZOOM,
                         name="tiles", control=False).add_to(fmap)
        credit = ""
    fmap.add_child(_MapSetup(background=background, attribution=credit))
    fmap.fit_bounds([[south, west], [north, east]])
    return fmap


def lonlat_to_px(lon, lat, zoom: float) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator pixel coordinates (Leaflet's, y down) of lon/lat at ``zoom``."""
    world = _TILE_SIZE * 2.0 ** zoom
    lat = np.clip(np.asarray(lat, dtype=float), -85.0511287798, 85.0511287798)
    x = (np.asarray(lon, dtype=float) + 180.0) / 360.0 * world
    y = (1.0 - np.log(np.tan(np.radians(lat)) + 1.0 / np.cos(np.radians(lat))) / math.pi) \
        / 2.0 * world
    return x, y


def px_to_lonlat(x, y, zoom: float) -> tuple[np.ndarray, np.ndarray]:
    """The inverse of :func:`lonlat_to_px`."""
    world = _TILE_SIZE * 2.0 ** zoom
    lon = np.asarray(x, dtype=float) / world * 360.0 - 180.0
    lat = np.degrees(np.arctan(np.sinh(math.pi * (1.0 - 2.0 * np.asarray(y, dtype=float) / world))))
    return lon, lat


def fit_zoom(bounds: Sequence[float], *, width_px: int, height_px: int,
             padding_px: int = 0) -> float:
    """The zoom Leaflet's ``fitBounds`` picks for ``bounds`` in a map of that size.

    Use it to place labels for the zoom the viewer will see
    (:func:`layers.interactive.labels.add_labels`).
    """
    west, south, east, north = (float(v) for v in bounds)
    x, y = lonlat_to_px([west, east], [north, south], 0)
    span_x, span_y = max(x[1] - x[0], 1e-9), max(y[1] - y[0], 1e-9)
    scale = min((width_px - 2 * padding_px) / span_x, (height_px - 2 * padding_px) / span_y)
    return max(0.0, min(18.0, math.floor(math.log2(scale) / ZOOM_SNAP) * ZOOM_SNAP))
