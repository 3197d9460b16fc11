"""covermap's maps beside two peers, timed in one run in headless Chromium (issue 15, item 7).

    .venv/bin/python bench/peers.py        (or: make bench-peers; bench/benchmark.py --peers)

The peers are the "ten lines" anyone would write: folium + ``st_folium`` with the
store's full geometry (naive), and the same with ``shapely.coverage_simplify`` and a
canvas renderer (lean). Both load the vendored Leaflet under static/, as covermap
does: a CDN-bound folium draws nothing offline, and every outside request is refused
and counted here. Each load opens a fresh browser context on a warm server (one load
first, not counted); loads go round covermap, naive, lean, three times; the median is
printed. Measured the same way for every map:

- first map: seconds from navigation until the map's iframe has drawn as many units as
  the view holds (SVG paths, or layers a canvas has drawn). covermap has no
  ``data-units-drawn`` hook yet (item 6), so its paths are counted the same way.
- data: every byte received for the view — HTTP bodies and headers as sent
  (CDP ``Network.loadingFinished`` encodedDataLength) and websocket frames — except
  Streamlit's own frontend bundle under ``/static/``, the same for every page.
- memory: the renderer's resident set (VmRSS in /proc) once the page has settled —
  the largest renderer of this run's Chromium, whose pages are closed between loads.
"""

from __future__ import annotations

import base64
import os
import statistics
import sys
import tempfile
import time
import unicodedata
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.app_server import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    SETTLED,
    streamlit_server,
)

