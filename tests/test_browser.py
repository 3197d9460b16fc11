"""The app in a real browser: Debian's Chromium driven by Playwright, offline.

Each test fails on any request to a host other than the app's own, and
saves a screenshot under out/screenshots/ for a person to look at.  Every wait
is for something on the page; its timeout only guards against a hang.
"""

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from openpyxl import Workbook
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

import cli
from geo.demo import demo_store
from geo.store import Store
from tests.app_server import ROOT, streamlit_server, wait_until_settled

SHOTS = ROOT / "out" / "screenshots"
MAP = 'iframe[title="streamlit_folium.st_folium"]'
# The overview's map: tiles in the page itself, its container saying how many units
# it has coloured.
TILED = ".covermap-map"
# Long enough for a busy machine never to fail a page that works.
HANG = 120_000


@pytest.fixture(scope="module")
def demo_app(demo_server):
    return demo_server


class Visit:
    """A page in the browser, with every request and script error recorded."""

    def __init__(self, browser, base: str):
        self.base = base
        self.page = browser.new_page(viewport={"width": 1600, "height": 1300})
        self.outside, self.errors, self.dialogs = [], [], []
        self.page.on("request", self._request)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message),
                                               dialog.dismiss()))

    def _request(self, request):
        if not request.url.startswith((self.base, "data:", "blob:", "about:")):
            self.outside.append(request.url)

    def open(self, path: str, *, shapes: int | None = None):
        self.page.goto(self.base + path)
        self.page.wait_for_function(
            "([tiled, folium]) => { const t = document.querySelector(tiled);"
            " if (t) return t.dataset.unitsDrawn > 0;"
            " const f = document.querySelector(folium);"
            " return f && f.contentDocument &&"
            " f.contentDocument.querySelector('path.leaflet-interactive') !== null; }",
            arg=[TILED, MAP], timeout=HANG)
        if shapes is not None:
            self.wait_for_shapes(shapes)
        return self

    def wait_for_shapes(self, n: int):
        """Wait until the page shows one map, drawing ``n`` units: the tiled map's
        ``data-units-drawn``, or a folium map's paths (after a click the map on its way
        out stays a moment beside the new one)."""
        self.page.wait_for_function(
            "([tiled, folium, n]) => { const t = document.querySelectorAll(tiled);"
            " if (t.length) return t.length === 1 && t[0].dataset.unitsDrawn === String(n);"
            " const maps = document.querySelectorAll(folium);"
            " return maps.length === 1 && maps[0].contentDocument !== null &&"
            " maps[0].contentDocument.querySelectorAll('path.leaflet-interactive').length"
            " === n; }",
            arg=[TILED, MAP, n], timeout=HANG)
        return self

    def map(self):
        return self.page.frame_locator(MAP).first

    def drawn(self) -> int:
        """The units the tiled map says it has coloured."""
        return int(self.page.locator(TILED).get_attribute("data-units-drawn"))

    def point_of(self, code: str, store) -> dict | None:
        """Where on screen a point inside unit ``code`` of ``store`` is drawn."""
        unit = Store(store).units(geometry=True).set_index("code").loc[code]
        inside = unit.geometry.representative_point()
        return self.page.evaluate(
            """([sel, lat, lon]) => { const host = document.querySelector(sel);
                 if (!host || !host.__covermap) return null;
                 const p = host.__covermap.map.latLngToContainerPoint([lat, lon]);
                 return {x: p.x, y: p.y}; }""", [TILED, inside.y, inside.x])

    def hover_unit(self, code: str, store) -> str:
        """Hover the middle of a unit on the tiled map; the tooltip's text."""
        self.page.locator(TILED).hover(position=self.point_of(code, store))
        tip = self.page.locator(".covermap-tip")
        expect(tip).to_be_visible(timeout=HANG)
        return tip.inner_text()

    def click_unit(self, code: str, store=None):
        """Click a unit where a person would: inside its polygon, on screen."""
        xy = self.point_of(code, store or demo_store(progress=False).path)
        if xy is None:                  # the page has moved on already
            return False
        self.page.locator(TILED).click(position=xy)
        return True

    def drill_into(self, code: str, *, clicks: int = 3):
        """Click a unit until the page moves to it (the URL names it).

        On a busy machine a click can land while the map still fits itself
        to its frame; a person clicks again, and so does this.
        """
        assert self.click_unit(code), f"{code} is not on the map"
        arrived = f"() => location.search.includes('region={code}')"
        for _ in range(clicks - 1):
            try:
                self.page.wait_for_function(arrived, timeout=20_000)
                return self
            except PlaywrightTimeout:
                self.click_unit(code)
        self.page.wait_for_function(arrived, timeout=HANG)
        return self

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        wait_until_settled(self.page)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=path)
        return path

    def close(self):
        assert not self.outside, f"requests outside the app: {self.outside[:5]}"
        assert not self.errors, self.errors
        self.page.close()


