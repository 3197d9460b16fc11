"""How ``store_v1.gpkg`` and ``store_v1_postgis.sql`` were made: a store as
release 17d826d wrote it, in a GeoPackage and in PostGIS.

Run once, at commit 17d826d (before the GeoPackage had migrations), from the
repository's root::

    PYTHONPATH=. .venv/bin/python tests/data/make_store_v1.py tests/data/store_v1.gpkg
    PYTHONPATH=. .venv/bin/python tests/data/make_store_v1.py --postgis \
        tests/data/store_v1_postgis.sql

The second writes the same store into a throwaway PostGIS database
(``tests/pg_server.py``) and keeps ``pg_dump --inserts``'s plain SQL of it.

Run with a later release, it would write that release's schema instead: the
point of the file is to be old, so it is kept, not rebuilt.
"""

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd

import cli
from geo.store import ImportRecord, Store
from tests.conftest import second_round


def record(kind: str, rows: int, as_of: dt.date) -> ImportRecord:
    return ImportRecord(kind=kind, file=f"{kind}.xlsx", sha256="", as_of=as_of,
                        level="village", rows_read=rows, matched=rows, report={},
                        who="fixture")


def main(path: Path | str) -> None:
    """Write the store at ``path``, a .gpkg file or a postgresql:// URL."""
    assert cli.main(["init", "--store", str(path), "--region", "150200"]) == 0
    # Smaller boundaries (a few hundred metres off): the upgrade is about rows, not shapes.
    store = Store(path)
    units = store.units(geometry=True)
    units["geometry"] = units.geometry.simplify(0.01, preserve_topology=True)
    store.replace_units(units, ImportRecord(kind="units", file="simplified.gpkg", sha256="",
                                            as_of=None, level="county", rows_read=10,
                                            matched=10, report={}, who="fixture"))
    assert cli.main(["import", "tests/data/baotou_county_ledger.xlsx", "--store", str(path),
                     "--as-of", "2016-06-30"]) == 0
    later = Path("tests/data/包头-0825.xlsx")      # run from the repository's root
    second_round(later)            # 4 figures for 固阳县; 石拐去 is unmatched
    assert cli.main(["import", str(later), "--store", str(path)]) == 0
    later.unlink()
    store = Store(path)
    store.record_rows(record("households", 2, dt.date(2016, 12, 31)), {
        "households": pd.DataFrame({
            "year": [2016, 2016], "unit_code": ["150222", "150223"],
            "households": [1200.0, 800.0], "people": [3100.0, 2050.0],
            "poor_households": [96.0, 40.0], "poor_people": [250.0, 101.0]}),
        "household_keys": pd.DataFrame({"unit_code": ["150222"], "id_hmac": ["ab12cd34"]})})
    store.record_rows(record("round", 2, dt.date(2016, 9, 1)), {"visits": pd.DataFrame({
        "round": [1, 1], "unit_code": ["150222", "150223"], "team": ["第1组", "第2组"],
        "seq": [1, 1], "reason": ["never_visited", "never_visited"], "visited_on": None})})
    found = store.record_rows(record("findings", 1, dt.date(2016, 9, 1)), {
        "visits": pd.DataFrame({"round": [1], "unit_code": ["150222"], "team": ["第1组"],
                                "reason": ["visit"], "visited_on": ["2016-09-01"]}),
        "problems": pd.DataFrame({
            "problem_id": ["{import}-1"], "round": [1], "unit_code": ["150222"],
            "found_on": ["2016-09-01"], "team": ["第1组"], "category": ["quality"],
            "description": ["卫生室墙体开裂"], "severity": ["major"], "responsible": ["卫生院"],
            "deadline": ["2016-09-05"], "source_row": [4]})})
    store.record_rows(record("findings", 1, dt.date(2016, 9, 4)), {
        "problem_events": pd.DataFrame({
            "problem_id": [f"{found}-1"], "status": ["rectified"], "on_date": ["2016-09-04"],
            "note": ["已修补"], "source_row": [1]})})
    assert cli.main(["undo", "3", "--store", str(path)]) == 0     # the 08-25 round set aside
    if str(path).startswith("postgresql://"):
        return
    with sqlite3.connect(path) as con:        # the space the full boundaries took, given back
        con.execute("VACUUM")


def dump_postgis(target: Path) -> None:
    """The store written into a throwaway PostGIS database, kept as pg_dump's SQL."""
    from tests.pg_server import postgres_bin, postgres_server

    with postgres_server() as new_database:
        url = new_database("v1")
        main(url)
        dump = subprocess.run([f"{postgres_bin()}/pg_dump", "--inserts", "--no-owner",
                               "--no-privileges", "--no-comments", url],
                              check=True, capture_output=True, text=True).stdout
    # psql's meta-commands (\restrict) are for psql; the tests load it with psycopg.
    target.write_text("".join(line for line in dump.splitlines(keepends=True)
                              if not line.startswith("\\")), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1] == "--postgis":
        dump_postgis(Path(sys.argv[2]))
    else:
        main(Path(sys.argv[1]))
