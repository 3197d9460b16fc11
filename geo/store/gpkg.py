"""The GeoPackage store: one file that QGIS opens as it is, for one person.

Spatial layers (``units``, ``sites``) are written with pyogrio; a write that
replaces them goes to a copy of the file that takes the store's place only
when complete, so a failure leaves the old store as it was.  The tables
without geometry (``progress``, ``imports``, ``unmatched``, ``covermap_meta``)
are GeoPackage attribute tables written with sqlite3, each import in one
transaction: all of a file or nothing.  Writers take turns through a lock
file beside the store.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.crs import STORE_CRS
from geo.errors import StoreError
from geo.programme import load_programme
from geo.store import migrate, schema
from geo.store.base import (
    UNITS_UNDER,
    ImportRecord,
    Store,
    StoreContents,
    changed_units,
    checked_units,
    import_values,
    with_import_id,
)
from geo.store.ddl import layer_sql, literal
from geo.store.schema import (
    IMPORT_COLUMNS,
    PROGRESS_COLUMNS,
    RECORD_TABLES,
    SITE_COLUMNS,
    UNIT_COLUMNS,
    UNMATCHED_COLUMNS,
)


class GeoPackageStore(Store):
    """An open covermap store in a GeoPackage file (open it as ``Store(path)``).

    A writer opening a file on an older schema upgrades it in place, in one
    transaction under the writer lock; ``read_only=True`` opens it without
    writing (and refuses an older schema: see :class:`geo.store.base.Store`).
    """

    def __init__(self, path: str | Path, *, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        if not self.path.exists():
            raise StoreError(reason="no_store", param="store", value=str(self.path))
        try:
            with self._connect() as con:
                found = migrate.stored_version(con, "gpkg")
        except sqlite3.DatabaseError as exc:
            raise StoreError(reason="not_a_store", param="store", value=str(self.path),
                             error=str(exc)) from None
        if found == 0:
            raise StoreError(reason="not_a_store", param="store", value=str(self.path),
                             error="no covermap_meta")
        if migrate.needs_upgrade(found, label=self.label, read_only=read_only):
            self._upgrade(found)
        with self._connect() as con:
            self.meta = dict(con.execute("SELECT key, value FROM covermap_meta").fetchall())
        self.programme = load_programme(self.meta["programme"])

    def _upgrade(self, found: int) -> None:
        """Apply the migrations the file lacks: all in one transaction, or none."""
        try:
            with self._writing() as con:
                migrate.apply_migrations(con, "gpkg", migrate.stored_version(con, "gpkg"))
        except sqlite3.DatabaseError as exc:
            raise StoreError(reason="upgrade_failed", param="store", value=str(self.path),
                             found=found, latest=schema.latest_version(), error=str(exc)) \
                from None

    # -- creation ---------------------------------------------------------

    @classmethod
    def _create(cls, path: str | Path, units: gpd.GeoDataFrame, *, meta: dict,
                overwrite: bool = False) -> "GeoPackageStore":
        path = Path(path)
        if path.exists() and not overwrite:
            raise StoreError(reason="store_exists", param="store", value=str(path))
        with _building(path) as tmp:
            _write_units(tmp, units)
            with contextlib.closing(sqlite3.connect(tmp)) as con, con:
                migrate.apply_migrations(con, "gpkg", 0)
                con.executemany("INSERT INTO covermap_meta (key, value) VALUES (?, ?)",
                                meta.items())
        return cls(path)

    @classmethod
    def from_contents(cls, path: str | Path, contents: StoreContents) -> "GeoPackageStore":
        """A new store holding ``contents`` exactly, import ids included."""
        path = Path(path)
        if path.exists():
            raise StoreError(reason="copy_target_exists", param="store", value=str(path))
        with _building(path) as tmp:
            _write_units(tmp, contents.units)
            with contextlib.closing(sqlite3.connect(tmp)) as con, con:
                migrate.apply_migrations(con, "gpkg", 0)
                con.executemany("INSERT INTO covermap_meta (key, value) VALUES (?, ?)",
                                contents.meta.items())
                _insert_rows(con, "imports", contents.imports, IMPORT_COLUMNS)
                _insert_rows(con, "progress", contents.progress, PROGRESS_COLUMNS)
                _insert_rows(con, "unmatched", contents.unmatched, UNMATCHED_COLUMNS)
                for table, rows in contents.records.items():
                    _insert_rows(con, table, rows, RECORD_TABLES[table])
            if len(contents.sites):
                _write_sites(tmp, contents.sites)
        return cls(path)

    # -- reading ----------------------------------------------------------

    @staticmethod
    def version_of(path: str | Path) -> tuple:
        stat = Path(path).stat()
        return (str(path), stat.st_mtime_ns, stat.st_size)

    def units(self, *, level: str | None = None, region: str | None = None,
              geometry: bool = False):
        """The admin units, as a DataFrame (or GeoDataFrame with ``geometry``);
        see :meth:`geo.store.base.Store.units`."""
        clauses = [f"level = {literal(level)}"] if level else []
        clauses += [f"code IN ({_under(region)})"] if region is not None else []
        where = " AND ".join(clauses) or None
        if geometry:
            gdf = pyogrio.read_dataframe(self.path, layer="units", where=where,
                                         columns=UNIT_COLUMNS)
            return gdf.set_crs(STORE_CRS, allow_override=True)
        sql = f"SELECT {', '.join(UNIT_COLUMNS)} FROM units"
        with self._connect() as con:
            return pd.read_sql_query(sql + (f" WHERE {where}" if where else ""), con)

    def sites(self, *, region: str | None = None) -> gpd.GeoDataFrame:
        """The project sites (of the units under ``region`` only, when given)."""
        if "sites" not in pyogrio.list_layers(self.path)[:, 0]:
            return gpd.GeoDataFrame(columns=SITE_COLUMNS + ["geometry"],
                                    geometry="geometry", crs=STORE_CRS)
        where = f"unit_code IN ({_under(region)})" if region is not None else None
        return pyogrio.read_dataframe(self.path, layer="sites", where=where)

    def progress(self, *, until: dt.date | None = None, region: str | None = None,
                 codes: list[str] | None = None) -> pd.DataFrame:
        """Every reported figure in force; see :meth:`geo.store.base.Store.progress`."""
        # GDAL's Arrow reader is several times faster than sqlite3 row tuples
        # for the ~900,000 figures of a province's season.
        clauses = [f"as_of <= '{until.isoformat()}'"] if until is not None else []
        clauses += [f"unit_code IN ({_under(region)})"] if region is not None else []
        if codes is not None:
            clauses.append(f"unit_code IN ({', '.join(map(literal, codes)) or 'NULL'})")
        clauses += self._not_undone()
        where = " AND ".join(clauses) or None
        frame = pyogrio.read_dataframe(self.path, layer="progress", columns=PROGRESS_COLUMNS,
                                       read_geometry=False, use_arrow=True, where=where)
        return self._typed_progress(frame)

    def _snapshot_dates(self) -> list[dt.date]:
        """The dates the store has figures for, oldest first."""
        where = " WHERE " + " AND ".join(self._not_undone()) if self._not_undone() else ""
        with self._connect() as con:
            rows = con.execute(f"SELECT DISTINCT as_of FROM progress{where} ORDER BY as_of")
            return [dt.date.fromisoformat(r[0]) for r in rows]

    def _undo_records(self) -> list[tuple[int, str]]:
        with self._connect() as con:
            return con.execute("SELECT import_id, report FROM imports WHERE kind = 'undo' "
                               "ORDER BY import_id DESC").fetchall()

    def imports(self) -> pd.DataFrame:
        with self._connect() as con:
            return pd.read_sql_query("SELECT * FROM imports ORDER BY import_id", con)

    def unmatched(self, import_id: int | None = None) -> pd.DataFrame:
        sql = "SELECT * FROM unmatched"
        params: tuple = ()
        if import_id is not None:
            sql, params = sql + " WHERE import_id = ?", (import_id,)
        with self._connect() as con:
            return pd.read_sql_query(sql, con, params=params)

    def _rows(self, table: str) -> pd.DataFrame:
        return self._table(table, RECORD_TABLES[table])

    def _table(self, name: str, columns: list[str]) -> pd.DataFrame:
        """An attribute table in order, without fid."""
        with self._connect() as con:
            return pd.read_sql_query(f"SELECT {', '.join(columns)} FROM {name} ORDER BY fid",
                                     con)

    def contents(self) -> StoreContents:
        """Every row, the undone figures and the audit trail included."""
        return StoreContents(meta=dict(self.meta), units=self.units(geometry=True),
                             sites=self.sites(), progress=self._table("progress",
                                                                     PROGRESS_COLUMNS),
                             imports=self.imports(),
                             unmatched=self._table("unmatched", UNMATCHED_COLUMNS),
                             records={t: self._rows(t) for t in RECORD_TABLES})

    # -- writing ----------------------------------------------------------

    def record_import(self, record: ImportRecord, progress: pd.DataFrame,
                      unmatched: pd.DataFrame | None = None) -> int:
        """Store one ledger import in a single transaction; return its id.

        ``progress`` has the columns of :data:`PROGRESS_COLUMNS` less
        ``import_id``; ``unmatched`` has ``source_row, name, parent_name,
        code, reason, candidates, raw``.
        """
        unmatched = unmatched if unmatched is not None else pd.DataFrame()
        with self._writing() as con:
            import_id = _insert_import(con, record, len(unmatched))
            _insert_rows(con, "progress", progress.assign(import_id=import_id),
                         PROGRESS_COLUMNS)
            if len(unmatched):
                _insert_rows(con, "unmatched", unmatched.assign(import_id=import_id),
                             UNMATCHED_COLUMNS)
        return import_id

    def record_rows(self, record: ImportRecord, rows: dict[str, pd.DataFrame], *,
                    unmatched: pd.DataFrame | None = None) -> int:
        """Store one import's rows of tables of :data:`RECORD_TABLES` in a single
        transaction; return its id."""
        unmatched = unmatched if unmatched is not None else pd.DataFrame()
        with self._writing() as con:
            import_id = _insert_import(con, record, len(unmatched))
            for table, frame in rows.items():
                _insert_rows(con, table, with_import_id(frame, import_id),
                             RECORD_TABLES[table])
            if len(unmatched):
                _insert_rows(con, "unmatched", unmatched.assign(import_id=import_id),
                             UNMATCHED_COLUMNS)
        return import_id

    def undo(self, import_id: int, *, who: str = "") -> int:
        """Set aside an import by recording its reversal; returns the undo's own import
        id.  A ledger's figures: for each unit, item and date the import before it is
        in force again, unless a later import has corrected it since.  A units
        import's units: back as they were before it (see :mod:`geo.store.unit_changes`).

        Raises
        ------
        CovermapError
            No such import, already undone, a site import or a units import of a
            release before schema 5 (import the earlier file again instead), or units
            a later import has changed since.
        """
        self._refuse_if_read_only()
        with _write_lock(self.path):
            with self._connect() as con:
                row = con.execute("SELECT kind, file, report FROM imports WHERE import_id = ?",
                                  (import_id,)).fetchone()
            record = self._check_undoable(import_id, row, who=who)
            if changed_units(row):
                layer = self._undone_units(import_id, row[1])
                return self._rewrite_locked(record, None, units=layer)
            with self._transaction() as con:
                return _insert_import(con, record, 0)

    def replace_units(self, units: gpd.GeoDataFrame, record: ImportRecord,
                      unmatched: pd.DataFrame | None = None) -> int:
        """Replace the units layer, recording each unit it changes (so that the import
        can be undone); all or nothing.  Returns the import's id."""
        return self._rewrite(record, unmatched, units=units)

    def replace_sites(self, sites: gpd.GeoDataFrame, record: ImportRecord,
                      unmatched: pd.DataFrame | None = None) -> int:
        """Replace the sites layer; sites without an ``import_id`` get this one's."""
        return self._rewrite(record, unmatched, sites=sites)

    def _rewrite(self, record: ImportRecord, unmatched, *, units=None, sites=None) -> int:
        self._refuse_if_read_only()
        # The copy replaces the file: a ledger import landing meanwhile in the
        # old file would be lost, so writers take turns.
        with _write_lock(self.path):
            return self._rewrite_locked(record, unmatched, units=units, sites=sites)

    def _rewrite_locked(self, record: ImportRecord, unmatched, *, units=None,
                        sites=None) -> int:
        unmatched = unmatched if unmatched is not None else pd.DataFrame()
        changes = None
        if units is not None:
            units = checked_units(units)
            record, changes = self._with_unit_changes(record, self.units(geometry=True), units)
        with _building(self.path, copy_from=self.path) as tmp:
            with contextlib.closing(sqlite3.connect(tmp)) as con, con:
                import_id = _insert_import(con, record, len(unmatched))
                if len(unmatched):
                    _insert_rows(con, "unmatched", unmatched.assign(import_id=import_id),
                                 UNMATCHED_COLUMNS)
                if changes is not None:
                    _insert_rows(con, "unit_changes", changes.assign(import_id=import_id),
                                 RECORD_TABLES["unit_changes"])
            if units is not None:
                _write_units(tmp, units)
            if sites is not None:
                brought_by = sites["import_id"] if "import_id" in sites else None
                stamped = pd.to_numeric(pd.Series(brought_by, index=sites.index, dtype=float))
                stamped = stamped.fillna(import_id).astype("int64")
                _write_sites(tmp, sites.assign(import_id=stamped))
        return import_id

    @contextlib.contextmanager
    def _writing(self):
        """One transaction holding the writer lock: committed on leaving, rolled back
        on any error."""
        self._refuse_if_read_only()
        with _write_lock(self.path), self._transaction() as con:
            yield con

    @contextlib.contextmanager
    def _transaction(self):
        """One transaction, for a caller that holds the writer lock."""
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.rollback()
                raise
            con.commit()

    @contextlib.contextmanager
    def _connect(self):
        # Autocommit, so that a write opens its transaction explicitly; SQLite
        # itself refuses every write to a store opened read-only.
        where = f"{self.path.resolve().as_uri()}?mode=ro" if self.read_only else self.path
        con = sqlite3.connect(where, timeout=30, isolation_level=None, uri=self.read_only)
        try:
            yield con
        finally:
            con.close()


