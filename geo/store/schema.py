"""The store's schema, once: numbered migrations that both backends apply in order.

The tables and their columns are what the migrations leave (:func:`columns`);
the column lists every module uses (:data:`UNIT_COLUMNS`, :data:`PROGRESS_COLUMNS`
…) are read from them.  A store records each migration it has had in
``covermap_schema`` (version, what it does, when) and the latest in
``covermap_meta.schema_version``; :mod:`geo.store.migrate` applies the rest when
a writer opens it.  A migration is never edited once released; a change is a
new one at the end.  Versions 1–3 are those the PostGIS store had before the
GeoPackage shared them; a GeoPackage written before then says ``schema_version``
1 and gets 2 and 3 (tables it may already hold are left as they are).  Version 4
gives an unmatched row its reason's words (``reason_key``, ``reason_fields``).
Version 5 keeps each unit a units import changed as it was before and after
(``unit_changes``), so that a boundary or register import can be undone.  Version 6
keeps the points an office's point file gives units that have no boundary
(``unit_points``, WGS84 longitude and latitude).
"""

from __future__ import annotations

from geo.store.ddl import (
    AddColumn,
    Column,
    CreateIndex,
    CreateTable,
    Extension,
    Migration,
    Table,
    tables_after,
)


def _import_id() -> Column:
    return Column("import_id", "integer", not_null=True, references="imports")


def _reals(*names: str) -> tuple[Column, ...]:
    return tuple(Column(name, "real") for name in names)


def _texts(*names: str) -> tuple[Column, ...]:
    return tuple(Column(name, "text") for name in names)


FID = Column("fid", "fid")

MIGRATIONS: list[Migration] = [
    Migration(1, "the store's tables, spatial indexes on every geometry", (
        Extension("postgis"),
        CreateTable(Table("covermap_meta", (Column("key", "key"), Column("value", "text")))),
        CreateTable(Table("units", (
            FID, Column("code", "text", not_null=True, unique=True),
            *_texts("name", "level", "kind", "parent_code", "aliases"),
            *_reals("population", "households"), Column("geometry", "multipolygon")))),
        CreateIndex("units_parent", "units", ("parent_code",)),
        # Only PostGIS: a GeoPackage stays small, and reads a level by scanning.
        CreateIndex("units_level", "units", ("level",), only="postgis"),
        CreateIndex("units_geometry", "units", ("geometry",), spatial=True),
        CreateTable(Table("imports", (
            Column("import_id", "serial"), Column("kind", "text", not_null=True),
            *_texts("who", "at", "file", "sha256", "as_of", "level"),
            *(Column(n, "integer") for n in ("rows_read", "matched", "unmatched")),
            Column("report", "text")))),
        CreateTable(Table("progress", (
            FID, Column("as_of", "date", not_null=True),
            Column("unit_code", "text", not_null=True), Column("item", "text", not_null=True),
            *_reals("target", "started", "completed"), Column("status", "text"),
            _import_id(), Column("source_row", "integer")))),
        # No index by date: every read scans the figures up to a date anyway, and
        # such an index was a third of the demo's file.  Undo finds rows by import.
        CreateIndex("progress_by_import", "progress", ("import_id",)),
        CreateTable(Table("unmatched", (
            FID, Column("import_id", "integer", references="imports"),
            Column("source_row", "integer"),
            # What a row said, and why it joined no unit: enough to fix the file.
            *_texts("name", "parent_name", "code", "reason", "candidates"),
            # The row's figures (JSON), where a ledger had some: the template gives them back.
            Column("raw", "text")))),
        CreateTable(Table("sites", (
            FID, *_texts("site_id", "name", "item", "status", "start_date", "end_date"),
            Column("investment", "real"), Column("unit_code", "text"),
            Column("import_id", "integer"), Column("geometry", "point")))),
        CreateIndex("sites_geometry", "sites", ("geometry",), spatial=True),
        CreateIndex("sites_unit", "sites", ("unit_code",)),
    )),
    Migration(2, "household records as village counts (ID numbers only as HMACs), "
                 "assessment samples", (
        CreateTable(Table("households", (
            FID, _import_id(), Column("year", "integer"),
            Column("unit_code", "text", not_null=True),
            *_reals("households", "people", "poor_households", "poor_people",
                    "exited_households", "returned_households", "due_households",
                    "due_people", "due_failing", "fail_income", "fail_two_assurances",
                    "fail_education", "fail_medical", "fail_housing")))),
        CreateIndex("households_by_import", "households", ("import_id",)),
        CreateTable(Table("household_keys", (
            FID, _import_id(), Column("unit_code", "text"),
            Column("id_hmac", "text", not_null=True)))),
        CreateIndex("household_keys_by_hmac", "household_keys", ("id_hmac",)),
        CreateTable(Table("samples", (
            FID, _import_id(), Column("year", "integer"),
            Column("unit_code", "text", not_null=True),
            *_reals("surveyed", "satisfied", "exited_sampled", "wrongly_exited",
                    "non_registered_sampled", "missed")))),
        CreateIndex("samples_by_import", "samples", ("import_id",)),
    )),
    Migration(3, "supervision: the villages of each round, problems found, their status "
                 "changes", (
        CreateTable(Table("visits", (
            FID, _import_id(), Column("round", "integer"),
            Column("unit_code", "text", not_null=True), Column("team", "text"),
            Column("seq", "integer"), Column("reason", "text"), Column("visited_on", "text")))),
        CreateIndex("visits_by_import", "visits", ("import_id",)),
        CreateTable(Table("problems", (
            FID, _import_id(), Column("problem_id", "text", not_null=True),
            Column("round", "integer"),
            *_texts("unit_code", "found_on", "team", "category", "description", "severity",
                    "responsible", "deadline"), Column("source_row", "integer")))),
        CreateIndex("problems_by_import", "problems", ("import_id",)),
        CreateTable(Table("problem_events", (
            FID, _import_id(), Column("problem_id", "text", not_null=True),
            Column("status", "text", not_null=True), Column("on_date", "text"),
            Column("note", "text"), Column("source_row", "integer")))),
        CreateIndex("problem_events_by_problem", "problem_events", ("problem_id",)),
    )),
    Migration(4, "why a row joined no unit, as words of either language: the phrase's key "
                 "and its fields (JSON) beside the English reason", (
        # ``reason`` stays the English sentence that older stores hold and scripts read;
        # a page says the reason in its language from these (geo.i18n.errors).
        AddColumn("unmatched", Column("reason_key", "text")),
        AddColumn("unmatched", Column("reason_fields", "text")),
    )),
    Migration(5, "boundary and register imports undoable: each unit an import changed, as it "
                 "was before and after", (
        # side 'before' or 'after'; a unit the import added has no 'before', one it removed
        # no 'after'.  The boundary as hex WKB (canonical: normalised, multi): an attribute
        # table, not a second layer GDAL would have to keep.
        CreateTable(Table("unit_changes", (
            FID, _import_id(), Column("side", "text", not_null=True),
            Column("code", "text", not_null=True),
            *_texts("name", "level", "kind", "parent_code", "aliases"),
            *_reals("population", "households"), Column("geometry_wkb", "text")))),
        CreateIndex("unit_changes_by_import", "unit_changes", ("import_id",)),
    )),
    Migration(6, "where a unit without a boundary lies: a point an office's point file gives "
                 "it (a village committee's seat)", (
        CreateTable(Table("unit_points", (
            FID, _import_id(), Column("code", "text", not_null=True),
            *_reals("lon", "lat")))),
        CreateIndex("unit_points_by_import", "unit_points", ("import_id",)),
    )),
]

