"""The PostGIS store: the same tables in PostgreSQL, for many users at once.

Every write is one transaction that first takes the store's writer lock
(:data:`geo.store.schema.WRITER_LOCK`): two imports at the same moment both
land, one after the other, and a reader sees each whole or not at all
(PostgreSQL's snapshots).  Geometry travels as WKB, figures in bulk through
``COPY``.
"""

from __future__ import annotations

import contextlib
import io
from urllib.parse import urlsplit, urlunsplit

import geopandas as gpd
import pandas as pd
import psycopg
import shapely

from geo.crs import STORE_CRS
from geo.errors import StoreError
from geo.programme import load_programme
from geo.store import schema
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
from geo.store.ddl import literal
from geo.store.migrate import migrate_postgis, needs_upgrade, stored_version
from geo.store.schema import (
    IMPORT_COLUMNS,
    PROGRESS_COLUMNS,
    RECORD_TABLES,
    SITE_COLUMNS,
    UNIT_COLUMNS,
    UNMATCHED_COLUMNS,
    WRITER_LOCK,
)

_TEXT = {"as_of": str, "unit_code": str, "item": str, "status": str}


class PostgisStore(Store):
    """An open covermap store in a PostGIS database (open it as ``Store(url)``).

    A writer opening a database on an older schema upgrades it; ``read_only=True``
    only reads (see :class:`geo.store.base.Store`).
    """

    def __init__(self, url: str, *, read_only: bool = False):
        self.path = str(url)
        self.read_only = read_only
        with self._connect() as con:
            found = stored_version(con, "postgis")
            if found == 0:
                raise StoreError(reason="no_store", param="store", value=self.label)
            if needs_upgrade(found, label=self.label, read_only=read_only):
                migrate_postgis(con)
            rows = con.execute("SELECT key, value FROM covermap_meta").fetchall()
        if not rows:
            raise StoreError(reason="not_a_store", param="store", value=self.label,
                             error="no metadata")
        self.meta = dict(rows)
        self.programme = load_programme(self.meta["programme"])

    @property
    def label(self) -> str:
        return _without_password(self.path)

    # -- creation ---------------------------------------------------------

    @classmethod
    def _create(cls, url: str, units: gpd.GeoDataFrame, *, meta: dict,
                overwrite: bool = False) -> "PostgisStore":
        frame = checked_units(units)
        with _connect(url) as con:
            _take_empty(con, url, overwrite=overwrite)
            _copy_rows(con, "covermap_meta", pd.DataFrame(meta.items(), columns=["key", "value"]),
                       ["key", "value"])
            _copy_units(con, frame)
        return cls(url)

    @classmethod
    def from_contents(cls, url: str, contents: StoreContents) -> "PostgisStore":
        """A new store holding ``contents`` exactly, import ids included."""
        with _connect(url) as con:
            _take_empty(con, url, overwrite=False)
            _copy_rows(con, "covermap_meta",
                       pd.DataFrame(contents.meta.items(), columns=["key", "value"]),
                       ["key", "value"])
            _copy_units(con, checked_units(contents.units))
            _copy_rows(con, "imports", contents.imports, IMPORT_COLUMNS)
            con.execute("SELECT setval('imports_import_id_seq', "
                        "coalesce((SELECT max(import_id) FROM imports), 0) + 1, false)")
            _copy_rows(con, "progress", contents.progress, PROGRESS_COLUMNS)
            _copy_rows(con, "unmatched", contents.unmatched, UNMATCHED_COLUMNS)
            for table, rows in contents.records.items():
                _copy_rows(con, table, rows, RECORD_TABLES[table])
            _copy_sites(con, contents.sites)
        return cls(url)

    # -- reading ----------------------------------------------------------

    @staticmethod
    def version_of(url: str) -> tuple:
        # Every write records an import, so the newest id tells them apart.
        with _connect(url, autocommit=True) as con:
            row = con.execute("SELECT (SELECT value FROM covermap_meta WHERE key = 'created'), "
                              "coalesce(max(import_id), 0), count(*) FROM imports").fetchone()
        return (str(url), *row)

    def units(self, *, level: str | None = None, region: str | None = None,
              geometry: bool = False):
        """The admin units, as a DataFrame (or GeoDataFrame with ``geometry``);
        see :meth:`geo.store.base.Store.units`."""
        columns = ", ".join(UNIT_COLUMNS) + (", ST_AsBinary(geometry)" if geometry else "")
        clauses, params = [], []
        if level:
            clauses, params = ["level = %s"], [level]
        if region is not None:
            clauses.append(f"code IN ({UNITS_UNDER.format(region='%s')})")
            params.append(region)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        frame = self._query(f"SELECT {columns} FROM units {where} ORDER BY fid", tuple(params),
                            UNIT_COLUMNS + (["geometry"] if geometry else []))
        for column in ("population", "households"):
            frame[column] = _whole_numbers(frame[column])
        if not geometry:
            return frame
        shapes = shapely.from_wkb([bytes(g) if g is not None else None
                                   for g in frame["geometry"]])
        return gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=shapes, crs=STORE_CRS)

    def sites(self, *, region: str | None = None) -> gpd.GeoDataFrame:
        """The project sites (of the units under ``region`` only, when given)."""
        where, params = (f"WHERE unit_code IN ({UNITS_UNDER.format(region='%s')})", (region,)) \
            if region is not None else ("", ())
        frame = self._query(f"SELECT {', '.join(SITE_COLUMNS)}, ST_AsBinary(geometry) "
                            f"FROM sites {where} ORDER BY fid", params,
                            SITE_COLUMNS + ["geometry"])
        shapes = shapely.from_wkb([bytes(g) for g in frame["geometry"]])
        frame["import_id"] = frame["import_id"].astype("int64")
        frame["investment"] = frame["investment"].astype(float)
        return gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=shapes, crs=STORE_CRS)

    def progress(self, *, until=None, region: str | None = None,
                 codes: list[str] | None = None) -> pd.DataFrame:
        """Every reported figure in force; see :meth:`geo.store.base.Store.progress`."""
        # Literals, not parameters: COPY takes none.
        clauses = [f"as_of <= DATE '{until.isoformat()}'"] if until is not None else []
        if region is not None:
            clauses.append(f"unit_code IN ({UNITS_UNDER.format(region=literal(region))})")
        if codes is not None:
            clauses.append(f"unit_code IN ({', '.join(map(literal, codes)) or 'NULL'})")
        clauses += self._not_undone()
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        frame = self._copy_out(f"SELECT {', '.join(PROGRESS_COLUMNS)} FROM progress {where} "
                               "ORDER BY fid")
        return self._typed_progress(frame)

    def _snapshot_dates(self) -> list:
        where = f"WHERE {' AND '.join(self._not_undone())}" if self._not_undone() else ""
        with self._connect(autocommit=True) as con:
            rows = con.execute(f"SELECT DISTINCT as_of FROM progress {where} ORDER BY as_of")
            return [r[0] for r in rows]

    def imports(self) -> pd.DataFrame:
        frame = self._query(f"SELECT {', '.join(IMPORT_COLUMNS)} FROM imports "
                            "ORDER BY import_id", (), IMPORT_COLUMNS)
        for column in ("import_id", "rows_read", "matched", "unmatched"):
            frame[column] = frame[column].astype("int64")
        return frame

    def unmatched(self, import_id: int | None = None) -> pd.DataFrame:
        where, params = ("WHERE import_id = %s", (import_id,)) if import_id is not None \
            else ("", ())
        return self._query(f"SELECT fid, {', '.join(UNMATCHED_COLUMNS)} FROM unmatched "
                           f"{where} ORDER BY fid", params, ["fid", *UNMATCHED_COLUMNS])

    def _rows(self, table: str) -> pd.DataFrame:
        columns = RECORD_TABLES[table]
        return self._query(f"SELECT {', '.join(columns)} FROM {table} ORDER BY fid", (),
                           columns)

    def contents(self) -> StoreContents:
        """Every row, the undone figures and the audit trail included."""
        progress = self._copy_out(f"SELECT {', '.join(PROGRESS_COLUMNS)} FROM progress "
                                  "ORDER BY fid")
        return StoreContents(meta=dict(self.meta), units=self.units(geometry=True),
                             sites=self.sites(), progress=progress, imports=self.imports(),
                             unmatched=self.unmatched().drop(columns="fid"),
                             records={t: self._rows(t) for t in RECORD_TABLES})

    def _undo_records(self) -> list[tuple[int, str]]:
        with self._connect(autocommit=True) as con:
            return con.execute("SELECT import_id, report FROM imports WHERE kind = 'undo' "
                               "ORDER BY import_id DESC").fetchall()

    def _query(self, sql: str, params: tuple, columns: list[str]) -> pd.DataFrame:
        with self._connect(autocommit=True) as con:
            rows = con.execute(sql, params).fetchall()
        return pd.DataFrame(rows, columns=columns)

    def _copy_out(self, sql: str) -> pd.DataFrame:
        # COPY is several times faster than fetching row tuples for the
        # ~900,000 figures of a province's season.
        buffer = io.BytesIO()
        with self._connect(autocommit=True) as con, con.cursor() as cur:
            with cur.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
                for chunk in copy:
                    buffer.write(chunk)
        buffer.seek(0)
        return pd.read_csv(buffer, dtype=_TEXT)

    # -- writing ----------------------------------------------------------

    def record_import(self, record: ImportRecord, progress: pd.DataFrame,
                      unmatched: pd.DataFrame | None = None) -> int:
        """Store one ledger import in a single transaction; return its id."""
        unmatched = unmatched if unmatched is not None else pd.DataFrame()
        with self._writing() as con:
            import_id = _insert_import(con, record, len(unmatched))
            _copy_rows(con, "progress", progress.assign(import_id=import_id), PROGRESS_COLUMNS)
            if len(unmatched):
                _copy_rows(con, "unmatched", unmatched.assign(import_id=import_id),
                           UNMATCHED_COLUMNS)
        return import_id

    def record_rows(self, record: ImportRecord, rows: dict[str, pd.DataFrame], *,
                    unmatched: pd.DataFrame | None = None) -> int:
        """Store one import's rows of tables of :data:`RECORD_TABLES` in a single
        transaction; return its id."""
        with self._writing() as con:
            import_id = self._record_import_row(con, record, unmatched)
            for table, frame in rows.items():
                _copy_rows(con, table, with_import_id(frame, import_id), RECORD_TABLES[table])
        return import_id

    def undo(self, import_id: int, *, who: str = "") -> int:
        """Set aside an import by recording its reversal (see
        :meth:`geo.store.gpkg.GeoPackageStore.undo`); returns the undo's id."""
        with self._writing() as con:
            row = con.execute("SELECT kind, file, report FROM imports WHERE import_id = %s",
                              (import_id,)).fetchone()
            record = self._check_undoable(import_id, row, who=who)
            if changed_units(row):
                # Read on other connections: committed rows, and no writer but this one.
                return self._replace_units_in(con, self._undone_units(import_id, row[1]),
                                              record, None)
            return _insert_import(con, record, 0)

    def replace_units(self, units: gpd.GeoDataFrame, record: ImportRecord,
                      unmatched: pd.DataFrame | None = None) -> int:
        """Replace the units, recording each unit it changes (so that the import can be
        undone); all or nothing.  Returns the import's id."""
        with self._writing() as con:
            return self._replace_units_in(con, units, record, unmatched)

    def _replace_units_in(self, con, units: gpd.GeoDataFrame, record: ImportRecord,
                          unmatched) -> int:
        frame = checked_units(units)
        record, changes = self._with_unit_changes(record, self.units(geometry=True), frame)
        import_id = self._record_import_row(con, record, unmatched)
        _copy_rows(con, "unit_changes", changes.assign(import_id=import_id),
                   RECORD_TABLES["unit_changes"])
        con.execute("DELETE FROM units")
        _copy_units(con, frame)
        return import_id

    def replace_sites(self, sites: gpd.GeoDataFrame, record: ImportRecord,
                      unmatched: pd.DataFrame | None = None) -> int:
        """Replace the sites; sites without an ``import_id`` get this one's."""
        with self._writing() as con:
            import_id = self._record_import_row(con, record, unmatched)
            stamped = pd.to_numeric(sites.get("import_id"), errors="coerce") \
                if "import_id" in sites else pd.Series(float("nan"), index=sites.index)
            con.execute("DELETE FROM sites")
            _copy_sites(con, sites.assign(import_id=stamped.fillna(import_id).astype("int64")))
        return import_id

    @staticmethod
    def _record_import_row(con, record: ImportRecord, unmatched) -> int:
        """The import's row and its unmatched rows; its id."""
        unmatched = unmatched if unmatched is not None else pd.DataFrame()
        import_id = _insert_import(con, record, len(unmatched))
        if len(unmatched):
            _copy_rows(con, "unmatched", unmatched.assign(import_id=import_id),
                       UNMATCHED_COLUMNS)
        return import_id

    @contextlib.contextmanager
    def _writing(self):
        """A transaction holding the writer lock; committed on leaving, rolled back on error."""
        self._refuse_if_read_only()
        with self._connect() as con:
            con.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK,))
            yield con

    def _connect(self, *, autocommit: bool = False):
        return _connect(self.path, autocommit=autocommit)


