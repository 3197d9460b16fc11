"""A GeoPackage written by an older release upgrades in place when a writer opens it.

``tests/data/store_v1.gpkg`` was written by release 17d826d (see
tests/data/README.md).  The figures below were read from it with sqlite3
before any upgrade existed.
"""

import datetime as dt
import hashlib
import shutil
import sqlite3

import pandas as pd
import pytest

from geo.errors import StoreError
from geo.i18n.errors import Phrase, reason_columns, said, stored_reason
from geo.store import ImportRecord, Store, schema
from tests.conftest import DATA

# Rows in each table of the file as 17d826d left it.
ROWS_BEFORE = {"covermap_meta": 6, "units": 10, "imports": 8, "progress": 40, "unmatched": 1,
               "households": 2, "household_keys": 1, "samples": 0, "visits": 3, "problems": 1,
               "problem_events": 1}
LATEST = schema.latest_version()


@pytest.fixture
def old_store(tmp_path):
    path = tmp_path / "old.gpkg"
    shutil.copyfile(DATA / "store_v1.gpkg", path)
    return path


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(path):
    with sqlite3.connect(path) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ROWS_BEFORE}


def sql(path, query):
    with sqlite3.connect(path) as con:
        return con.execute(query).fetchall()


def test_the_fixture_is_as_the_old_release_wrote_it(old_store):
    assert rows(old_store) == ROWS_BEFORE
    assert sql(old_store, "SELECT value FROM covermap_meta WHERE key = 'schema_version'") == \
        [("1",)]
    assert not sql(old_store, "SELECT name FROM sqlite_master WHERE name = 'covermap_schema'")


def test_an_old_geopackage_upgrades_in_place_with_nothing_lost(old_store):
    store = Store(old_store)
    assert rows(old_store) == ROWS_BEFORE
    assert store.meta["schema_version"] == str(LATEST) == "6"
    assert sql(old_store, "SELECT version FROM covermap_schema ORDER BY version") == \
        [(1,), (2,), (3,), (4,), (5,), (6,)]
    # Each as_of's figures: 36 of the county ledger, 4 of the 08-25 round (undone).
    assert sql(old_store, "SELECT as_of, count(*), round(sum(target), 1), "
                          "round(sum(completed), 1) FROM progress GROUP BY as_of") == \
        [("2016-06-30", 36, 55079.4, 40152.2), ("2016-08-25", 4, 16188.0, 9862.0)]
    assert store.undone() == {3}
    figures = store.progress()
    assert len(figures) == 36 and set(figures["as_of"]) == {"2016-06-30"}
    housing = figures[(figures["unit_code"] == "150222") & (figures["item"] == "housing")]
    assert housing[["target", "started", "completed"]].values.tolist() == \
        [[3120.0, 2400.0, 1890.0]]
    assert store.imports()["kind"].tolist() == ["units", "progress", "progress", "households",
                                                "round", "findings", "findings", "undo"]
    unmatched = store.unmatched().iloc[0]
    assert (unmatched["import_id"], unmatched["name"], unmatched["candidates"]) == \
        (3, "石拐去", "150205 石拐区")
    # Stored before reasons had words: the sentence as written, in either language.
    assert unmatched["reason_key"] is None and unmatched["reason_fields"] is None
    assert said(stored_reason(unmatched), "zh") == "no unit named '石拐去'"
    units = store.units(geometry=True).set_index("code")
    assert len(units) == 10 and units.loc["150206", "aliases"] == "白云矿区|白云区"
    assert units.crs.to_epsg() == 4326 and units.loc["150222", "name"] == "固阳县"
    people = store.village_figures("households").set_index("unit_code")["people"]
    assert people.to_dict() == {"150222": 3100.0, "150223": 2050.0}
    assert store.household_keys()["id_hmac"].tolist() == ["ab12cd34"]
    assert store.records("problems")["problem_id"].tolist() == ["6-1"]
    events = store.records("problem_events")
    assert events[["problem_id", "status", "on_date"]].values.tolist() == \
        [["6-1", "rectified", "2016-09-04"]]
    visited = store.records("visits")["visited_on"]
    assert visited.isna().tolist() == [True, True, False] and visited[2] == "2016-09-01"


