"""covermap's maps beside two peers, timed in one run in headless Chromium (issue 15, item 7).

    .venv/bin/python bench/peers.py        (or: make bench-peers; bench/benchmark.py --peers)

The peers are the "ten lines" anyone would write: folium + ``st_folium`` with the
store's full geometry (naive), and the same with ``shapely.coverage_simplify`` and a
canvas renderer (lean). Both load the vendored Leaflet under static/, as covermap
does: a CDN-bound folium draws nothing offline, and every outside request is refused
and counted here. Each load opens a fresh browser context on a warm server (one load
first, not counted); loads go round covermap, naive, lean, three times; the median is
printed. Measured the same way for every map:

- first map: seconds from navigation until the map has drawn as many units as the
  view holds: covermap's map (in the page itself) says so in ``data-units-drawn`` on
  ``div.covermap-map``; a peer's is counted in its ``st_folium`` iframe (SVG paths, or
  layers a canvas has drawn).
- data: every byte received for the view — HTTP bodies and headers as sent
  (CDP ``Network.loadingFinished`` encodedDataLength) and websocket frames — except
  Streamlit's own frontend bundle under ``/static/``, the same for every page. The
  vendored scripts and covermap's tiles, under ``/app/static/``, are counted.
- memory: the renderer's resident set (VmRSS in /proc) once the page has settled —
  the largest renderer of this run's Chromium, whose pages are closed between loads.
- another item (covermap, the province by village): the item chosen anew in the same
  page (the item box's second option); seconds until the map says it has coloured
  every unit again (it clears ``data-units-drawn`` to repaint), and the bytes received
  from the choice until the page has settled.

A map that stops short of the view's units (drawn, the script finished, the count
still for a few seconds) is not waited on: its count is printed, its time is not.
"""

from __future__ import annotations

import base64
import math
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
STILL_S = 3             # a drawn count this still, the script finished, is final
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
    another_item: bool = False  # covermap's map repainted for another item, timed too

    @property
    def peer_query(self) -> str:
        return f"?level={self.level}" + (f"&region={self.region}" if self.region else "")