# -- helpers --------------------------------------------------------------

def _connect(url: str, *, autocommit: bool = False) -> psycopg.Connection:
    try:
        return psycopg.connect(url, autocommit=autocommit, connect_timeout=10)
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else "no answer"
        raise StoreError(reason="store_unreachable", param="store", value=_without_password(url),
                         error=reason) from None


def _take_empty(con, url: str, *, overwrite: bool) -> None:
    """Upgrade ``con``'s database to the latest schema; it must hold no store yet."""
    migrate_postgis(con)
    if con.execute("SELECT 1 FROM covermap_meta LIMIT 1").fetchone():
        if not overwrite:
            raise StoreError(reason="database_holds_store", param="store",
                             value=_without_password(url))
        con.execute(f"TRUNCATE {', '.join(schema.tables())} RESTART IDENTITY")


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _whole_numbers(values: pd.Series) -> pd.Series:
    """Counts read back as the integers they were written as, where every one is."""
    numbers = pd.to_numeric(values)
    if numbers.notna().all() and (numbers % 1 == 0).all():
        return numbers.astype("int64")
    return numbers


def _insert_import(con, record: ImportRecord, n_unmatched: int) -> int:
    columns = IMPORT_COLUMNS[1:]
    row = con.execute(f"INSERT INTO imports ({', '.join(columns)}) "
                      f"VALUES ({', '.join(['%s'] * len(columns))}) RETURNING import_id",
                      import_values(record, n_unmatched)).fetchone()
    return row[0]


