"""The words a schema is written in: columns, tables, and the steps that change them.

A step is described once and rendered to each dialect — ``"gpkg"`` (SQLite in a
GeoPackage) or ``"postgis"`` (PostgreSQL with PostGIS) — where they differ:
column types, keys, spatial indexes.  In a GeoPackage the tables with geometry
(``units``, ``sites``) are layers that GDAL writes whole, so a step renders
nothing there that GDAL does itself; :func:`layer_sql` gives the indexes to add
after GDAL has written such a layer.
"""

from __future__ import annotations

from dataclasses import dataclass

DIALECTS = ("gpkg", "postgis")
# A column's type in each dialect: (GeoPackage/SQLite, PostgreSQL).
TYPES = {
    "text": ("TEXT", "text"),
    "integer": ("INTEGER", "integer"),
    "real": ("REAL", "double precision"),
    "date": ("TEXT", "date"),               # ISO text in SQLite, which has no date type
    "fid": ("INTEGER PRIMARY KEY AUTOINCREMENT", "bigserial PRIMARY KEY"),
    "serial": ("INTEGER PRIMARY KEY AUTOINCREMENT", "serial PRIMARY KEY"),
    "key": ("TEXT PRIMARY KEY", "text PRIMARY KEY"),
    "multipolygon": (None, "geometry(MultiPolygon, 4326)"),
    "point": (None, "geometry(Point, 4326)"),
}
GEOMETRY_TYPES = ("multipolygon", "point")


@dataclass(frozen=True)
class Column:
    """One column: its name, type (a key of :data:`TYPES`) and constraints.

    ``references`` names the table whose key the column holds; PostgreSQL
    enforces it, SQLite (foreign keys off, as GDAL leaves them) does not.
    """

    name: str
    type: str
    not_null: bool = False
    unique: bool = False
    references: str | None = None

    def sql(self, dialect: str) -> str:
        words = [self.name, TYPES[self.type][DIALECTS.index(dialect)]]
        if self.not_null:
            words.append("NOT NULL")
        if self.unique and dialect == "postgis":      # in a GeoPackage: a unique index
            words.append("UNIQUE")
        if self.references and dialect == "postgis":
            words.append(f"REFERENCES {self.references}")
        return " ".join(words)


@dataclass(frozen=True)
class Table:
    """A table as one migration creates it."""

    name: str
    columns: tuple[Column, ...]

    @property
    def spatial(self) -> bool:
        """Whether the table holds a geometry: a layer GDAL writes, in a GeoPackage."""
        return any(c.type in GEOMETRY_TYPES for c in self.columns)


@dataclass(frozen=True)
class CreateTable:
    """Create a table (in a GeoPackage, an attribute table QGIS lists)."""

    table: Table

    @property
    def target(self) -> str:
        return self.table.name

    def sql(self, dialect: str) -> list[str]:
        if dialect == "gpkg" and self.table.spatial:
            return []                     # GDAL creates the layer when it writes its rows
        columns = ", ".join(c.sql(dialect) for c in self.table.columns)
        statements = [f"CREATE TABLE IF NOT EXISTS {self.table.name} ({columns})"]
        if dialect == "gpkg":
            statements.append(
                "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, "
                f"last_change) VALUES ('{self.table.name}', 'attributes', "
                f"'{self.table.name}', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))")
        return statements


@dataclass(frozen=True)
class AddColumn:
    """Add a column to a table (empty in the rows already there)."""

    table: str
    column: Column

    @property
    def target(self) -> str:
        return self.table

    def sql(self, dialect: str) -> list[str]:
        return [f"ALTER TABLE {self.table} ADD COLUMN {self.column.sql(dialect)}"]


@dataclass(frozen=True)
class CreateIndex:
    """An index; ``spatial`` ones are GiST in PostGIS (GDAL keeps a GeoPackage's R-tree).

    ``only`` names the one dialect that has it, where the backends differ on purpose.
    """

    name: str
    table: str
    columns: tuple[str, ...]
    spatial: bool = False
    only: str | None = None

    @property
    def target(self) -> str:
        return self.table

    def sql(self, dialect: str) -> list[str]:
        if self.only not in (None, dialect) or (self.spatial and dialect == "gpkg"):
            return []
        using = " USING gist" if self.spatial else ""
        return [f"CREATE INDEX IF NOT EXISTS {self.name} ON {self.table}{using} "
                f"({', '.join(self.columns)})"]


@dataclass(frozen=True)
class Extension:
    """A PostgreSQL extension the schema needs (nothing in a GeoPackage)."""

    name: str
    target = None                                   # no table

    def sql(self, dialect: str) -> list[str]:
        return [f"CREATE EXTENSION IF NOT EXISTS {self.name}"] if dialect == "postgis" else []


Step = CreateTable | AddColumn | CreateIndex | Extension


@dataclass(frozen=True)
class Migration:
    """One numbered upgrade: a few steps, never edited once released."""

    version: int
    description: str
    steps: tuple[Step, ...]

    def sql(self, dialect: str) -> list[str]:
        """Its statements in ``dialect``, in order."""
        return [s for step in self.steps for s in step.sql(dialect)]


def tables_after(migrations: list[Migration]) -> dict[str, Table]:
    """Every table as the migrations leave it, columns in order."""
    tables: dict[str, Table] = {}
    for migration in migrations:
        for step in migration.steps:
            if isinstance(step, CreateTable):
                tables[step.table.name] = step.table
            elif isinstance(step, AddColumn):
                old = tables[step.table]
                tables[step.table] = Table(old.name, (*old.columns, step.column))
    return tables


def layer_sql(migrations: list[Migration], table: str) -> list[str]:
    """The indexes of a GeoPackage layer, to add each time GDAL writes it anew."""
    unique = [f"CREATE UNIQUE INDEX IF NOT EXISTS {table}_{c.name} ON {table} ({c.name})"
              for c in tables_after(migrations)[table].columns if c.unique]
    return unique + [s for m in migrations for step in m.steps
                     if isinstance(step, CreateIndex) and step.table == table
                     for s in step.sql("gpkg")]


def literal(value: str) -> str:
    """``value`` as an SQL string literal, for the few filters that cannot take
    parameters (GDAL's attribute filters)."""
    return "'" + str(value).replace("'", "''") + "'"
