"""Bring a store to the schema this release writes, or say why it cannot be opened.

Both backends read the store's version the same way (:func:`stored_version`)
and apply the migrations of :mod:`geo.store.schema` it lacks, in order, inside
the caller's transaction, recording each in ``covermap_schema``.  Only a writer
migrates: :func:`needs_upgrade` refuses a reader on an older schema, and
everyone on a newer one.
"""

from __future__ import annotations

from geo.errors import StoreError
from geo.store import schema

# The record of migrations applied, in each dialect.
_SCHEMA_TABLE = {
    "gpkg": "CREATE TABLE IF NOT EXISTS covermap_schema (version INTEGER PRIMARY KEY, "
            "description TEXT NOT NULL, applied_at TEXT NOT NULL "
            "DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))",
    "postgis": "CREATE TABLE IF NOT EXISTS covermap_schema (version integer PRIMARY KEY, "
               "description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
}
_PARAM = {"gpkg": "?", "postgis": "%s"}


def stored_version(con, dialect: str) -> int:
    """The schema version of the store ``con`` holds; 0 when it holds none.

    The latest migration ``covermap_schema`` records; for a GeoPackage written
    before it existed, ``covermap_meta.schema_version``.
    """
    if table_exists(con, dialect, "covermap_schema"):
        row = con.execute("SELECT max(version) FROM covermap_schema").fetchone()
        if row[0] is not None:
            return int(row[0])
    if table_exists(con, dialect, "covermap_meta"):
        row = con.execute("SELECT value FROM covermap_meta "
                          "WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0
    return 0


def needs_upgrade(found: int, *, label: str, read_only: bool) -> bool:
    """Whether a store on schema ``found`` lacks migrations a writer would apply.

    Raises
    ------
    StoreError
        The store is newer than this release, or older and opened read-only.
    """
    latest = schema.latest_version()
    if found > latest:
        raise StoreError(reason="schema_newer", param="store", value=label, found=found,
                         latest=latest)
    if found < latest and read_only:
        raise StoreError(reason="schema_older_read_only", param="store", value=label,
                         found=found, latest=latest)
    return found < latest


def apply_migrations(con, dialect: str, found: int) -> list[int]:
    """Apply every migration after ``found`` in ``con``'s transaction; their numbers.

    In a GeoPackage a step on a layer GDAL has not written yet (``sites``
    before the first site import) is left out: GDAL writes the layer with the
    latest columns and :func:`geo.store.ddl.layer_sql` gives its indexes.
    """
    mark = _PARAM[dialect]
    con.execute(_SCHEMA_TABLE[dialect])
    recorded = {row[0] for row in con.execute("SELECT version FROM covermap_schema")}
    spatial = {name for name, table in schema.tables().items() if table.spatial}
    applied = []
    for migration in schema.MIGRATIONS:
        if migration.version > found:
            for step in migration.steps:
                if (dialect == "gpkg" and step.target in spatial
                        and not table_exists(con, dialect, step.target)):
                    continue
                for statement in step.sql(dialect):
                    con.execute(statement)
            applied.append(migration.version)
        if migration.version not in recorded:   # a GeoPackage's versions before this record
            con.execute(f"INSERT INTO covermap_schema (version, description) "
                        f"VALUES ({mark}, {mark})", (migration.version, migration.description))
    if applied and table_exists(con, dialect, "covermap_meta"):
        con.execute(f"UPDATE covermap_meta SET value = {mark} WHERE key = 'schema_version'",
                    (str(schema.latest_version()),))
    return applied


def migrate_postgis(con) -> list[int]:
    """Apply the migrations ``con``'s database lacks; return their numbers.

    ``con`` is a psycopg connection; the caller commits (one transaction).  An
    up-to-date database is only read: opening a store must not wait behind an
    import that holds the writer lock.
    """
    if stored_version(con, "postgis") >= schema.latest_version():
        return []
    con.execute("SELECT pg_advisory_xact_lock(%s)", (schema.WRITER_LOCK,))
    # Again, under the lock: another process may have applied them meanwhile.
    return apply_migrations(con, "postgis", stored_version(con, "postgis"))


def table_exists(con, dialect: str, name: str) -> bool:
    """Whether ``con``'s database has the table ``name``."""
    if dialect == "gpkg":
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        return con.execute(sql, (name,)).fetchone() is not None
    return con.execute("SELECT to_regclass(%s)", (name,)).fetchone()[0] is not None