def test_a_store_at_migration_3_gains_the_reasons_words(old_store, monkeypatch):
    # The store as the release before migration 4 left it: no words for its reasons.
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:3])
    Store(old_store)
    assert sql(old_store, "SELECT max(version) FROM covermap_schema") == [(3,)]
    columns = [r[1] for r in sql(old_store, "PRAGMA table_info(unmatched)")]
    assert "reason_key" not in columns
    monkeypatch.undo()
    store = Store(old_store)
    assert store.meta["schema_version"] == "6"
    assert [r[1] for r in sql(old_store, "PRAGMA table_info(unmatched)")] == \
        [*columns, "reason_key", "reason_fields"]
    assert rows(old_store) == ROWS_BEFORE
    # A new import's unmatched row keeps its English sentence, and its words beside it.
    why = Phrase("join_parent_several", parent="小壕镇")
    store.record_import(
        ImportRecord(kind="progress", file="t.xlsx", sha256="", as_of=dt.date(2016, 9, 30),
                     level="village", rows_read=1, matched=0, report={}),
        pd.DataFrame(columns=["as_of", "unit_code", "item"]),
        pd.DataFrame([{"source_row": 7, "name": "银号村", "parent_name": "小壕镇",
                       **reason_columns(why), "candidates": ""}]))
    new = store.unmatched(9).iloc[0]
    assert (new["reason"], new["reason_key"], new["reason_fields"]) == \
        ("parent '小壕镇' names several units", "join_parent_several", '{"parent": "小壕镇"}')
    assert said(stored_reason(new), "zh") == "上级“小壕镇”对应多个单位"


def test_a_second_open_changes_nothing(old_store):
    Store(old_store)
    upgraded = digest(old_store)
    recorded = sql(old_store, "SELECT * FROM covermap_schema")
    Store(old_store)
    assert digest(old_store) == upgraded
    assert sql(old_store, "SELECT * FROM covermap_schema") == recorded


def test_an_upgraded_store_takes_new_imports_after_its_old_ones(old_store):
    store = Store(old_store)
    import_id = store.record_import(
        ImportRecord(kind="progress", file="t.xlsx", sha256="", as_of=dt.date(2016, 9, 30),
                     level="county", rows_read=1, matched=1, report={}),
        pd.DataFrame({"as_of": ["2016-09-30"], "unit_code": ["150222"], "item": ["housing"],
                      "target": [3120.0], "started": [3000.0], "completed": [2900.0],
                      "status": [None], "source_row": [5]}))
    assert import_id == 9 and len(Store(old_store).progress()) == 37


def test_a_reader_on_an_old_store_says_a_writer_must_open_it_first(old_store):
    before = digest(old_store)
    with pytest.raises(StoreError) as error:
        Store(old_store, read_only=True)
    message = str(error.value)
    assert "schema version 1" in message and f"needs {LATEST}" in message
    assert "a writer must open it first" in message
    assert digest(old_store) == before


def test_a_reader_reads_an_upgraded_store_and_writes_nothing(old_store):
    Store(old_store)
    before = digest(old_store)
    reader = Store(old_store, read_only=True)
    assert len(reader.progress()) == 36 and len(reader.units()) == 10
    with pytest.raises(StoreError, match="read-only"):
        reader.undo(2)
    with pytest.raises(StoreError, match="read-only"):
        reader.replace_units(reader.units(geometry=True), ImportRecord(
            kind="units", file="u.gpkg", sha256="", as_of=None, level="county",
            rows_read=10, matched=10, report={}))
    assert digest(old_store) == before


def test_a_store_newer_than_this_release_is_refused(old_store):
    Store(old_store)
    with sqlite3.connect(old_store) as con:
        con.execute("INSERT INTO covermap_schema (version, description) VALUES (?, ?)",
                    (LATEST + 1, "from a later release"))
    for read_only in (False, True):
        with pytest.raises(StoreError, match=f"schema version {LATEST + 1}, newer than this "
                                             f"release of covermap knows \\({LATEST}\\)"):
            Store(old_store, read_only=read_only)