VIEWS = (
    View("province by county", "county", None, "/?level=county"),
    View("赤峰市 by village", "village", "150400", "/?region=150400&level=village"),
    View("province by village", "village", None, "/?level=village", another_item=True),
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

# covermap's map, in the page itself: the units it has coloured, 0 while it loads or
# repaints (an empty data-units-drawn), null before the script has sent the map.
COVERMAP_DRAWN = """() => {
  const host = document.querySelector('div.covermap-map');
  return host ? Number(host.dataset.unitsDrawn || 0) : null;
}"""

# Before another item is chosen: note when the map clears its count to repaint (a
# change from the empty value), so that the count it had before is not taken for the
# new one. A map mounted anew (another host) counts as repainted.
WATCH_REPAINT = """() => {
  const host = document.querySelector('div.covermap-map');
  window.__benchWatched = host;
  window.__benchRepainted = false;
  new MutationObserver((changes) => {
    if (changes.some((change) => change.oldValue === '')) window.__benchRepainted = true;
  }).observe(host, { attributeFilter: ['data-units-drawn'], attributeOldValue: true });
}"""
REPAINTED_DRAWN = """() => {
  const host = document.querySelector('div.covermap-map');
  if (!host || (host === window.__benchWatched && !window.__benchRepainted)) return 0;
  return Number(host.dataset.unitsDrawn || 0);
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
    seconds: float      # NaN where the map stopped short of the view's units
    data_mb: float
    memory_mb: float
    drawn: int
    refused: int        # requests to any host but 127.0.0.1, refused
    reached_s: float    # when the count last moved: the time of a map that stopped short
    # covermap only: seconds from navigation until the script's map reached the page,
    # and until the last tile arrived before the map was drawn.
    mounted_s: float = float("nan")
    tiles_s: float = float("nan")
    # covermap only, on a view with another_item: that item's repaint and its data.
    switch_s: float = float("nan")
    switch_kb: float = float("nan")
    switch_drawn: int = 0


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


def peer_drawn(page) -> int:
    """Units a peer's map has drawn in its ``st_folium`` iframe."""
    drawn = 0
    for frame in page.frames:
        if MAP_FRAME in frame.url:
            try:
                drawn = max(drawn, frame.evaluate(DRAWN))
            except Exception:       # noqa: BLE001 — a frame replaced mid-count
                pass
    return drawn


def wait_drawn(page, count, units: int, start: float) -> tuple[int, float]:
    """Poll ``count(page)`` until it reaches ``units``, or stops short (the script
    finished, the count still for STILL_S), or TIMEOUT_S pass; the last count and
    when it was reached."""
    drawn, reached = 0, start
    while drawn < units and time.perf_counter() < start + TIMEOUT_S:
        now = count(page) or 0
        if now != drawn:
            drawn, reached = now, time.perf_counter()
        elif drawn and time.perf_counter() - reached > STILL_S and page.evaluate(SETTLED):
            break
        if drawn < units:
            # Not time.sleep: Playwright's sync API handles events only inside its calls.
            page.wait_for_timeout(20)
    return drawn, reached


def load(browser, url: str, units: int, *, covermap: bool = False,
         another_item: bool = False) -> Load:
    """Open ``url`` in a fresh context; time until ``units`` units are drawn (by
    covermap's hook, or counted in a peer's iframe); then, if ``another_item``, time
    covermap's map repainted for the item box's second option."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    received = [0]
    last_tile = [float("nan")]

    def counted(url: str) -> bool:
        # Streamlit's own bundle is under static/; the files the app serves (vendored
        # scripts, tiles) are under app/static/ and counted.
        path = url.split("://", 1)[-1].partition("/")[2]
        return not path.startswith("static/")

    def finished(e):
        url = urls.get(e["requestId"], "")
        if counted(url):
            received[0] += e["encodedDataLength"]
        if ".pmtiles" in url:
            last_tile[0] = time.perf_counter()

    cdp.on("Network.requestWillBeSent",
           lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    refused = set()
    cdp.on("Network.loadingFailed", lambda e: refused.add(e["requestId"]) if not urls.get(
        e["requestId"], "").startswith(LOCAL) else None)
    cdp.on("Network.loadingFinished", finished)

    def frame_bytes(e):
        payload = e["response"]["payloadData"]
        size = len(base64.b64decode(payload)) if e["response"]["opcode"] == 2 \
            else len(payload.encode())
        received[0] += size

    cdp.on("Network.webSocketFrameReceived", frame_bytes)
    mounted = [float("nan")]

    def covermap_drawn(page) -> int | None:
        drawn = page.evaluate(COVERMAP_DRAWN)
        if drawn is not None and math.isnan(mounted[0]):
            mounted[0] = time.perf_counter()
        return drawn

    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    drawn, reached = wait_drawn(page, covermap_drawn if covermap else peer_drawn, units, start)
    tiles_in = last_tile[0]     # the tiles the first map was drawn from, not later ones
    # Data and memory once the script has finished and the page is quiet.
    page.wait_for_function(SETTLED, timeout=TIMEOUT_S * 1000)
    page.wait_for_timeout(1000)
    one = Load(seconds=reached - start if drawn >= units else float("nan"),
               data_mb=received[0] / 2**20, memory_mb=_renderers_rss_mb(), drawn=drawn,
               refused=len(refused), reached_s=reached - start,
               mounted_s=mounted[0] - start, tiles_s=tiles_in - start)
    if another_item and drawn:      # a map to choose another item on
        one.switch_drawn, one.switch_s, one.switch_kb = choose_another_item(
            page, received, units)
    context.close()
    return one


def choose_another_item(page, received: list[int], units: int) -> tuple[int, float, float]:
    """Choose the item box's second option on an open overview; the units the map
    coloured again, the seconds it took (NaN if short of ``units``) and the KB
    received from the choice until the page settled."""
    page.locator('[data-testid="stSelectbox"]').first.click()   # the item: 指标
    option = page.get_by_role("option").nth(1)
    option.wait_for()
    page.evaluate(WATCH_REPAINT)
    received[0] = 0
    start = time.perf_counter()
    option.click()
    drawn, reached = wait_drawn(page, lambda page: page.evaluate(REPAINTED_DRAWN), units,
                                start)
    page.wait_for_function(SETTLED, timeout=TIMEOUT_S * 1000)
    page.wait_for_timeout(1000)
    return drawn, reached - start if drawn >= units else float("nan"), received[0] / 1024


def expected_units(store_path: Path) -> dict[str, int]:
    """How many units each view holds: every map of it should draw them all."""
    from geo.store import Store

    store = Store(store_path)
    units = store.units()
    counts = {}
    for view in VIEWS:
        region = view.region or units.loc[units["parent_code"].isna(), "code"].iloc[0]
        inside = store.units(region=region)
        counts[view.name] = int((inside["level"] == view.level).sum())
    return counts


def build_tiles(store_path: Path) -> None:
    """covermap's tiles in place before any load: the first view would build them."""
    from geo.store import Store
    from geo.tiles import tiles_of

    tiles_of(Store(store_path))


def map_peers(store_path: Path, report) -> None:
    """Time covermap and both peers on every view; print each figure against its budget
    with ``report(what, value, budget, unit)``."""
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    counts = expected_units(store_path)
    build_tiles(store_path)
    names = ("covermap", "naive", "lean")
    results: dict[tuple[str, str], list[Load]] = {}
    with ExitStack() as stack:
        bases = {"covermap": stack.enter_context(streamlit_server(store_path)),
                 "naive": stack.enter_context(peer_server(store_path, lean=False)),
                 "lean": stack.enter_context(peer_server(store_path, lean=True))}
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=OFFLINE_ARGS)
        for view in VIEWS:
            def timed_load(name):
                query = view.covermap_query if name == "covermap" else "/" + view.peer_query
                return load(browser, bases[name] + query, counts[view.name],
                            covermap=name == "covermap",
                            another_item=view.another_item and name == "covermap")
            for name in names:                      # warm: caches filled, not counted
                timed_load(name)
            for _ in range(RUNS):
                for name in names:
                    results.setdefault((view.name, name), []).append(timed_load(name))
        browser.close()
    _print(results, counts, report)
    print(f"  (peers benchmark: {time.perf_counter() - started:.0f} s in all)")