def test_overview_by_county_draws_all_103_offline(browser, demo_app):
    visit = Visit(browser, demo_app).open("/?level=county", shapes=103)
    assert visit.drawn() == 103
    visit.shot("overview-county")
    visit.close()


def test_the_province_by_village_is_one_map(browser, demo_app):
    villages = len(Store(demo_store(progress=False).path).units(level="village"))
    assert villages == 11_224
    visit = Visit(browser, demo_app).open("/?level=village", shapes=villages)
    visit.shot("overview-province-villages")
    visit.close()


def test_another_item_repaints_the_same_map(browser, demo_app):
    # The map stays (no new element, no reload): only its colours and labels change.
    visit = Visit(browser, demo_app).open("/?level=county", shapes=103)
    # Marked on the Leaflet map itself: a map built anew would not carry it.
    visit.page.evaluate("sel => { document.querySelector(sel).__covermap.map.marked = 'yes'; }",
                        TILED)
    before = visit.page.locator(".covermap-legend").inner_text()
    visit.page.get_by_role("combobox").first.click()
    visit.page.get_by_role("option", name="安全饮水").click()
    visit.page.wait_for_function("() => location.search.includes('item=water')",
                                 timeout=HANG)
    expect(visit.page.locator(".covermap-legend .title")).to_have_text("安全饮水",
                                                                      timeout=HANG)
    visit.wait_for_shapes(103)
    assert visit.page.locator(".covermap-legend").inner_text() != before
    assert visit.page.evaluate("sel => document.querySelector(sel).__covermap.map.marked",
                               TILED) == "yes"
    visit.close()


def test_drill_down_by_clicking(browser, demo_app):
    # Each click redraws the map on the page it is on: no reload in between.
    visit = Visit(browser, demo_app).open("/", shapes=12)
    visit.drill_into("150200").wait_for_shapes(9)            # 包头市's nine
    visit.drill_into("150222")                               # 固阳县
    townships = len(Store(demo_store(progress=False).path).units(level="township")
                    .query("parent_code == '150222'"))
    visit.wait_for_shapes(townships)
    visit.shot("overview-guyang-townships")
    visit.close()


def test_gaps_page_highlights_the_villages_without_a_clinic(browser, demo_app):
    visit = Visit(browser, demo_app).open("/gaps?region=150222&item=clinics")
    store = demo_store(progress=False)
    from geo.gaps import uncovered_villages

    missing = uncovered_villages(store.units(), store.progress(), store.programme,
                                 region="150222", item="clinics",
                                 as_of=store.snapshot_dates()[-1])
    visit.wait_for_shapes(len(missing))
    village = missing.iloc[0]
    name, items = visit.hover_unit(village["code"], store.path).split("\n")
    assert name == village["name"] and "卫生室" in items.split("、")
    visit.shot("gaps-guyang-clinics")
    visit.close()


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    """Baotou with two villages in 固阳县 whose names try to break out of HTML and JS."""
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "bt.gpkg"
    assert cli.main(["init", "--store", str(path), "--region", "150200", "--no-register"]) == 0
    guyang = Store(path).units(geometry=True).set_index("code").loc["150222", "geometry"]
    centre = guyang.representative_point()
    boxes = [shapely.box(centre.x - 0.05, centre.y - 0.05, centre.x, centre.y),
             shapely.box(centre.x, centre.y - 0.05, centre.x + 0.05, centre.y)]
    names = ["<img src=x onerror=alert(1)>村", "`${alert(2)}`村"]
    villages = gpd.GeoDataFrame({"XZQDM": ["150222100201", "150222100202"], "名称": names},
                                geometry=[guyang.intersection(b) for b in boxes], crs=4326)
    villages.to_file(folder / "村.geojson")
    assert cli.main(["import", str(folder / "村.geojson"), "--store", str(path),
                     "--kind", "units"]) == 0
    book = Workbook()
    sheet = book.active
    sheet.append(["固阳县嘎查村进度台账"])
    sheet.append(["截至2016年8月10日"])
    sheet.append(["代码", "嘎查村", "卫生室"])
    sheet.append(["150222100201", names[0], "已完成"])
    sheet.append(["150222100202", names[1], "在建"])
    book.save(folder / "台账.xlsx")
    assert cli.main(["import", str(folder / "台账.xlsx"), "--store", str(path)]) == 0
    return path


