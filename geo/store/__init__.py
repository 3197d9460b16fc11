"""The store: everything covermap knows, behind one interface.

``Store(location)`` opens a GeoPackage file (the default, for one person)
or, for a ``postgresql://`` URL, a PostGIS database (for many users and
concurrent imports).  Both hold the same tables — ``units``, ``sites``,
``progress``, ``imports``, ``unmatched`` and ``covermap_meta`` — and every
command, page and notebook reads and writes them through the methods here,
so neither knows which it has.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.crs import STORE_CRS
from geo.errors import CovermapError, StoreError
from geo.programme import Programme, load_programme

SCHEMA_VERSION = "1"
UNIT_COLUMNS = ["code", "name", "level", "kind", "parent_code", "aliases",
                "population", "households"]
SITE_COLUMNS = ["site_id", "name", "item", "status", "start_date", "end_date",
                "investment", "unit_code", "import_id"]
PROGRESS_COLUMNS = ["as_of", "unit_code", "item", "target", "started",
                    "completed", "status", "import_id", "source_row"]
IMPORT_COLUMNS = ["import_id", "kind", "who", "at", "file", "sha256", "as_of", "level",
                  "rows_read", "matched", "unmatched", "report"]
UNMATCHED_COLUMNS = ["import_id", "source_row", "name", "parent_name", "code",
                     "reason", "candidates", "raw"]
# Figures a year and a village, for the poverty-exit tests: household records
# kept as counts only (geo.imports.households) and the assessment samples
# (geo.imports.samples).  Each table is named after the import kind filling it.
VILLAGE_TABLES = {
    "households": ["households", "people", "poor_households", "poor_people",
                   "exited_households", "returned_households", "due_households",
                   "due_people", "due_failing", "fail_income", "fail_two_assurances",
                   "fail_education", "fail_medical", "fail_housing"],
    "samples": ["surveyed", "satisfied", "exited_sampled", "wrongly_exited",
                "non_registered_sampled", "missed"],
}
# An ID number is kept only as an HMAC, to notice the same person in two imports.
HOUSEHOLD_KEY_COLUMNS = ["import_id", "unit_code", "id_hmac"]
# Supervision (geo.supervision.plan, geo.supervision.problems): the villages each round planned and
# visited, the problems found, and every change of a problem's status.  A
# problem's id is "IMPORT-N", N its place in the file that found it.
SUPERVISION_TABLES = {
    "visits": ["import_id", "round", "unit_code", "team", "seq", "reason", "visited_on"],
    "problems": ["import_id", "problem_id", "round", "unit_code", "found_on", "team",
                 "category", "description", "severity", "responsible", "deadline",
                 "source_row"],
    "problem_events": ["import_id", "problem_id", "status", "on_date", "note", "source_row"],
}
# The imports an undo can set aside: they add rows; the others replace a layer.
UNDOABLE_KINDS = ("progress", *VILLAGE_TABLES, "round", "findings", "undo")


def village_columns(table: str) -> list[str]:
    """The columns of a table of :data:`VILLAGE_TABLES`."""
    return ["import_id", "year", "unit_code", *VILLAGE_TABLES[table]]


# Every table whose rows an import adds, each row carrying its import's id.
RECORD_TABLES = {**{t: village_columns(t) for t in VILLAGE_TABLES},
                 "household_keys": HOUSEHOLD_KEY_COLUMNS, **SUPERVISION_TABLES}
# Written into a "problem_id" to be replaced by the import's id as it is stored.
IMPORT_ID_TOKEN = "{import}"


def is_database_url(location: str | Path) -> bool:
    """Whether ``location`` names a PostGIS database rather than a file."""
    return str(location).startswith(("postgresql://", "postgres://"))


@dataclass(frozen=True)
class ImportRecord:
    """What one import brought: the rows that joined and those that did not."""

    kind: str
    file: str
    sha256: str
    as_of: dt.date | None
    level: str | None
    rows_read: int
    matched: int
    report: dict
    who: str = ""


@dataclass(frozen=True)
class StoreContents:
    """Every row of a store, undone figures and the audit trail included:
    what :func:`copy_store` moves from one backend to another."""

    meta: dict
    units: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    progress: pd.DataFrame
    imports: pd.DataFrame
    unmatched: pd.DataFrame
    records: dict[str, pd.DataFrame] = field(default_factory=lambda: {
        table: pd.DataFrame(columns=columns) for table, columns in RECORD_TABLES.items()})
    """Every row of each of :data:`RECORD_TABLES`."""


class Store:
    """An open covermap store.

    Parameters
    ----------
    location
        A ``.gpkg`` file, or a ``postgresql://user:password@host:port/db`` URL.
        It must exist and be a covermap store (create one with
        ``cli.py init``).  ``Store(location)`` gives the backend's own class.
    """

    path: Path | str
    meta: dict
    programme: Programme

    def __new__(cls, location: str | Path):
        if cls is Store:
            cls = _backend(location)
        return super().__new__(cls)

    @classmethod
    def create(cls, location: str | Path, units: gpd.GeoDataFrame, *,
               programme: str, synthetic: bool, boundary_source: str,
               region: str, overwrite: bool = False) -> "Store":
        """Write a new store holding ``units``; nothing is left on failure."""
        backend = _backend(location) if cls is Store else cls
        load_programme(programme)
        meta = {"programme": programme, "synthetic": str(int(synthetic)),
                "boundary_source": boundary_source, "region": region,
                "schema_version": SCHEMA_VERSION,
                "created": dt.datetime.now().isoformat(timespec="seconds")}
        return backend._create(location, units, meta=meta, overwrite=overwrite)

    # -- what every backend shares ------------------------------------------

    @property
    def label(self) -> str:
        """The store's name for messages (a database URL without its password)."""
        return str(self.path)

    @property
    def version(self) -> tuple:
        """Changes whenever the store does; a key for caches at the edge."""
        return self.version_of(self.path)

    @property
    def synthetic(self) -> bool:
        return self.meta.get("synthetic") == "1"

    def undone(self) -> set[int]:
        """The imports whose figures an undo has set aside.

        An undo is itself an import (``kind = 'undo'``, ``report.undoes``):
        nothing is deleted.  Read from the latest back, an undo counts unless
        a later one undid it, so undoing an undo brings the figures back.
        """
        undone: set[int] = set()
        for import_id, report in self._undo_records():
            if import_id not in undone:
                undone.add(int(json.loads(report)["undoes"]))
        return undone

    def _not_undone(self) -> list[str]:
        """The SQL condition that leaves out undone imports' figures (none if none)."""
        undone = self.undone()
        return [f"import_id NOT IN ({', '.join(str(i) for i in sorted(undone))})"] \
            if undone else []

    def _check_undoable(self, import_id: int, row, *, who: str) -> ImportRecord:
        """The undo's own record, once ``row`` (kind, file) shows it may be undone."""
        if row is None:
            raise CovermapError(f"there is no import {import_id} in {self.label}")
        kind, file = row
        if kind not in UNDOABLE_KINDS:
            raise CovermapError(
                f"import {import_id} ({file}) replaced the {kind}; undo works on "
                f"ledger imports — import the earlier {kind} file again instead")
        if import_id in self.undone():
            raise CovermapError(f"import {import_id} ({file}) is already undone")
        return ImportRecord(kind="undo", file=file or "", sha256="", as_of=None, level=None,
                            rows_read=0, matched=0, who=who,
                            report={"undoes": int(import_id)})

    @staticmethod
    def _typed_progress(frame: pd.DataFrame) -> pd.DataFrame:
        # Few distinct codes, items and dates: categories make the maths
        # several times faster.  An empty table comes back untyped.
        return frame.reindex(columns=PROGRESS_COLUMNS).astype(
            {"as_of": "str", "unit_code": "category", "item": "category",
             "status": "category", "target": float, "started": float,
             "completed": float, "import_id": "int64", "source_row": "Int64"})

    def village_figures(self, table: str) -> pd.DataFrame:
        """The figures in force in a table of :data:`VILLAGE_TABLES`: for each unit and
        year the latest import's, undone imports left out."""
        rows = self.records(table)
        latest = rows.groupby(["unit_code", "year"])["import_id"].transform("max")
        return rows[rows["import_id"] == latest].reset_index(drop=True)

    def records(self, table: str) -> pd.DataFrame:
        """The rows of a table of :data:`RECORD_TABLES`, undone imports' left out."""
        rows = self._rows(table)
        return rows[~rows["import_id"].isin(self.undone())].reset_index(drop=True)

    def household_keys(self) -> pd.DataFrame:
        """The HMACs of ID numbers each household import brought, by village."""
        return self._rows("household_keys")

    def record_village_figures(self, record: ImportRecord, table: str, figures: pd.DataFrame,
                               *, keys: pd.DataFrame | None = None,
                               unmatched: pd.DataFrame | None = None) -> int:
        """Store one import's rows of a table of :data:`VILLAGE_TABLES` (and ID HMACs)
        in a single transaction; return its id."""
        rows = {table: figures}
        if keys is not None:
            rows["household_keys"] = keys
        return self.record_rows(record, rows, unmatched=unmatched)

    # -- what each backend provides ----------------------------------------
    # version, units(), sites(), progress(), snapshot_dates(), imports(),
    # unmatched(), record_import(), record_rows(), _rows(), undo(), replace_units(),
    # replace_sites(), contents() and the class methods _create() and from_contents().


