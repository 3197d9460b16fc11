"""What every store is: the abstract interface both backends implement.

Commands, pages and notebooks read and write a store only through these
methods, so neither knows which backend it has.  ``Store(location)`` gives the
backend :mod:`geo.store` registered for that location; this module knows no
backend itself.
"""

from __future__ import annotations

import abc
import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.crs import STORE_CRS
from geo.errors import CovermapError, StoreError
from geo.programme import Programme, load_programme
from geo.store import schema
from geo.store.schema import PROGRESS_COLUMNS, RECORD_TABLES, UNIT_COLUMNS, VILLAGE_TABLES
from geo.store.unit_changes import changed_since, changes_between, orphaned, undone_layer

# The imports an undo can set aside: they add rows, or (units) record what they
# changed; a site import replaces its layer.
UNDOABLE_KINDS = ("progress", *VILLAGE_TABLES, "round", "findings", "units", "unit_points",
                  "undo")
# The key of a stored report saying how many units the import changed: an import
# that rewrote the units layer with it recorded its changes and can be undone
# (those of a release before schema 5 cannot).
UNITS_CHANGED = "units_changed"
# Written into a "problem_id" to be replaced by the import's id as it is stored.
IMPORT_ID_TOKEN = "{import}"
# The units under a region (itself included), following parent_code down; both
# dialects read it, ``{region}`` being a parameter's mark or a literal.
UNITS_UNDER = ("WITH RECURSIVE under(code) AS (SELECT code FROM units WHERE code = {region} "
               "UNION ALL SELECT units.code FROM units JOIN under "
               "ON units.parent_code = under.code) SELECT code FROM under")

# (accepts location, loads the backend's class), tried in order: see register_backend.
_BACKENDS: list[tuple[Callable[[str | Path], bool], Callable[[], type]]] = []


def register_backend(accepts: Callable[[str | Path], bool], load: Callable[[], type]) -> None:
    """Let ``Store(location)`` open the locations ``accepts`` with the class ``load()``
    returns (loaded only when first needed: PostGIS needs psycopg)."""
    _BACKENDS.append((accepts, load))


def backend(location: str | Path) -> type["Store"]:
    """The class of the store at ``location``."""
    for accepts, load in _BACKENDS:
        if accepts(location):
            return load()
    raise StoreError(reason="no_backend", param="store", value=str(location))


