"""The use cases both edges call: the command line and every page do these through
here, so that a rule — who may import what, which store is read-only, what date
"today" is for the data — lives once.

- :func:`import_file`: a file of any kind into a store, as an account, inside a
  region, dry-run or strict, recorded with the account that made it;
- :func:`check_writable`: the built-in demo stores are read-only everywhere;
- :func:`default_as_of`: the data's date when none is asked for;
- :func:`write_ledger_template`, :func:`undo_import`, :func:`import_history`,
  :func:`map_source_of`, :func:`briefing_of`; copying a store is
  :func:`geo.store.copy_store`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from geo.accounts import Account
from geo.errors import UsageError
from geo.programme import Programme
from geo.progress import data_date
from geo.store import Store
from geo.units import check_level_below, descendants, find_region

IMPORT_KINDS = ("progress", "units", "sites", "households", "samples", "findings")
# A site import replaces its layer whole: one banner's file would replace every
# banner's, so only an admin may (where there are accounts).  A boundary file
# attaches to the units it names, so an editor may, inside their region; a
# register, or boundaries with ``replace``, stay an admin's.
LAYER_KINDS = ("sites",)
# Household records and samples count for the exit year of the file's date.
DATED_KINDS = ("households", "samples")
HISTORY_COLUMNS = ["import_id", "kind", "who", "at", "file", "as_of", "rows_read",
                   "matched", "unmatched", "refused", "undone"]


def is_builtin_demo(location: str | Path) -> bool:
    """Whether ``location`` is one of the demo stores covermap ships (``data/demo*.gpkg``)."""
    from geo.demo import demo_path
    from geo.programme import available_programmes

    if not location or str(location).startswith(("postgresql://", "postgres://")):
        return False
    demos = {demo_path(key).resolve() for key in available_programmes()}
    return Path(location).resolve() in demos


def check_writable(location: str | Path | None) -> None:
    """Refuse a write into a built-in demo (it is rebuilt from its seed: anything
    imported into it would be lost).  A demo built elsewhere with ``--store`` is
    its user's to write into.

    Raises
    ------
    UsageError
        ``location`` is None (the default demo) or a built-in demo.
    """
    if not location or is_builtin_demo(location):
        raise UsageError(reason="demo_read_only", param="store", value=str(location or ""))


def default_as_of(store: Store) -> dt.date:
    """The data's date when none is asked for: the latest date for which the store
    holds progress figures, store-wide (the programme's start if it holds none).

    Never the wall clock.  Supervision pages that also count visits and status
    changes use :func:`geo.supervision.rounds.supervision_as_of` instead.
    """
    return data_date(store.snapshot_dates(), store.programme)


def import_kinds(programme: Programme, account: Account | None) -> list[str]:
    """The kinds of import ``account`` may make into a store of ``programme``."""
    return [k for k in IMPORT_KINDS
            if (k not in LAYER_KINDS or account is None or account.can("admin"))
            and (k != "units" or account is None or account.can("editor"))
            and (k not in DATED_KINDS or programme.has_exit_rules)]


def is_register_table(path) -> bool:
    """Whether a units file is a register (a table of codes and names: csv, xlsx, xls)
    rather than boundaries (shapefile, GeoPackage, GeoJSON, zip)."""
    name = Path(path).name.lower()
    return name.endswith((".csv", ".csv.gz", ".xlsx", ".xls", ".txt"))


def import_file(store: Store, path: str | Path, *, kind: str = "progress",
                account: Account | None = None, region: str | None = None,
                level: str | None = None, as_of: dt.date | None = None,
                sheet: str | None = None, encoding: str | None = None, crs: str | None = None,
                code_field: str | None = None, name_field: str | None = None,
                parent_field: str | None = None, id_key: bytes | None = None,
                dry_run: bool = False, strict: bool = False, partial: bool = False,
                replace: bool = False, retire: bool = False,
                progress: Callable[[float, str], None] | None = None):
    """Import ``path`` as ``kind`` into ``store``, as ``account``.

    Parameters
    ----------
    kind
        One of :data:`IMPORT_KINDS`.
    account
        Who imports (None where the app runs without accounts: the machine's
        user is recorded).  Every kind records it; an editor's rows (ledgers,
        boundaries) must lie in their region; sites, registers and ``replace``
        are an admin's only.
    region
        The region the rows may touch (a ledger's or sheet's rows are joined
        inside it).
    as_of
        The file's date: a ledger's when it has no 截至 row; required for
        household records and samples (its year is the exit year).
    id_key
        The key of the ID numbers' HMAC, for household records (default the
        ``COVERMAP_ID_KEY`` setting).
    dry_run, strict
        Report only; refuse the whole file when any row is unmatched.
    partial
        A ledger that joins too few of its rows
        (:data:`geo.imports.causes.MIN_JOIN_RATE`) lands its matched rows
        anyway; without it, nothing is stored and :class:`JoinRefused` is raised.
    replace
        A boundary file replaces the units of its codes whole, as boundary imports
        did before they attached (:mod:`geo.imports.units`; units only, an admin's).
    retire
        A register (a table of codes, :mod:`geo.imports.register`) removes the
        townships and villages under its counties that it lacks; without it they are
        listed and kept.
    progress
        Called with (fraction done, stage) as a ledger is read.

    Returns
    -------
    ImportReport
        What was read, joined and kept (or would be, on a dry run).

    Raises
    ------
    UsageError, AccessError, InputError, StoreError
        The kind or account does not allow it, or the file cannot be read.
    JoinRefused
        Too few of a ledger's rows joined (an :class:`InputError`; its ``report``
        says why, cause by cause; recorded as a refused import unless a dry run).
    """
    if kind not in IMPORT_KINDS:
        raise UsageError(reason="unknown_kind", param="kind", value=kind, kinds=IMPORT_KINDS)
    check_writable(store.path)
    if replace and kind != "units":
        raise UsageError(reason="replace_units_only", param="replace", kind=kind)
    register = kind == "units" and is_register_table(path)
    if account is not None and (kind in LAYER_KINDS or register):
        account.require("admin", f"replace_{kind}")
    if kind in DATED_KINDS and as_of is None:
        raise UsageError(reason="as_of_needed", param="as_of", kind=kind)
    who = account.name if account else ""
    common = dict(dry_run=dry_run, strict=strict)
    if kind == "progress":
        from geo.imports.progress import import_ledger

        return import_ledger(store, path, level=level, region=region, as_of=as_of, sheet=sheet,
                             encoding=encoding, account=account, progress=progress,
                             partial=partial, **common)
    if register:
        from geo.imports.register import import_register

        return import_register(store, path, sheet=sheet, who=who, retire=retire, **common)
    if kind == "units":
        from geo.imports.points import import_unit_points, is_point_file
        from geo.imports.units import import_units

        if is_point_file(path):
            # Villages as points (their committee's seat): where they lie, not boundaries.
            return import_unit_points(store, path, encoding=encoding, crs=crs,
                                      code_field=code_field, name_field=name_field, who=who,
                                      account=account, **common)
        return import_units(store, path, level=level, encoding=encoding, crs=crs,
                            code_field=code_field, name_field=name_field,
                            parent_field=parent_field, replace=replace, account=account,
                            who=who, **common)
    if kind == "sites":
        from geo.imports.sites import import_sites

        return import_sites(store, path, encoding=encoding, crs=crs, sheet=sheet, who=who,
                            **common)
    if kind == "findings":
        from geo.imports.findings import import_findings

        return import_findings(store, path, region=region, sheet=sheet, encoding=encoding,
                               account=account, who=who, **common)
    options = dict(year=as_of.year, region=region, sheet=sheet, encoding=encoding,
                   account=account, **common)
    if kind == "households":
        from geo.exit.households import id_key_from
        from geo.imports.households import import_households
        from geo.settings import Settings

        key = id_key or id_key_from(Settings.from_env().id_key)
        return import_households(store, path, id_key=key, **options)
    from geo.imports.samples import import_samples

    return import_samples(store, path, **options)


def template_units(units: pd.DataFrame, *, region: str, level: str) -> pd.DataFrame:
    """The units a ledger template of ``level`` inside ``region`` lists, in code order,
    each with its township's name where it has one (``township_name``)."""
    top = find_region(units, region)
    check_level_below(top, level)
    listed = descendants(units, top["code"])
    listed = listed[listed["level"] == level].copy()
    names = dict(zip(units["code"], units["name"]))
    levels = dict(zip(units["code"], units["level"]))
    listed["township_name"] = listed["parent_code"].map(
        lambda c: names.get(c) if levels.get(c) == "township" else None)
    return listed.sort_values("code")