# -- helpers --------------------------------------------------------------

@contextlib.contextmanager
def _write_lock(path: Path):
    """One writer at a time, across processes (a lock file beside the store)."""
    with open(f"{path}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextlib.contextmanager
def _building(path: Path, *, copy_from: Path | None = None):
    """Yield a temporary file beside ``path`` that replaces it on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".gpkg",
                               dir=path.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        if copy_from is not None:
            shutil.copyfile(copy_from, tmp)
        yield tmp
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _write_units(path, units: gpd.GeoDataFrame) -> None:
    frame = checked_units(units)
    pyogrio.write_dataframe(frame, path, layer="units", driver="GPKG",
                            promote_to_multi=True, geometry_type="MultiPolygon")
    _index_layer(path, "units")


def _write_sites(path, sites: gpd.GeoDataFrame) -> None:
    frame = sites[SITE_COLUMNS + ["geometry"]].to_crs(STORE_CRS)
    pyogrio.write_dataframe(frame, path, layer="sites", driver="GPKG",
                            geometry_type="Point")
    _index_layer(path, "sites")


def _index_layer(path, table: str) -> None:
    """The schema's indexes on a layer GDAL has just written (anew, without them)."""
    with contextlib.closing(sqlite3.connect(path)) as con, con:
        for statement in layer_sql(schema.MIGRATIONS, table):
            con.execute(statement)


def _under(region: str) -> str:
    """The codes of ``region`` and every unit under it, as a subquery GDAL's filters take."""
    return UNITS_UNDER.format(region=literal(region))


def _insert_import(con, record: ImportRecord, n_unmatched: int) -> int:
    cur = con.execute(f"INSERT INTO imports ({', '.join(IMPORT_COLUMNS[1:])}) "
                      f"VALUES ({', '.join('?' * (len(IMPORT_COLUMNS) - 1))})",
                      import_values(record, n_unmatched))
    return cur.lastrowid


def _insert_rows(con, table: str, frame: pd.DataFrame, columns: list[str]) -> None:
    values = frame.reindex(columns=columns).astype(object)
    values = values.where(pd.notna(values), None)
    con.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})",
        values.itertuples(index=False, name=None),
    )