def test_names_from_files_show_as_text_and_never_run(browser, hostile_store):
    names = {"150222100201": "<img src=x onerror=alert(1)>村", "150222100202": "`${alert(2)}`村"}
    with streamlit_server(hostile_store) as url:
        visit = Visit(browser, url).open("/?region=150222&level=village&item=clinics",
                                         shapes=2)
        # Each village hovered where a person would: its tooltip names it, as text.
        named = {code: visit.hover_unit(code, hostile_store).split(" · ")[0]
                 for code in names}
        assert named == names
        assert visit.page.locator("img[src='x']").count() == 0
        assert visit.dialogs == []
        visit.shot("hostile-names")
        # The wall writes names into its own HTML (ranking, labels): text there too.
        visit.page.goto(url + "/wall?region=150222&level=village&item=clinics")
        visit.page.locator(".wall-board td.name").first.wait_for(timeout=HANG)
        board = visit.page.locator(".wall-board td.name").all_inner_texts()
        assert set(names.values()) <= set(board)
        assert visit.page.locator("img[src='x']").count() == 0
        assert visit.map().locator("img[src='x']").count() == 0
        assert visit.dialogs == []
        visit.close()


def test_a_township_click_shows_its_villages(browser, demo_app):
    store = demo_store(progress=False)
    units = store.units()
    township = units[(units["parent_code"] == "150222") & (units["level"] == "township")].iloc[0]
    villages = int((units["parent_code"] == township["code"]).sum())
    visit = Visit(browser, demo_app).open("/?region=150222")
    visit.drill_into(township["code"]).wait_for_shapes(villages)
    visit.close()


def test_an_uploaded_ledger_shows_its_report_before_it_is_stored(browser, tmp_path,
                                                                 baotou_store):
    from tests.conftest import DATA

    with streamlit_server(baotou_store) as url:
        visit = Visit(browser, url)
        visit.page.goto(url + "/data")
        visit.page.get_by_role("tab", name="上传").click()
        visit.page.locator("input[type=file]").set_input_files(
            str(DATA / "baotou_county_ledger.xlsx"))
        # The report in the page's language (data/words/reports.toml).
        report = visit.page.get_by_text("读取 9 行，匹配 9 行，未匹配 0 行")
        report.wait_for(timeout=HANG)
        assert Store(baotou_store).imports().empty            # a report, nothing stored
        # The file as the office named it, never the server's upload folder.
        shown = visit.page.locator("[data-testid=stCode]").inner_text()
        assert shown.startswith("baotou_county_ledger.xlsx：") and "/tmp" not in shown
        visit.shot("data-dry-run")
        visit.page.get_by_role("button", name="导入").click()
        visit.page.get_by_text("导入 1").first.wait_for(timeout=HANG)
        assert list(Store(baotou_store).imports()["kind"]) == ["progress"]
        visit.close()


def test_an_unreadable_upload_is_named_as_uploaded_in_the_page_language(browser, tmp_path,
                                                                         baotou_store):
    broken = tmp_path / "坏表.xlsx"
    broken.write_bytes(b"not a workbook")
    with streamlit_server(baotou_store) as url:
        visit = Visit(browser, url)
        visit.page.goto(url + "/data")
        visit.page.get_by_role("tab", name="上传").click()
        visit.page.locator("input[type=file]").set_input_files(str(broken))
        alert = visit.page.get_by_role("alert").first
        alert.wait_for(timeout=HANG)
        message = alert.inner_text()
        assert message.startswith("文件 坏表.xlsx：") and "/tmp" not in message
        # The reading bar does not stay on the page above the error.
        assert visit.page.get_by_text("正在读取").count() == 0
        visit.close()