def write_ledger_template(store: Store, out, *, region: str, level: str) -> tuple[pd.Series, int]:
    """Write the ledger template of ``level`` inside ``region`` to ``out`` (a path or a
    binary buffer); returns the region and the number of units listed.  The
    template imports back with no unmatched row."""
    from geo.ledger import write_template

    units = store.units()
    top = find_region(units, region)
    listed = template_units(units, region=top["code"], level=level)
    write_template(listed, store.programme, out, level=level, region_name=top["name"])
    return top, len(listed)


def undo_import(store: Store, import_id: int, *, account: Account | None) -> int:
    """Undo import ``import_id`` (a recorded reversal, nothing deleted); returns the
    undo's own import id.  An admin undoes anyone's import, an editor their own.

    Raises
    ------
    AccessError
        ``account`` may not undo that import.
    UsageError
        The store is a built-in demo.
    CovermapError
        There is no such import, it replaced a layer (sites, or units before schema
        5), it is undone already, or units it changed have changed since.
    """
    check_writable(store.path)
    imports = store.imports().set_index("import_id")
    if account is not None and import_id in imports.index:
        account.check_undo(import_id, imports.loc[import_id, "who"])
    if import_id in imports.index and is_refused(imports.loc[import_id, "report"]):
        raise UsageError(reason="undo_refused_import", param="import_id", value=import_id)
    return store.undo(import_id, who=account.name if account else "")


