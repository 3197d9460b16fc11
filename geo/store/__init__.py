"""The store: everything covermap knows, behind one interface.

``Store(location)`` opens a GeoPackage file (the default, for one person)
or, for a ``postgresql://`` URL, a PostGIS database (for many users and
concurrent imports).  Both hold the same tables, made and upgraded by the
same migrations (:mod:`geo.store.schema`), and every command, page and
notebook reads and writes them through the interface of
:mod:`geo.store.base`, so neither knows which it has.

This module chooses the backend for a location and gathers the names callers
use; the backends import :mod:`geo.store.base`, never this module's choices.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from geo.store.base import (
    IMPORT_ID_TOKEN,
    UNDOABLE_KINDS,
    ImportRecord,
    Store,
    StoreContents,
    backend,
    register_backend,
)
from geo.store.schema import (
    HOUSEHOLD_KEY_COLUMNS,
    IMPORT_COLUMNS,
    PROGRESS_COLUMNS,
    RECORD_TABLES,
    SITE_COLUMNS,
    SUPERVISION_TABLES,
    UNIT_COLUMNS,
    UNMATCHED_COLUMNS,
    UNMATCHED_ROW_COLUMNS,
    VILLAGE_TABLES,
    latest_version,
    village_columns,
)

__all__ = [
    "HOUSEHOLD_KEY_COLUMNS", "IMPORT_COLUMNS", "IMPORT_ID_TOKEN", "PROGRESS_COLUMNS",
    "RECORD_TABLES", "SCHEMA_VERSION", "SITE_COLUMNS", "SUPERVISION_TABLES", "UNDOABLE_KINDS",
    "UNIT_COLUMNS", "UNMATCHED_COLUMNS", "UNMATCHED_ROW_COLUMNS", "VILLAGE_TABLES",
    "ImportRecord", "Store", "StoreContents", "copy_store", "is_database_url", "store_version",
    "village_columns",
]

# The schema version this release writes (as ``covermap_meta.schema_version`` holds it).
SCHEMA_VERSION = str(latest_version())


def is_database_url(location: str | Path) -> bool:
    """Whether ``location`` names a PostGIS database rather than a file."""
    return str(location).startswith(("postgresql://", "postgres://"))


# A URL is a PostGIS database (psycopg loaded only then); anything else a GeoPackage.
register_backend(is_database_url, lambda: import_module("geo.store.postgis").PostgisStore)
register_backend(lambda location: True,
                 lambda: import_module("geo.store.gpkg").GeoPackageStore)


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
    return backend(target).from_contents(target, contents), contents


def store_version(location: str | Path) -> tuple:
    """:attr:`Store.version` without opening the store: a watcher polling every
    few seconds (the wall) need not read the store's programme."""
    return backend(location).version_of(location)