def test_a_first_visit_to_a_page_link_runs_the_app(browser, baotou_store):
    # A bookmarked /gaps on a fresh server must get the app (navigation, its
    # pages), not a page run on its own.
    with streamlit_server(baotou_store) as url:
        visit = Visit(browser, url)
        visit.page.goto(url + "/gaps?region=150222")
        visit.page.get_by_text("缺项村 · 固阳县").wait_for(timeout=HANG)
        assert visit.page.get_by_role("link", name="总览").count() == 1
        assert visit.page.locator("[data-testid=stSidebarNav]").count() == 0
        visit.close()


def test_a_row_picked_in_the_gaps_table_moves_the_map_to_it(browser, demo_app):
    visit = Visit(browser, demo_app).open("/gaps?region=150222&item=clinics")
    zoom = "sel => document.querySelector(sel).__covermap.map.getZoom()"
    assert visit.page.evaluate(zoom, TILED) < 12      # the county, whole
    # the first row's tick box, where a person clicks it
    visit.page.locator("[data-testid=stDataFrame]").first.click(position={"x": 14, "y": 52})
    visit.page.wait_for_function(f"sel => ({zoom})(sel) === 12", arg=TILED, timeout=HANG)
    visit.close()


def test_household_records_upload_through_the_page_without_a_personal_detail(
        browser, tmp_path, xunyang_template):
    import shutil

    from tests.poverty import PERSONAL, register

    store = tmp_path / "xy.gpkg"
    shutil.copyfile(xunyang_template, store)
    register(tmp_path / "建档立卡.xlsx")
    with streamlit_server(store) as url:
        visit = Visit(browser, url)
        visit.page.goto(url + "/data")
        visit.page.get_by_role("tab", name="上传").click()
        visit.page.get_by_text("建档立卡户（个人信息读取时即删除）").click()
        # A date field of three spin buttons: typing moves from year to month to day.
        visit.page.get_by_role("spinbutton", name="year, 文件日期（其年份为退出年度）").click()
        visit.page.keyboard.type("20161031")
        visit.page.keyboard.press("Escape")
        visit.page.get_by_text("数据 · 旬阳市").click()          # leaving the field commits it
        visit.page.locator("input[type=file]").set_input_files(str(tmp_path / "建档立卡.xlsx"))
        visit.page.get_by_text("读取时即删除的个人信息列").wait_for(timeout=HANG)
        assert Store(store).village_figures("households").empty       # a report first
        visit.page.get_by_role("button", name="导入").click()
        visit.page.get_by_text("导入 3").first.wait_for(timeout=HANG)
        assert set(Store(store).village_figures("households")["year"]) == {2016}
        page_text = visit.page.inner_text("body")
        assert [value for value in PERSONAL if value in page_text] == []
        visit.shot("data-households")
        visit.close()


def test_a_village_register_uploads_through_the_page(browser, tmp_path, baotou_store):
    """/data, 行政区划（名录或边界）: 固阳县's list as the bureau publishes it (统计用区划代码,
    城乡分类代码, 名称) — 6 townships, 72 village committees, 10 urban 居委会 and the county
    itself: a report first, then the units the programme covers are stored."""
    import openpyxl

    from geo.register import shipped_register

    rows = shipped_register(["150222"])
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["固阳县统计用区划代码（2016年）"])
    sheet.append(["统计用区划代码", "城乡分类代码", "名称"])
    for code, kind, name in zip(rows["code"], rows["urban_rural_code"], rows["name"]):
        sheet.append([code, kind, name])
    book.save(tmp_path / "固阳县名录.xlsx")
    with streamlit_server(baotou_store) as url:
        visit = Visit(browser, url)
        visit.page.goto(url + "/data")
        visit.page.get_by_role("tab", name="上传").click()
        visit.page.get_by_text("行政区划（名录或边界）").click()
        visit.page.locator("input[type=file]").set_input_files(str(tmp_path / "固阳县名录.xlsx"))
        # 79: the 6 townships, the 72 village committees and 固阳县 itself, renamed or not.
        visit.page.get_by_text(f"读取 {len(rows)} 行，匹配 79 行").wait_for(timeout=HANG)
        assert visit.page.get_by_text("苏木乡镇、嘎查村").count() > 0    # levels in words
        assert (Store(baotou_store).units()["level"] == "village").sum() == 0
        visit.shot("data-register")
        visit.page.get_by_role("button", name="导入").click()
        visit.page.get_by_text("导入 1").first.wait_for(timeout=HANG)
        levels = Store(baotou_store).units()["level"].value_counts()
        assert (levels["township"], levels["village"]) == (6, 72)
        visit.close()