def import_history(store: Store) -> pd.DataFrame:
    """The store's imports, newest first: :data:`HISTORY_COLUMNS` (``refused`` says
    that too few of its rows joined and it stored no figure, ``undone`` whether an
    undo has set the import's figures aside)."""
    imports = store.imports()
    undone = store.undone()
    history = imports.assign(undone=imports["import_id"].isin(undone),
                             refused=imports["report"].map(is_refused).astype(bool))
    return history[HISTORY_COLUMNS].iloc[::-1].reset_index(drop=True)


def is_refused(report) -> bool:
    """Whether a stored report is of an import refused for joining too few rows."""
    return isinstance(report, str) and bool(json.loads(report or "{}").get("refused"))


def undone_by(store: Store, import_id: int) -> int | None:
    """The undo that set ``import_id`` aside (the latest, if undone twice)."""
    imports = store.imports()
    undos = [int(r.import_id) for r in imports.itertuples() if r.kind == "undo"
             and json.loads(r.report or "{}").get("undoes") == import_id]
    return undos[-1] if undos else None


def map_source_of(store: Store):
    """The store read once for the maps and decks drawn from it
    (:class:`geo.map_view.MapSource`), with the settings' credit line and map
    approval number (审图号) that every exported map carries."""
    from geo.map_view import MapSource
    from geo.settings import Settings

    settings = Settings.from_env()
    return MapSource.from_store(store, credit=settings.map_credit,
                                approval=settings.map_approval)


def briefing_of(store: Store, source, *, region: str | None, as_of: dt.date | None):
    """Tomorrow's briefing on ``region`` (:func:`geo.briefing.build_briefing`) with the
    store's audit trail for its data-quality page."""
    from geo.briefing import build_briefing

    # A refused or undone import's unmatched rows are no one's to correct: not counted.
    imports = store.imports()
    set_aside = store.undone() | {i for i, report in zip(imports["import_id"], imports["report"])
                                  if is_refused(report)}
    unmatched = store.unmatched()
    return build_briefing(source, region=region, as_of=as_of, imports=imports,
                          unmatched=unmatched[~unmatched["import_id"].isin(set_aside)])
