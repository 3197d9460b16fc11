"""The interactive map asks no outside host: every asset is served by the app."""

import re
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import pytest
import shapely
from folium.plugins import MarkerCluster

from geo.programme import load_programme
from layers.interactive.basemap import OfflineMap, base_map, fit_zoom, lonlat_to_px, px_to_lonlat
from layers.interactive.choropleth import add_choropleth
from layers.interactive.labels import add_labels
from layers.interactive.legend import add_legend
from layers.interactive.sites import OfflineMarkerCluster, add_sites

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "static"
# The SVG namespace names an XML vocabulary; a browser never fetches it.  It is
# the one absolute URL a page may hold (as an xmlns attribute, exactly so).
SVG_NAMESPACE = 'xmlns="http://www.w3.org/2000/svg"'


@pytest.fixture(scope="module")
def programme():
    return load_programme("ten_full_coverage")


@pytest.fixture(scope="module")
def every_layer(programme):
    """A map with the choropleth, legend, labels and sites on it."""
    boxes = [shapely.box(110 + i, 40, 111 + i, 41) for i in range(3)]
    units = gpd.GeoDataFrame({"code": ["150221", "150222", "150223"],
                              "name": ["土默特右旗", "固阳县", "达尔罕茂明安联合旗"]},
                             geometry=boxes, crs=4326)
    values = pd.DataFrame({"pct": [55.0, 92.5, None]}, index=units["code"])
    fmap = base_map(bounds=units.total_bounds)
    add_choropleth(fmap, units, values, programme, item_label="综合")
    add_legend(fmap, programme, {"0-60": 1, "90-100": 1, "no_data": 1}, title="综合完成率")
    add_labels(fmap, units, units.set_index("code")["name"], zoom=7)
    sites = gpd.GeoDataFrame(
        {"site_id": ["S1", "S2"], "name": ["水站", "村路"], "item": ["water", "roads"],
         "status": ["done", "not_started"], "start_date": ["2016-03-01", "2016-09-01"],
         "end_date": ["2016-06-30", None], "investment": [35.0, 120.5]},
        geometry=[shapely.Point(110.5, 40.5), shapely.Point(111.5, 40.5)], crs=4326)
    add_sites(fmap, sites, programme)
    folium.LayerControl().add_to(fmap)
    return fmap, fmap.get_root().render()


def test_no_outside_host_anywhere_in_a_map_with_every_layer(every_layer):
    _, html = every_layer
    rest = html.replace(SVG_NAMESPACE, "")
    assert re.findall(r"https?://\S{0,60}", rest) == []
    # Protocol-relative links ("//cdn...") would reach out just the same.
    assert re.findall(r"""(?:src|href)\s*=\s*["']//""", html) == []


def test_leaflet_and_markercluster_come_from_app_static(every_layer):
    _, html = every_layer
    scripts = re.findall(r'<script src="([^"]+)"', html)
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert scripts == ["/app/static/leaflet/leaflet.js",
                       "/app/static/markercluster/leaflet.markercluster.js"]
    assert sheets == ["/app/static/leaflet/leaflet.css",
                      "/app/static/markercluster/MarkerCluster.css",
                      "/app/static/markercluster/MarkerCluster.Default.css"]
    for url in scripts + sheets:
        assert (STATIC / url.removeprefix("/app/static/")).is_file(), url
    # Nothing in the page needs jQuery (folium.Popup would call $()).
    assert "$(" not in html


def test_streamlit_folium_sees_only_vendored_links(every_layer):
    # streamlit-folium injects every default_js/default_css of the map's elements.
    fmap, _ = every_layer

    def walk(element):
        yield element
        for child in element._children.values():
            yield from walk(child)

    links = [url for element in walk(fmap)
             for _, url in getattr(element, "default_js", []) + getattr(element, "default_css", [])]
    assert links and all(url.startswith("/app/static/") for url in links)
    assert isinstance(fmap, OfflineMap)
    assert not any(type(e) is MarkerCluster for e in walk(fmap))
    assert any(isinstance(e, OfflineMarkerCluster) for e in walk(fmap))


def test_folium_classes_are_left_as_they_were():
    # The offline lists live on subclasses; folium's own stay untouched for others.
    assert folium.Map.default_js[0][1].startswith("https://")
    assert MarkerCluster.default_js[0][1].startswith("https://")
    fmap = base_map(bounds=(110, 40, 111, 41))
    fmap.add_js_link("extra", "/app/static/extra.js")
    assert [name for name, _ in OfflineMap.default_js] == ["leaflet"]