# Store version → its snapshot dates (see Store.snapshot_dates).
_SNAPSHOT_DATES: dict[tuple, list] = {}


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
    what :func:`geo.store.copy_store` moves from one backend to another."""

    meta: dict
    units: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    progress: pd.DataFrame
    imports: pd.DataFrame
    unmatched: pd.DataFrame
    records: dict[str, pd.DataFrame] = field(default_factory=lambda: {
        table: pd.DataFrame(columns=columns) for table, columns in RECORD_TABLES.items()})
    """Every row of each of :data:`geo.store.schema.RECORD_TABLES`."""


class Store(abc.ABC):
    """An open covermap store.

    Parameters
    ----------
    location
        A ``.gpkg`` file, or a ``postgresql://user:password@host:port/db`` URL.
        It must exist and be a covermap store (create one with
        ``cli.py init``).  ``Store(location)`` gives the backend's own class.
    read_only
        Open without writing anything: a store on an older schema is refused
        (a writer upgrades it on opening), and every write raises.

    Raises
    ------
    StoreError
        No store there; a schema newer than this release knows; an older one
        opened read-only.
    """

    path: Path | str
    meta: dict
    programme: Programme
    read_only: bool = False

    def __new__(cls, location: str | Path, *, read_only: bool = False):
        if cls is Store:
            cls = backend(location)
        return super().__new__(cls)

    @classmethod
    def create(cls, location: str | Path, units: gpd.GeoDataFrame, *,
               programme: str, synthetic: bool, boundary_source: str,
               region: str, overwrite: bool = False) -> "Store":
        """Write a new store holding ``units``; nothing is left on failure."""
        chosen = backend(location) if cls is Store else cls
        load_programme(programme)
        meta = {"programme": programme, "synthetic": str(int(synthetic)),
                "boundary_source": boundary_source, "region": region,
                "schema_version": str(schema.latest_version()),
                "created": dt.datetime.now().isoformat(timespec="seconds")}
        return chosen._create(location, units, meta=meta, overwrite=overwrite)

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

    # -- for the backends ----------------------------------------------------

    def _not_undone(self) -> list[str]:
        """The SQL condition that leaves out undone imports' figures (none if none)."""
        undone = self.undone()
        return [f"import_id NOT IN ({', '.join(str(i) for i in sorted(undone))})"] \
            if undone else []

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise StoreError(reason="store_read_only", param="store", value=self.label)

    def _check_undoable(self, import_id: int, row, *, who: str) -> ImportRecord:
        """The undo's own record, once ``row`` (kind, file, report) shows it may be undone."""
        if row is None:
            raise CovermapError(reason="no_such_import", param="import_id", value=import_id,
                                store=self.label)
        kind, file, _ = row
        if kind not in UNDOABLE_KINDS or (kind == "units" and not changed_units(row)):
            raise CovermapError(reason="layer_not_undoable", param="import_id", value=import_id,
                                file=file, kind=kind)
        if import_id in self.undone():
            raise CovermapError(reason="already_undone", param="import_id", value=import_id,
                                file=file)
        return ImportRecord(kind="undo", file=file or "", sha256="", as_of=None, level=None,
                            rows_read=0, matched=0, who=who,
                            report={"undoes": int(import_id)})

    def _with_unit_changes(self, record: ImportRecord, old: gpd.GeoDataFrame,
                           new: gpd.GeoDataFrame) -> tuple[ImportRecord, pd.DataFrame]:
        """``record`` saying how many units it changes, and the ``unit_changes`` rows of
        replacing the layer ``old`` by ``new`` (both in the store's columns and CRS)."""
        changes = changes_between(old, new)
        counted = {**record.report, UNITS_CHANGED: int(changes["code"].nunique())}
        return replace(record, report=counted), changes

    def _undone_units(self, import_id: int, file: str) -> gpd.GeoDataFrame:
        """The units layer with import ``import_id``'s units as they were before it.

        Raises
        ------
        CovermapError
            Some of its units have changed since (a later import: undo that first),
            a unit it added now has figures, or a unit would lose its parent.
        """
        current = self.units(geometry=True)
        recorded = self._rows("unit_changes")
        changes = recorded[recorded["import_id"] == import_id]
        since = changed_since(current, changes)
        if since:
            later = recorded[(recorded["import_id"] > import_id)
                             & recorded["code"].isin(since)]["import_id"]
            raise CovermapError(reason="units_changed_since", param="import_id",
                                value=import_id, file=file, count=len(since),
                                codes=_labels(current, since),
                                later=sorted({int(i) for i in later}) or ["?"])
        added = sorted(set(changes["code"]) - set(changes.loc[changes["side"] == "before",
                                                             "code"]))
        figures = self.progress(codes=added) if added else pd.DataFrame(columns=["unit_code"])
        if len(figures):
            codes = sorted(set(figures["unit_code"].astype(str)))
            raise CovermapError(reason="units_undo_figures", param="import_id",
                                value=import_id, file=file, count=len(codes),
                                codes=_labels(current, codes))
        layer = undone_layer(current, changes)
        lost = orphaned(layer)
        if lost:
            raise CovermapError(reason="units_undo_orphans", param="import_id",
                                value=import_id, file=file, count=len(lost),
                                codes=_labels(layer, lost))
        return layer

    @staticmethod
    def _typed_progress(frame: pd.DataFrame) -> pd.DataFrame:
        # Few distinct codes, items and dates: categories make the maths
        # several times faster.  An empty table comes back untyped.
        return frame.reindex(columns=PROGRESS_COLUMNS).astype(
            {"as_of": "str", "unit_code": "category", "item": "category",
             "status": "category", "target": float, "started": float,
             "completed": float, "import_id": "int64", "source_row": "Int64"})

    # -- what each backend provides ----------------------------------------

    @staticmethod
    @abc.abstractmethod
    def version_of(location: str | Path) -> tuple:
        """:attr:`version` without opening the store."""

    @classmethod
    @abc.abstractmethod
    def _create(cls, location, units: gpd.GeoDataFrame, *, meta: dict,
                overwrite: bool = False) -> "Store":
        """A new store at ``location`` holding ``units`` and ``meta``."""

    @classmethod
    @abc.abstractmethod
    def from_contents(cls, location, contents: StoreContents) -> "Store":
        """A new store holding ``contents`` exactly, import ids included."""

    @abc.abstractmethod
    def units(self, *, level: str | None = None, region: str | None = None,
              geometry: bool = False):
        """The admin units, as a DataFrame (or GeoDataFrame with ``geometry``).

        Parameters
        ----------
        level
            Only the units of this level.
        region
            Only the unit with this code and the units under it (by
            ``parent_code``); none when no unit has the code.
        geometry
            With each unit's polygon, in the store's CRS.
        """

    @abc.abstractmethod
    def sites(self, *, region: str | None = None) -> gpd.GeoDataFrame:
        """The project sites (of the units under ``region`` only, when given)."""

    @abc.abstractmethod
    def progress(self, *, until: dt.date | None = None, region: str | None = None,
                 codes: list[str] | None = None) -> pd.DataFrame:
        """Every reported figure in force, undone imports' left out.

        Parameters
        ----------
        until
            Only figures as of this date or before (all when None).
        region
            Only the figures of this unit and the units under it.
        codes
            Only the figures of these units.
        """

    def snapshot_dates(self) -> list[dt.date]:
        """The dates the store has figures for, oldest first.

        Every page asks, several times a run; a DISTINCT over the province's 900,000
        figures takes a quarter of a second, so the answer is kept until the store
        changes."""
        version = self.version
        if version not in _SNAPSHOT_DATES:
            _SNAPSHOT_DATES.clear()         # one store version at a time is plenty
            _SNAPSHOT_DATES[version] = self._snapshot_dates()
        return list(_SNAPSHOT_DATES[version])

    @abc.abstractmethod
    def _snapshot_dates(self) -> list[dt.date]:
        """:meth:`snapshot_dates`, read from the store."""

    @abc.abstractmethod
    def imports(self) -> pd.DataFrame:
        """Every import, oldest first: the audit trail."""

    @abc.abstractmethod
    def unmatched(self, import_id: int | None = None) -> pd.DataFrame:
        """The rows that joined no unit (of one import, when given)."""

    @abc.abstractmethod
    def contents(self) -> StoreContents:
        """Every row, the undone figures and the audit trail included."""

    @abc.abstractmethod
    def record_import(self, record: ImportRecord, progress: pd.DataFrame,
                      unmatched: pd.DataFrame | None = None) -> int:
        """Store one ledger import in a single transaction; return its id."""

    @abc.abstractmethod
    def record_rows(self, record: ImportRecord, rows: dict[str, pd.DataFrame], *,
                    unmatched: pd.DataFrame | None = None) -> int:
        """Store one import's rows of tables of :data:`RECORD_TABLES` in a single
        transaction; return its id."""

    @abc.abstractmethod
    def undo(self, import_id: int, *, who: str = "") -> int:
        """Set aside an import's rows by recording its reversal; the undo's own id."""

    @abc.abstractmethod
    def replace_units(self, units: gpd.GeoDataFrame, record: ImportRecord,
                      unmatched: pd.DataFrame | None = None) -> int:
        """Replace the units; all or nothing.  Returns the import's id."""

    @abc.abstractmethod
    def replace_sites(self, sites: gpd.GeoDataFrame, record: ImportRecord,
                      unmatched: pd.DataFrame | None = None) -> int:
        """Replace the sites; sites without an ``import_id`` get this one's."""

    @abc.abstractmethod
    def _rows(self, table: str) -> pd.DataFrame:
        """Every row of a table of :data:`RECORD_TABLES`, undone or not."""

    @abc.abstractmethod
    def _undo_records(self) -> list[tuple[int, str]]:
        """(import id, report) of every undo, the latest first."""


