"""The use cases both edges call (geo/actions.py): every import recorded with its
account, the built-in demos read-only everywhere, one default date, the import
history on the command line as /data shows it."""

import datetime as dt
import io
import json

import geopandas as gpd
import pytest
import shapely
from openpyxl import Workbook

from geo.actions import check_writable, default_as_of, import_file, is_builtin_demo
from geo.demo import demo_path
from geo.errors import UsageError
from geo.i18n import t
from geo.store import Store
from tests.conftest import DATA, run_page

ADMIN = "王科长"


@pytest.fixture
def accounts(tmp_path, monkeypatch, run):
    """An admin (王科长) and a 固阳县 editor; COVERMAP_ACCOUNTS set."""
    path = tmp_path / "accounts.json"
    for name, role, region in [(ADMIN, "admin", None), ("guyang", "editor", "150222")]:
        monkeypatch.setattr("sys.stdin", io.StringIO(f"pass-{name}-2016\n"))
        args = ["user", "add", name, "--role", role, "--accounts", path, "--password-stdin"]
        code, _, err = run(*args, *(["--region", region] if region else []))
        assert code == 0, err
    monkeypatch.setenv("COVERMAP_ACCOUNTS", str(path))
    return path


def two_townships(path):
    """金山镇 and 西斗铺镇 of 固阳县 as a GeoJSON boundary file."""
    gpd.GeoDataFrame({"名称": ["金山镇", "西斗铺镇"], "XZQDM": ["150222100", "150222101"]},
                     geometry=[shapely.box(110.05, 41.00, 110.15, 41.08),
                               shapely.box(110.17, 41.00, 110.27, 41.08)],
                     crs="EPSG:4490").to_file(path)
    return path


def one_site(path):
    """A clinic at 金山镇's centre, as a project sites sheet."""
    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "项目名称", "项目类别", "所在旗县", "经度", "纬度", "状态"])
    sheet.append([1, "金山镇卫生院", "嘎查村标准化卫生室", "固阳县", 110.10, 41.04, "已完工"])
    book.save(path)
    return path


def test_a_boundary_and_a_site_import_are_recorded_as_the_account(accounts, baotou_store,
                                                                   tmp_path, run, monkeypatch):
    # Before, both went on record as the server's login ($USER), not the account.
    monkeypatch.setenv("USER", "covermap-server")
    code, _, err = run("import", two_townships(tmp_path / "乡镇.geojson"), "--kind", "units",
                       "--store", baotou_store, "--user", ADMIN)
    assert code == 0, err
    code, _, err = run("import", one_site(tmp_path / "点位.xlsx"), "--kind", "sites",
                       "--store", baotou_store, "--user", ADMIN)
    assert code == 0, err
    imports = Store(baotou_store).imports()
    assert list(imports["kind"]) == ["units", "sites"]
    assert list(imports["who"]) == [ADMIN, ADMIN]


def test_an_editor_attaches_boundaries_in_their_region_but_never_replaces(accounts,
                                                                         baotou_store,
                                                                         tmp_path):
    from geo.accounts import AccountsFile
    from geo.errors import AccessError

    editor = AccountsFile(accounts).get("guyang")
    townships = two_townships(tmp_path / "乡镇.geojson")
    with pytest.raises(AccessError) as refused:
        import_file(Store(baotou_store), townships, kind="units", account=editor, replace=True)
    assert str(refused.value) == "guyang is a editor: replacing the units needs the admin role"
    with pytest.raises(AccessError) as refused:
        import_file(Store(baotou_store), one_site(tmp_path / "点位.xlsx"), kind="sites",
                    account=editor)
    assert str(refused.value) == "guyang is a editor: replacing the sites needs the admin role"
    assert Store(baotou_store).imports().empty
    # 金山镇 and 西斗铺镇 are under 固阳县, the editor's region: they are added.
    report = import_file(Store(baotou_store), townships, kind="units", account=editor)
    assert (report.matched, report.unmatched) == (2, [])
    assert list(Store(baotou_store).imports()["who"]) == ["guyang"]


@pytest.mark.parametrize("programme", ["ten_full_coverage", "poverty_exit"])
def test_every_builtin_demo_is_read_only(programme, tmp_path):
    # The pages guarded data/demo.gpkg only: /data wrote into the poverty demo.
    assert is_builtin_demo(demo_path(programme))
    with pytest.raises(UsageError) as refused:
        check_writable(demo_path(programme))
    assert refused.value.reason == "demo_read_only"
    # A demo built elsewhere with --store is its user's.
    assert not is_builtin_demo(tmp_path / "demo.gpkg")
    check_writable(tmp_path / "demo.gpkg")


def test_the_poverty_demo_is_read_only_on_the_pages(monkeypatch):
    from geo.demo import demo_store

    monkeypatch.setenv("COVERMAP_STORE", str(demo_store("poverty_exit", progress=False).path))
    app = run_page("supervision", section="enter")
    # No form to record a problem: the page says why instead, naming no flag.
    assert [i.value for i in app.info] == [t("demo_read_only", "zh")]
    assert "--" not in t("demo_read_only", "zh") and "--" not in t("demo_read_only", "en")
    assert not app.text_area


def test_the_default_date_is_the_latest_progress_figures(baotou_store, run):
    store = Store(baotou_store)
    assert default_as_of(store) == store.programme.start     # no figures yet
    code, _, err = run("import", DATA / "baotou_county_ledger.xlsx", "--store", baotou_store)
    assert code == 0, err
    assert default_as_of(Store(baotou_store)) == dt.date(2016, 8, 10)


def test_history_lists_the_imports_as_data_shows_them(baotou_store, run):
    code, _, err = run("import", DATA / "baotou_county_ledger.xlsx", "--store", baotou_store)
    assert code == 0, err
    code, _, err = run("undo", "1", "--store", baotou_store)
    assert code == 0, err
    code, out, err = run("history", "--store", baotou_store, "--format", "json")
    assert code == 0, err
    history = json.loads(out)
    assert [h["import_id"] for h in history] == [2, 1]          # newest first
    ledger = history[1]
    assert list(ledger) == ["import_id", "kind", "who", "at", "file", "as_of", "rows_read",
                            "matched", "unmatched", "refused", "undone"]
    assert ledger["file"].endswith("baotou_county_ledger.xlsx")
    assert (ledger["kind"], ledger["as_of"]) == ("progress", "2016-08-10")
    assert (ledger["rows_read"], ledger["matched"], ledger["unmatched"]) == (9, 9, 0)
    assert ledger["undone"] is True and history[0]["kind"] == "undo"
    assert ledger["refused"] is False
    code, out, _ = run("history", "--store", baotou_store, "--format", "csv")
    assert out.splitlines()[0].lstrip("\ufeff") == \
        "import_id,kind,who,at,file,as_of,rows_read,matched,unmatched,refused,undone"
