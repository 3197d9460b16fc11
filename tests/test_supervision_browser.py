"""/supervision in a real browser (Debian's Chromium, offline) on the demo with round 1
and its findings (tests/supervision.py): the coverage, problems and route maps are
tiled maps that colour the units they show and draw the dots and stops the store
says, every name set as text.

Each test fails on a request to a host other than the app's own or a script error
(:class:`tests.test_browser.Visit`), and saves a screenshot under out/screenshots/.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from geo.store import Store
from geo.supervision.problems import SETTLED, problem_status
from geo.supervision.rounds import plan_store_round, supervision_as_of
from geo.units import descendants
from tests.app_server import streamlit_server
from tests.test_browser import HANG, TILED, Visit

AS_OF = dt.date(2016, 9, 12)
# What map.js was given, on the page's first tiled map.
MAP_DATA = "() => document.querySelectorAll('.covermap-map')[0].__covermap.data"


@pytest.fixture(scope="module")
def supervision_app(supervised_store):
    store, villages = supervised_store
    with streamlit_server(store) as url:
        yield url, Store(store), villages


def villages_of(store: Store, region: str):
    inside = descendants(store.units(), region)
    return inside[inside["level"] == "village"]


def test_the_coverage_map_colours_every_village_of_the_region(browser, supervision_app):
    url, store, _ = supervision_app
    villages = villages_of(store, "150200")
    visit = Visit(browser, url).open("/supervision?region=150200&section=coverage",
                                     shapes=len(villages))
    # Round 1 visited the four villages of the findings: the legend counts them.
    made = store.records("visits").dropna(subset=["visited_on"])
    visited = made.loc[made["unit_code"].isin(villages["code"]), "unit_code"].nunique()
    assert visited == 4
    legend = visit.page.locator(".covermap-legend").text_content()
    assert f"第1轮  {visited}" in legend and f"从未督导  {len(villages) - visited}" in legend
    # The counties' borders drawn over the villages: every county of 包头市 has one.
    counties = store.units(level="county").query("parent_code == '150200'")
    assert visit.page.evaluate(f"() => ({MAP_DATA})().lines.length") >= len(counties)
    visit.shot("supervision-coverage-150200")
    visit.close()


def test_the_problems_map_shows_a_dot_per_village_with_problems(browser, supervision_app):
    url, store, found = supervision_app
    status = problem_status(store.records("problems"), store.records("problem_events"),
                            as_of=AS_OF)
    inside = set(villages_of(store, "150200")["code"])
    open_villages = status.loc[status["unit_code"].isin(inside)
                               & ~status["status"].isin(SETTLED), "unit_code"].nunique()
    assert open_villages == 3                                # the clinic, the road, the funds
    counties = store.units(level="county").query("parent_code == '150200'")
    visit = Visit(browser, url).open(f"/supervision?region=150200&as_of={AS_OF}",
                                     shapes=len(counties))
    sites = visit.page.evaluate(f"() => ({MAP_DATA})().sites")
    assert len(sites) == open_villages
    # Two overdue (red) and one open (orange), the most urgent drawn last.
    assert [s["colour"] for s in sites] == ["#fdae61", "#d7191c", "#d7191c"]
    # A dot's tooltip lists its problems, as text.
    clinic = next(s for s in sites if s["tip"].startswith(found["clinic"]["嘎查村"]))
    point = visit.page.evaluate(
        "([sel, lat, lon]) => { const p = document.querySelector(sel).__covermap.map"
        ".latLngToContainerPoint([lat, lon]); return {x: p.x, y: p.y}; }",
        [TILED, clinic["lat"], clinic["lon"]])
    visit.page.locator(TILED).hover(position=point)
    tip = visit.page.locator(".covermap-tip-leaflet")
    expect(tip).to_contain_text("卫生室墙体开裂", timeout=HANG)
    assert "逾期" in visit.page.locator(".covermap-legend").text_content()
    visit.shot("supervision-problems-150200")
    visit.close()


def test_a_teams_route_is_its_stops_numbered_in_order(browser, supervision_app):
    url, store, _ = supervision_app
    # The page's defaults: 10 per county, the same for each, seed 1, on the store's date.
    plan, _ = plan_store_round(store, region="150200", per_county=10, seed=1,
                               as_of=supervision_as_of(store))
    first = plan.villages["team"].iloc[0]
    stops = plan.villages[plan.villages["team"] == first].sort_values("seq")
    ground = villages_of(store, stops["county_code"].iloc[0])
    visit = Visit(browser, url)
    visit.page.goto(f"{url}/supervision?region=150200&section=plan")
    visit.page.get_by_role("button", name="生成名单").click()
    visit.page.wait_for_function(
        "([sel, n]) => { const t = document.querySelector(sel);"
        " return t !== null && t.dataset.unitsDrawn === String(n); }",
        arg=[TILED, len(ground)], timeout=HANG)
    sites = visit.page.evaluate(f"() => ({MAP_DATA})().sites")
    assert [s["tip"] for s in sites] == [f"{seq} · {name}"
                                        for seq, name in zip(stops["seq"], stops["name"])]
    numbers = visit.page.locator(f"{TILED} .covermap-stop").all_text_contents()
    assert numbers == [str(k) for k in range(1, len(stops) + 1)]
    line = visit.page.evaluate(f"() => ({MAP_DATA})().lines[0].points")
    assert line == [[s["lat"], s["lon"]] for s in sites]
    visit.page.locator(TILED).scroll_into_view_if_needed()
    visit.shot("supervision-route-150200")
    # Another team repaints the same map (marked on the Leaflet map itself): no new one.
    visit.page.evaluate("sel => { document.querySelector(sel).__covermap.map.marked = 'yes'; }",
                        TILED)
    second = plan.villages["team"].drop_duplicates().iloc[1]
    county = plan.villages.loc[plan.villages["team"] == second, "county"].iloc[0]
    visit.page.get_by_role("combobox").last.click()
    visit.page.get_by_role("option", name=f"{second} · {county}").click()
    visit.page.wait_for_function(
        "([sel, team]) => document.querySelector(sel).__covermap.data.view.endsWith(team)",
        arg=[TILED, second], timeout=HANG)
    assert visit.page.evaluate("sel => document.querySelector(sel).__covermap.map.marked",
                               TILED) == "yes"
    assert len(visit.page.locator(TILED).all()) == 1
    visit.close()