def test_a_later_column_reaches_an_existing_geopackage(old_store, monkeypatch):
    later = schema.Migration(LATEST + 1, "a later column", (
        schema.AddColumn("imports", schema.Column("region", "text")),
        schema.AddColumn("units", schema.Column("area_km2", "real")),
        # No sites layer in this file yet: GDAL will write it with the column.
        schema.AddColumn("sites", schema.Column("phase", "text")),
    ))
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, later])
    store = Store(old_store)
    assert store.meta["schema_version"] == str(LATEST + 1)
    assert "region" in {r[1] for r in sql(old_store, "PRAGMA table_info(imports)")}
    assert "area_km2" in {r[1] for r in sql(old_store, "PRAGMA table_info(units)")}
    assert len(store.units(geometry=True)) == 10 and rows(old_store) == ROWS_BEFORE


def test_an_upgrade_that_fails_leaves_the_old_store(old_store, monkeypatch):
    before = digest(old_store)
    broken = schema.Migration(LATEST + 1, "a column already there", (
        schema.AddColumn("imports", schema.Column("kind", "text")),))
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, broken])
    with pytest.raises(StoreError, match=f"could not be upgraded from schema version 1 to "
                                         f"{LATEST + 1} \\(duplicate column name: kind\\); "
                                         "it is left as it was"):
        Store(old_store)
    assert digest(old_store) == before


# -- PostGIS ------------------------------------------------------------------
# tests/data/store_v1_postgis.sql: the same store written into PostGIS by 17d826d
# (pg_dump's SQL), whose migrations 1-3 this release keeps, numbers and meaning.

@pytest.fixture
def old_database(postgres):
    import psycopg

    url = postgres()
    with psycopg.connect(url, autocommit=True) as con:
        con.execute((DATA / "store_v1_postgis.sql").read_text(encoding="utf-8"))
    return url


def pg(url, query):
    import psycopg

    with psycopg.connect(url) as con:
        return con.execute(query).fetchall()


def test_a_postgis_store_of_the_old_release_gains_migrations_4_to_6_only(old_database):
    recorded = pg(old_database, "SELECT version, applied_at FROM covermap_schema ORDER BY 1")
    assert [v for v, _ in recorded] == [1, 2, 3]
    store = Store(old_database)
    after = pg(old_database, "SELECT version, applied_at FROM covermap_schema ORDER BY 1")
    assert after[:3] == recorded and [v for v, _ in after] == [1, 2, 3, 4, 5, 6]
    assert pg(old_database, "SELECT reason, reason_key, reason_fields FROM unmatched") == \
        [("no unit named '石拐去'", None, None)]
    assert store.undone() == {3} and len(store.progress()) == 36
    assert store.imports()["kind"].tolist() == ["units", "progress", "progress", "households",
                                                "round", "findings", "findings", "undo"]
    assert len(store.units()) == 10 and store.records("problems")["problem_id"].tolist() == \
        ["6-1"]
    assert len(Store(old_database, read_only=True).records("visits")) == 3


def test_a_postgis_store_a_migration_behind_is_upgraded_by_a_writer_only(old_database):
    import psycopg

    with psycopg.connect(old_database) as con:
        con.execute("DELETE FROM covermap_schema WHERE version = 3")
    with pytest.raises(StoreError, match=f"schema version 2; this release needs {LATEST}. "
                                         "It is open read-only: a writer must open it first"):
        Store(old_database, read_only=True)
    store = Store(old_database)
    assert [v for (v,) in pg(old_database, "SELECT version FROM covermap_schema ORDER BY 1")] \
        == [1, 2, 3, 4, 5, 6]
    assert len(store.records("visits")) == 3 and len(store.progress()) == 36


def test_the_upgraded_geopackage_copies_into_postgis_row_for_row(old_store, postgres):
    # visits.seq is empty for a visit the team added: read back as 1.0 among gaps,
    # it must still go into PostgreSQL's integer column.
    from geo.store import copy_store

    url = postgres()
    copied, contents = copy_store(old_store, url)
    assert len(contents.progress) == 40 and len(copied.progress()) == 36
    for table, count in ROWS_BEFORE.items():
        if table != "covermap_meta":
            assert pg(url, f"SELECT count(*) FROM {table}") == [(count,)], table
    assert copied.records("visits")["seq"].tolist()[:2] == [1, 1]