def test_vendored_files_hold_no_url_a_browser_would_fetch():
    found = {}
    for path in sorted(STATIC.rglob("*")):
        if path.suffix in {".js", ".css"}:
            found[path.relative_to(STATIC).as_posix()] = sorted(
                set(re.findall(r"https?://[^\s\"'<>)]+", path.read_text(encoding="utf-8"))))
    # Leaflet: the SVG namespace (an identifier), the leafletjs.com link in its
    # attribution prefix (base_map replaces it with plain text) and two
    # bug-tracker links in CSS comments.  None is fetched.
    assert found == {
        "leaflet/leaflet.css": ["https://bugs.chromium.org/p/chromium/issues/detail?id=600120",
                                "https://bugzilla.mozilla.org/show_bug.cgi?id=888319"],
        "leaflet/leaflet.js": ["http://www.w3.org/2000/svg", "https://leafletjs.com"],
        "markercluster/MarkerCluster.Default.css": [],
        "markercluster/MarkerCluster.css": [],
        "markercluster/leaflet.markercluster.js": [],
        # protomaps-leaflet: a base to parse a relative tile URL with (never fetched),
        # the SVG namespace, and its default attribution links, which the tiled map
        # replaces with its own (static/covermap/map.js passes attribution "").
        "protomaps-leaflet/protomaps-leaflet.js": [
            "http://example.com", "http://www.w3.org/2000/svg",
            "https://openstreetmap.org/copyright", "https://protomaps.com"],
        "covermap/map.js": [],
        "covermap/map.css": [],
        "covermap/tips.js": [],
    }
    assert (STATIC / "leaflet" / "images" / "layers.png").is_file()
    assert "1.9.4" in (STATIC / "leaflet" / "leaflet.js").read_text(encoding="utf-8")[:200]
    readme = (STATIC / "README.md").read_text(encoding="utf-8")
    assert "npm pack leaflet@1.9.4 leaflet.markercluster@1.5.3" in readme
    assert "npm pack protomaps-leaflet@5.1.0" in readme


def test_streamlit_serves_static_and_does_not_phone_home():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableStaticServing"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["toolbarMode"] == "minimal"


def test_no_tiles_by_default_and_a_tile_template_when_configured():
    html = base_map(bounds=(110, 40, 111, 41)).get_root().render()
    assert "L.tileLayer" not in html and "#f4f3ef" in html
    url = "/tiles/{z}/{x}/{y}.png"
    html = base_map(bounds=(110, 40, 111, 41), tiles=url,
                    attribution="内网底图 <审图号>").get_root().render()
    assert '"/tiles/{z}/{x}/{y}.png"' in html
    # Escaped as text before folium JSON-encodes it (\u0026lt; is "&lt;").
    assert '"attribution": "\\u5185\\u7f51\\u5e95\\u56fe \\u0026lt;' in html
    assert "<审图号>" not in html and "\\u003c\\u5ba1" not in html
    with pytest.raises(ValueError, match="URL template"):
        base_map(bounds=(110, 40, 111, 41), tiles="OpenStreetMap")


def test_the_map_opens_fitted_to_the_bounds():
    html = base_map(bounds=(109.2, 40.2, 111.4, 42.7)).get_root().render()
    assert re.search(r"fitBounds\(\s*\[\[40\.2, 109\.2\], \[42\.7, 111\.4\]\]", html)
    # MarkerCluster refuses a map without maxZoom; with no tile layer the map sets it.
    assert '"maxZoom": 18' in html


def test_fit_zoom_matches_leaflet_and_pixels_round_trip():
    # Baotou (~2.2° by 2.5°) in a 1000×700 map: at zoom 8 it spans ~400×620 px.
    assert fit_zoom((109.2, 40.2, 111.4, 42.7), width_px=1000, height_px=700) == 8
    # quarter steps (zoomSnap 0.25), as Leaflet fits it: log2(2160 px / 2.36 px) = 9.84
    assert fit_zoom((109.2, 40.2, 111.4, 42.7), width_px=3840, height_px=2160) == 9.75
    x, y = lonlat_to_px(110.0, 41.0, 8)
    assert x == pytest.approx((110 + 180) / 360 * 256 * 2 ** 8)
    lon, lat = px_to_lonlat(x, y, 8)
    assert (float(lon), float(lat)) == pytest.approx((110.0, 41.0))