def checked_units(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The columns a store keeps, in its CRS, once every unit is a polygon with a code
    of its own."""
    missing = set(UNIT_COLUMNS) - set(units.columns)
    if missing:
        raise StoreError(reason="units_lack_columns", columns=sorted(missing))
    kinds = set(units.geometry.geom_type.dropna())
    if not kinds <= {"Polygon", "MultiPolygon"}:
        others = sorted(kinds - {"Polygon", "MultiPolygon"})
        raise StoreError(reason="units_not_polygons", kinds=others)
    repeated = units["code"][units["code"].duplicated()]
    if units["code"].isna().any() or len(repeated):
        raise StoreError(reason="units_codes_repeated",
                         codes=[str(c) for c in repeated.unique()[:5]])
    return units[UNIT_COLUMNS + ["geometry"]].to_crs(STORE_CRS)


def changed_units(row) -> bool:
    """Whether an import's ``row`` (kind, file, report) recorded the units it changed:
    a units import, or the undo of one, that can be undone in turn."""
    return UNITS_CHANGED in json.loads(row[2] or "{}")


def _labels(units: pd.DataFrame, codes: list[str], limit: int = 5) -> str:
    """``code name`` of the first ``limit`` codes, for a message."""
    names = dict(zip(units["code"], units["name"]))
    shown = [f"{c} {names[c]}" if c in names else c for c in codes[:limit]]
    return ", ".join(shown) + (" …" if len(codes) > limit else "")


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