# Every upgrade and every write to a PostGIS store takes this lock inside its
# transaction, so writers take turns and import ids follow the order imports land in.
WRITER_LOCK = 0x636F7665  # "cove"

def latest_version() -> int:
    """The schema version this release writes: its last migration's number."""
    return MIGRATIONS[-1].version


def tables() -> dict[str, Table]:
    """Every table of the latest schema."""
    return tables_after(MIGRATIONS)


def columns(table: str) -> list[str]:
    """A table's columns as callers read and write them: no ``fid``, no geometry."""
    return [c.name for c in tables()[table].columns
            if c.type not in ("fid", "multipolygon", "point")]


UNIT_COLUMNS = columns("units")
SITE_COLUMNS = columns("sites")
PROGRESS_COLUMNS = columns("progress")
IMPORT_COLUMNS = columns("imports")
UNMATCHED_COLUMNS = columns("unmatched")
# An unmatched row as an import hands it over: the store adds the import's id.
UNMATCHED_ROW_COLUMNS = [c for c in UNMATCHED_COLUMNS if c != "import_id"]
HOUSEHOLD_KEY_COLUMNS = columns("household_keys")
# Figures a year and a village, for the poverty-exit tests: household records
# kept as counts only (geo.imports.households) and the assessment samples
# (geo.imports.samples).  Each table is named after the import kind filling it.
VILLAGE_TABLES = {table: columns(table)[3:] for table in ("households", "samples")}
# Supervision (geo.supervision.plan, geo.supervision.problems): the villages each
# round planned and visited, the problems found, and every change of a problem's
# status.  A problem's id is "IMPORT-N", N its place in the file that found it.
SUPERVISION_TABLES = {table: columns(table)
                      for table in ("visits", "problems", "problem_events")}


def village_columns(table: str) -> list[str]:
    """The columns of a table of :data:`VILLAGE_TABLES`."""
    return columns(table)


# The units a units import changed, before and after (geo.store.unit_changes).
UNIT_CHANGE_COLUMNS = columns("unit_changes")
# Every table whose rows an import adds, each row carrying its import's id.
RECORD_TABLES = {**{t: village_columns(t) for t in VILLAGE_TABLES},
                 "household_keys": HOUSEHOLD_KEY_COLUMNS, **SUPERVISION_TABLES,
                 "unit_changes": UNIT_CHANGE_COLUMNS, "unit_points": columns("unit_points")}