def _pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` columns, a Chinese character taking two."""
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return text + " " * max(0, width - len(text) - wide)


def _median(loads: list[Load], field: str) -> float:
    return statistics.median(getattr(one, field) for one in loads)


def _run(one: Load, units: int) -> str:
    """One load's first map, or how far a map that stopped short got, and when."""
    if one.drawn >= units:
        return f"{one.seconds:.2f}"
    if one.drawn == 0:
        return "nothing drawn"
    return f"short: {one.drawn:,} drawn at {one.reached_s:.2f}"


def _print(results, counts, report) -> None:
    print(f"covermap beside naive and lean folium (median of {RUNS} loads, fresh context, "
          "warm servers; data without Streamlit's /static/ bundle; memory = renderer VmRSS):")
    print(f"  {'view':<22}{'map':<10}{'units':>7}{'first map s':>13}{'data MB':>9}"
          f"{'memory MB':>11}  runs (s)")
    for view in VIEWS:
        for name in ("covermap", "naive", "lean"):
            loads = results[(view.name, name)]
            runs = ", ".join(_run(one, counts[view.name]) for one in loads)
            refused = sum(one.refused for one in loads)
            print(f"  {_pad(view.name, 22)}{name:<10}{counts[view.name]:>7,}"
                  f"{_median(loads, 'seconds'):>13.2f}{_median(loads, 'data_mb'):>9.2f}"
                  f"{_median(loads, 'memory_mb'):>11.0f}  {runs}"
                  + (f"  ({refused} outside requests refused)" if refused else ""))
    # Where covermap's first map spends its time: the script's run (with Streamlit's
    # start), then the tiles, then the painting.
    print(f"  {'covermap, median s from navigation:':<40}{'map in page':>12}{'last tile':>11}"
          f"{'drawn':>7}")
    for view in VIEWS:
        loads = results[(view.name, "covermap")]
        print(f"  {_pad(view.name, 40)}{_median(loads, 'mounted_s'):>12.2f}"
              f"{_median(loads, 'tiles_s'):>11.2f}{_median(loads, 'seconds'):>7.2f}")
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
    report("first map: province by village, covermap", first[(villages, "covermap")], 3, "s")
    report("  covermap ÷ naive (≥ 3× faster: ≤ 0.33)",
           first[(villages, "covermap")] / first[(villages, "naive")], 0.33, "×")
    report("  data for the view, covermap", data[(villages, "covermap")], 1.5, "MB")
    switches = results[(villages, "covermap")]
    report("  another item, covermap (same page)", _median(switches, "switch_s"), 0.5, "s")
    report("  another item's data, covermap", _median(switches, "switch_kb"), 100, "KB")
    print("    runs: " + ", ".join(
        f"{one.switch_s:.2f} s {one.switch_kb:.0f} KB" if one.switch_drawn >= counts[villages]
        else f"short: {one.switch_drawn:,} drawn" for one in switches))
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