def checked_units(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The columns a store keeps, in its CRS, once every unit is a polygon with a code
    of its own."""
    missing = set(UNIT_COLUMNS) - set(units.columns)
    if missing:
        raise StoreError(f"units lack columns {sorted(missing)}")
    kinds = set(units.geometry.geom_type.dropna())
    if not kinds <= {"Polygon", "MultiPolygon"}:
        others = sorted(kinds - {"Polygon", "MultiPolygon"})
        raise StoreError(f"units must be polygons, not {others}")
    repeated = units["code"][units["code"].duplicated()]
    if units["code"].isna().any() or len(repeated):
        raise StoreError("every unit needs its own code; repeated: "
                         + ", ".join(map(str, repeated.unique()[:5])))
    return units[UNIT_COLUMNS + ["geometry"]].to_crs(STORE_CRS)


def import_values(record: ImportRecord, n_unmatched: int) -> tuple:
    """An import's row, in the order of :data:`IMPORT_COLUMNS` less the id."""
    return (record.kind, record.who or os.environ.get("USER", ""),
            dt.datetime.now().isoformat(timespec="seconds"), record.file,
            record.sha256, record.as_of.isoformat() if record.as_of else None,
            record.level, record.rows_read, record.matched, n_unmatched,
            json.dumps(record.report, ensure_ascii=False, default=str))


def with_import_id(frame: pd.DataFrame, import_id: int) -> pd.DataFrame:
    """``frame``'s rows as an import stores them: its id in ``import_id``, and in any
    ``problem_id`` written with :data:`IMPORT_ID_TOKEN`."""
    frame = frame.assign(import_id=import_id)
    if "problem_id" in frame and len(frame):
        frame["problem_id"] = frame["problem_id"].astype(str).str.replace(
            IMPORT_ID_TOKEN, str(import_id), regex=False)
    return frame


def copy_store(source: str | Path, target: str | Path) -> tuple[Store, StoreContents]:
    """Copy every row of the store at ``source`` into a new store at ``target``.

    Either may be a GeoPackage file or a PostGIS URL; the target must not hold
    a store yet.  Undone figures, the audit trail and import ids come along,
    so the copy answers every question as the original does.

    Returns
    -------
    The new store, and what was copied.
    """
    contents = Store(source).contents()
    return _backend(target).from_contents(target, contents), contents


def store_version(location: str | Path) -> tuple:
    """:attr:`Store.version` without opening the store: a watcher polling every
    few seconds (the wall) need not read the store's programme."""
    return _backend(location).version_of(location)


def _backend(location: str | Path) -> type[Store]:
    if is_database_url(location):
        from geo.store.postgis import PostgisStore

        return PostgisStore
    from geo.store.gpkg import GeoPackageStore

    return GeoPackageStore
