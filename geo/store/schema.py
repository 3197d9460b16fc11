"""The PostGIS store's schema, as numbered upgrades applied in order.

A database is upgraded when a store is created in it or opened: every
upgrade it has not had runs, in one transaction with the others, and is
recorded in ``covermap_schema`` (version, what it does, when).  An upgrade
is never edited once released; a change is a new one at the end.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "the store's tables, spatial indexes on every geometry", """
        CREATE EXTENSION IF NOT EXISTS postgis;
        CREATE TABLE covermap_meta (key text PRIMARY KEY, value text);
        CREATE TABLE units (
            fid bigserial PRIMARY KEY, code text NOT NULL UNIQUE, name text, level text,
            kind text, parent_code text, aliases text, population double precision,
            households double precision,
            geometry geometry(MultiPolygon, 4326));
        CREATE INDEX units_parent ON units (parent_code);
        CREATE INDEX units_level ON units (level);
        CREATE INDEX units_geometry ON units USING gist (geometry);
        CREATE TABLE imports (
            import_id serial PRIMARY KEY, kind text NOT NULL, who text, at text,
            file text, sha256 text, as_of text, level text, rows_read integer,
            matched integer, unmatched integer, report text);
        CREATE TABLE progress (
            fid bigserial PRIMARY KEY, as_of date NOT NULL, unit_code text NOT NULL,
            item text NOT NULL, target double precision, started double precision,
            completed double precision, status text,
            import_id integer NOT NULL REFERENCES imports, source_row integer);
        CREATE INDEX progress_by_import ON progress (import_id);
        CREATE TABLE unmatched (
            fid bigserial PRIMARY KEY, import_id integer REFERENCES imports,
            source_row integer, name text, parent_name text, code text, reason text,
            candidates text, raw text);
        CREATE TABLE sites (
            fid bigserial PRIMARY KEY, site_id text, name text, item text, status text,
            start_date text, end_date text, investment double precision,
            unit_code text, import_id integer, geometry geometry(Point, 4326));
        CREATE INDEX sites_geometry ON sites USING gist (geometry);
        CREATE INDEX sites_unit ON sites (unit_code);
    """),
    (2, "household records as village counts (ID numbers only as HMACs), assessment "
        "samples", """
        CREATE TABLE households (
            fid bigserial PRIMARY KEY, import_id integer NOT NULL REFERENCES imports,
            year integer, unit_code text NOT NULL, households double precision,
            people double precision, poor_households double precision,
            poor_people double precision, exited_households double precision,
            returned_households double precision, due_households double precision,
            due_people double precision, due_failing double precision,
            fail_income double precision, fail_two_assurances double precision,
            fail_education double precision, fail_medical double precision,
            fail_housing double precision);
        CREATE INDEX households_by_import ON households (import_id);
        CREATE TABLE household_keys (
            fid bigserial PRIMARY KEY, import_id integer NOT NULL REFERENCES imports,
            unit_code text, id_hmac text NOT NULL);
        CREATE INDEX household_keys_by_hmac ON household_keys (id_hmac);
        CREATE TABLE samples (
            fid bigserial PRIMARY KEY, import_id integer NOT NULL REFERENCES imports,
            year integer, unit_code text NOT NULL, surveyed double precision,
            satisfied double precision, exited_sampled double precision,
            wrongly_exited double precision, non_registered_sampled double precision,
            missed double precision);
        CREATE INDEX samples_by_import ON samples (import_id);
    """),
    (3, "supervision: the villages of each round, problems found, their status changes", """
        CREATE TABLE visits (
            fid bigserial PRIMARY KEY, import_id integer NOT NULL REFERENCES imports,
            round integer, unit_code text NOT NULL, team text, seq integer, reason text,
            visited_on text);
        CREATE INDEX visits_by_import ON visits (import_id);
        CREATE TABLE problems (
            fid bigserial PRIMARY KEY, import_id integer NOT NULL REFERENCES imports,
            problem_id text NOT NULL, round integer, unit_code text, found_on text,
            team text, category text, description text, severity text, responsible text,
            deadline text, source_row integer);
        CREATE INDEX problems_by_import ON problems (import_id);
        CREATE TABLE problem_events (
            fid bigserial PRIMARY KEY, import_id integer NOT NULL REFERENCES imports,
            problem_id text NOT NULL, status text NOT NULL, on_date text, note text,
            source_row integer);
        CREATE INDEX problem_events_by_problem ON problem_events (problem_id);
    """),
]

# Every upgrade and every write takes this lock inside its transaction, so
# writers take turns and import ids follow the order imports land in.
WRITER_LOCK = 0x636F7665  # "cove"


def migrate(con) -> list[int]:
    """Apply the upgrades ``con``'s database lacks, in order; return their numbers.

    ``con`` is a psycopg connection; the caller commits (one transaction).  An
    up-to-date database is only read: opening a store must not wait behind an
    import that holds the writer lock.
    """
    if _applied(con) >= {version for version, _, _ in MIGRATIONS}:
        return []
    con.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK,))
    con.execute("CREATE TABLE IF NOT EXISTS covermap_schema (version integer PRIMARY KEY, "
                "description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
    done = _applied(con)            # again, under the lock: another process may have run them
    applied = []
    for version, description, sql in MIGRATIONS:
        if version in done:
            continue
        con.execute(sql)
        con.execute("INSERT INTO covermap_schema (version, description) VALUES (%s, %s)",
                    (version, description))
        applied.append(version)
    return applied


def _applied(con) -> set[int]:
    if con.execute("SELECT to_regclass('covermap_schema')").fetchone()[0] is None:
        return set()
    return {row[0] for row in con.execute("SELECT version FROM covermap_schema")}