def _copy_rows(con, table: str, frame: pd.DataFrame, columns: list[str]) -> None:
    values = frame.reindex(columns=columns)
    # A whole-number column read with gaps (a visit's seq) comes as floats, 1.0,
    # which PostgreSQL's integer refuses: the schema says which columns are whole.
    types = {column.name: column.type for column in schema.tables()[table].columns}
    for column in columns:
        if types.get(column) in ("integer", "serial"):
            values[column] = pd.to_numeric(values[column]).astype("Int64")
    values = values.astype(object)
    values = values.where(pd.notna(values), None)
    with con.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in values.itertuples(index=False, name=None):
            copy.write_row(row)


def _copy_units(con, frame: gpd.GeoDataFrame) -> None:
    multi = [shapely.MultiPolygon([g]) if g is not None and g.geom_type == "Polygon" else g
             for g in frame.geometry]
    _copy_rows(con, "units", frame.drop(columns="geometry").assign(geometry=_ewkb(multi)),
               UNIT_COLUMNS + ["geometry"])


def _copy_sites(con, sites: gpd.GeoDataFrame) -> None:
    if not len(sites):
        return
    frame = sites[SITE_COLUMNS + ["geometry"]].to_crs(STORE_CRS)
    _copy_rows(con, "sites", frame.drop(columns="geometry").assign(
        geometry=_ewkb(list(frame.geometry))), SITE_COLUMNS + ["geometry"])


def _ewkb(geometries) -> list[str | None]:
    """Hex EWKB with SRID 4326: what PostGIS takes for a geometry in COPY's text."""
    shapes = shapely.set_srid(pd.Series(geometries, dtype=object).to_numpy(), 4326)
    return list(shapely.to_wkb(shapes, hex=True, include_srid=True))