RUNS = 3
VIEWPORT = {"width": 1600, "height": 1000}
MAP_FRAME = "st_folium"
TIMEOUT_S = 120
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
# Every outside host fails to resolve (counted as refused), without routing each
# request through this process, which would slow every load.
OFFLINE_ARGS = [*CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


@dataclass(frozen=True)
class View:
    name: str
    level: str
    region: str | None          # None: the store's province
    covermap_query: str

    @property
    def peer_query(self) -> str:
        return f"?level={self.level}" + (f"&region={self.region}" if self.region else "")


VIEWS = (
    View("province by county", "county", None, "/?level=county"),
    View("赤峰市 by village", "village", "150400", "/?region=150400&level=village"),
    # covermap refuses a province's villages today and draws its townships instead.
    View("province by village", "village", None, "/?level=village"),
)

# The peers' whole script: read, colour, draw. ``{lean}`` and the paths are filled in.
PEER_APP = '''
import sys; sys.path.insert(0, {root!r})
import folium, shapely, streamlit as st
from streamlit_folium import st_folium
from geo.store import Store
from geo.summary import summarise
from layers.interactive.basemap import OfflineMap   # folium.Map loading /app/static/leaflet

@st.cache_data
def layer(level, region):
    store = Store({store!r})
    shapes = store.units(level=level, region=region, geometry=True)
    table = summarise(store.units(), store.progress(), store.programme, level=level,
                      region=region, item="overall", snapshot_dates=store.snapshot_dates())
    shapes = shapes.merge(table[["code", "pct"]], on="code")[["code", "name", "pct", "geometry"]]
    if {lean}:   # half a pixel of a 1000-px-wide map, neighbours keeping shared borders
        west, _, east, _ = shapes.total_bounds
        shapes["geometry"] = shapely.coverage_simplify(shapes.geometry.values, (east - west) / 2000)
    return shapes

colour = lambda p: "#bbb" if p != p else next(c for t, c in [(60, "#d7301f"), (80, "#fc8d59"),
                     (90, "#fee08b"), (100, "#91cf60"), (1e9, "#1a9850")] if p < t)
shapes = layer(st.query_params["level"], st.query_params.get("region"))
m = OfflineMap(tiles=None, prefer_canvas={lean})
folium.GeoJson(shapes, style_function=lambda f: dict(fillColor=colour(f["properties"]["pct"]),
               color="#555", weight=0.5, fillOpacity=0.8),
               tooltip=folium.GeoJsonTooltip(["name", "pct"])).add_to(m)
m.fit_bounds([[shapes.total_bounds[1], shapes.total_bounds[0]],
              [shapes.total_bounds[3], shapes.total_bounds[2]]])
st_folium(m, height=640, use_container_width=True, returned_objects=[])
'''

# Units drawn in the map's iframe: SVG paths, plus the layers a canvas renderer has
# drawn (none pending: Leaflet draws a canvas in the animation frame after its layers
# are added).
DRAWN = """() => {
  let n = document.querySelectorAll('path.leaflet-interactive').length;
  const map = window.map;
  if (map && window.L) {
    for (const layer of Object.values(map._layers)) {
      if (layer instanceof L.Canvas && !layer._redrawRequest && layer._drawFirst) {
        for (let item = layer._drawFirst; item; item = item.next) n++;
      }
    }
  }
  return n;
}"""


@contextmanager
def peer_server(store: Path, *, lean: bool, timeout: float = 60):
    """A peer's Streamlit script on a free port beside a link to static/ (Streamlit serves
    the static/ next to the script); yield its base URL. Stopped by its process id."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / ("lean.py" if lean else "naive.py")
        script.write_text(PEER_APP.format(root=str(ROOT), store=str(store), lean=lean),
                          encoding="utf-8")
        (Path(tmp) / "static").symlink_to(ROOT / "static")
        with streamlit_server(store, timeout=timeout, script=script,
                              options=("--server.enableStaticServing", "true")) as url:
            yield url


@dataclass
class Load:
    seconds: float
    data_mb: float
    memory_mb: float
    drawn: int
    refused: int        # requests to any host but 127.0.0.1, refused


def _renderers_rss_mb() -> float:
    """The largest resident set among this process's Chromium renderers, in MB."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    largest, todo = 0, list(children.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            if b"--type=renderer" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    largest = max(largest, int(line.split()[1]))
        except OSError:
            continue
    return largest / 1024


def load(browser, url: str, units: int) -> Load:
    """Open ``url`` in a fresh context; time until ``units`` units are drawn."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    received = [0]

    def counted(url: str) -> bool:
        path = url.split("://", 1)[-1].partition("/")[2]
        return not path.startswith("static/")      # Streamlit's own bundle

    cdp.on("Network.requestWillBeSent",
           lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    refused = set()
    cdp.on("Network.loadingFailed", lambda e: refused.add(e["requestId"]) if not urls.get(
        e["requestId"], "").startswith(LOCAL) else None)
    cdp.on("Network.loadingFinished", lambda e: received.__setitem__(
        0, received[0] + (e["encodedDataLength"] if counted(urls.get(e["requestId"], ""))
                          else 0)))

    def frame_bytes(e):
        payload = e["response"]["payloadData"]
        size = len(base64.b64decode(payload)) if e["response"]["opcode"] == 2 \
            else len(payload.encode())
        received[0] += size

    cdp.on("Network.webSocketFrameReceived", frame_bytes)
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    drawn, deadline = 0, start + TIMEOUT_S
    while drawn < units and time.perf_counter() < deadline:
        for frame in page.frames:
            if MAP_FRAME in frame.url:
                try:
                    drawn = max(drawn, frame.evaluate(DRAWN))
                except Exception:       # noqa: BLE001 — a frame replaced mid-count
                    pass
        if drawn < units:
            # Not time.sleep: Playwright's sync API handles events only inside its calls.
            page.wait_for_timeout(20)
    seconds = time.perf_counter() - start
    # Data and memory once the script has finished and the page is quiet.
    page.wait_for_function(SETTLED, timeout=TIMEOUT_S * 1000)
    page.wait_for_timeout(1000)
    memory = _renderers_rss_mb()
    data = received[0] / 2**20
    context.close()
    return Load(seconds if drawn >= units else float("nan"), data, memory, drawn, len(refused))


def expected_units(store_path: Path) -> dict[tuple[str, str], int]:
    """How many units each map of each view should draw."""
    from geo.store import Store

    store = Store(store_path)
    units = store.units()
    counts = {}
    for view in VIEWS:
        region = view.region or units.loc[units["parent_code"].isna(), "code"].iloc[0]
        inside = store.units(region=region)
        peer = int((inside["level"] == view.level).sum())
        shown = "township" if view.region is None and view.level == "village" else view.level
        counts[(view.name, "naive")] = counts[(view.name, "lean")] = peer
        counts[(view.name, "covermap")] = int((inside["level"] == shown).sum())
    return counts


def map_peers(store_path: Path, report) -> None:
    """Time covermap and both peers on every view; print each figure against its budget
    with ``report(what, value, budget, unit)``."""
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    counts = expected_units(store_path)
    names = ("covermap", "naive", "lean")
    results: dict[tuple[str, str], list[Load]] = {}
    with ExitStack() as stack:
        bases = {"covermap": stack.enter_context(streamlit_server(store_path)),
                 "naive": stack.enter_context(peer_server(store_path, lean=False)),
                 "lean": stack.enter_context(peer_server(store_path, lean=True))}
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=OFFLINE_ARGS)
        for view in VIEWS:
            def url(name):
                query = view.covermap_query if name == "covermap" else "/" + view.peer_query
                return bases[name] + query
            for name in names:                      # warm: caches filled, not counted
                load(browser, url(name), counts[(view.name, name)])
            for _ in range(RUNS):
                for name in names:
                    results.setdefault((view.name, name), []).append(
                        load(browser, url(name), counts[(view.name, name)]))
        browser.close()
    _print(results, counts, report)
    print(f"  (peers benchmark: {time.perf_counter() - started:.0f} s in all)")


def _pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` columns, a Chinese character taking two."""
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return text + " " * max(0, width - len(text) - wide)


def _median(loads: list[Load], field: str) -> float:
    return statistics.median(getattr(one, field) for one in loads)


def _print(results, counts, report) -> None:
    print(f"covermap beside naive and lean folium (median of {RUNS} loads, fresh context, "
          "warm servers; data without Streamlit's /static/ bundle; memory = renderer VmRSS):")
    print(f"  {'view':<22}{'map':<10}{'units':>7}{'first map s':>13}{'data MB':>9}"
          f"{'memory MB':>11}  runs (s)")
    for view in VIEWS:
        for name in ("covermap", "naive", "lean"):
            loads = results[(view.name, name)]
            runs = ", ".join(f"{one.seconds:.2f}" for one in loads)
            refused = sum(one.refused for one in loads)
            print(f"  {_pad(view.name, 22)}{name:<10}{counts[(view.name, name)]:>7,}"
                  f"{_median(loads, 'seconds'):>13.2f}{_median(loads, 'data_mb'):>9.2f}"
                  f"{_median(loads, 'memory_mb'):>11.0f}  {runs}"
                  + (f"  ({refused} outside requests refused)" if refused else ""))
    first = {key: _median(loads, "seconds") for key, loads in results.items()}
    data = {key: _median(loads, "data_mb") for key, loads in results.items()}
    memory = {key: _median(loads, "memory_mb") for key, loads in results.items()}

    def ratios(view):
        print(f"  {view}: first map naive ÷ covermap "
              f"{first[(view, 'naive')] / first[(view, 'covermap')]:.2f}×,"
              f" lean ÷ covermap {first[(view, 'lean')] / first[(view, 'covermap')]:.2f}×;"
              f" data naive ÷ covermap {data[(view, 'naive')] / data[(view, 'covermap')]:.1f}×,"
              f" lean ÷ covermap {data[(view, 'lean')] / data[(view, 'covermap')]:.1f}×")

    # report() passes a figure at or under its budget, so "≥ k× faster" is written as
    # covermap ÷ peer ≤ 1/k.
    county, chifeng, villages = (view.name for view in VIEWS)
    ratios(county)
    report("first map: province by county, covermap", first[(county, "covermap")], 1.5, "s")
    report("  covermap ÷ naive (≥ 3× faster: ≤ 0.33)",
           first[(county, "covermap")] / first[(county, "naive")], 0.33, "×")
    report("  covermap ÷ lean (≥ 1.5× faster: ≤ 0.67)",
           first[(county, "covermap")] / first[(county, "lean")], 0.67, "×")
    report("  data covermap ÷ naive (≤ 1/10)",
           data[(county, "covermap")] / data[(county, "naive")], 0.1, "×")
    ratios(chifeng)
    report("first map: 赤峰市 by village, covermap ÷ naive (≤ 0.4)",
           first[(chifeng, "covermap")] / first[(chifeng, "naive")], 0.4, "×")
    ratios(villages)
    print(f"  (covermap draws the province's {counts[(villages, 'covermap')]:,} townships "
          f"here, not its {counts[(villages, 'naive')]:,} villages: it refuses them today)")
    report("first map: province by village, covermap", first[(villages, "covermap")], 3, "s")
    report("  covermap ÷ naive (≥ 3× faster: ≤ 0.33)",
           first[(villages, "covermap")] / first[(villages, "naive")], 0.33, "×")
    report("  data for the view, covermap", data[(villages, "covermap")], 1.5, "MB")
    report("  memory, covermap (renderer RSS)", memory[(villages, "covermap")], 300, "MB")


def main() -> None:
    from bench.benchmark import report
    from geo.demo import build_demo, demo_path

    path = demo_path("ten_full_coverage")
    if not path.exists():
        build_demo(path, overwrite=True, progress=False)
    map_peers(path, report)


if __name__ == "__main__":
    main()
