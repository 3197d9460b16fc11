"""covermap command line: a thin layer over geo/.

Exit codes: 0 success, 1 bad input (one clear line, then details), 2 usage.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from commands.common import FORMATS, acting_account, emit, open_store
from commands.common import iso_date as _date
from commands.exit import add_exit_command
from commands.supervision import add_supervision_commands
from commands.user import add_user_command
from geo.errors import CovermapError, UsageError
from geo.i18n.errors import detail_lines

MAP_FORMATS = ("png", "svg", "pdf")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args) or 0
    except UsageError as exc:
        print(f"covermap: {_said(exc)}", file=sys.stderr)
        return 2
    except CovermapError as exc:
        print(f"error: {_said(exc)}", file=sys.stderr)
        for line in detail_lines(exc, "en", label=_flag(exc)):
            print(f"  {line}", file=sys.stderr)
        return 1


def _said(error: CovermapError) -> str:
    """The error in English, naming the input by its flag (``--region``)."""
    from geo.i18n.errors import error_text

    return error_text(error, "en", label=_flag(error))


def _flag(error: CovermapError) -> str | None:
    from geo.i18n.errors import cli_flag

    return cli_flag(error.param) if error.param else None


# -- commands -------------------------------------------------------------

def cmd_init(args) -> int:
    from geo.cnmaps import boundary_source, units_from_cnmaps
    from geo.programme import LEVELS
    from geo.store import Store

    regions = [r.strip() for r in args.region.split(",") if r.strip()]
    if not regions:
        raise UsageError("--region needs at least one code or name, e.g. --region 150200")
    units = units_from_cnmaps(regions)
    store = Store.create(args.store, units, programme=args.programme, synthetic=False,
                         boundary_source=boundary_source(), region=",".join(regions))
    if not args.no_register:
        from geo.imports.register import import_register
        from geo.register import REGISTER_DATE, REGISTER_FILE, REGISTER_NAME

        report = import_register(store, REGISTER_FILE, who=os.environ.get("COVERMAP_USER", ""))
        print(f"{REGISTER_NAME} ({REGISTER_DATE}):", *report.lines(), sep="\n  ")
    counts = store.units()["level"].value_counts()
    print(f"{store.label}: {store.programme.name_zh} store with "
          + ", ".join(f"{counts[level]} {level}" for level in LEVELS if level in counts))
    return 0


def cmd_demo(args) -> int:
    from geo.demo import build_demo
    from geo.store import Store, is_database_url

    if args.store and is_database_url(args.store):
        raise UsageError("the demo is built into a file; copy it into PostGIS with "
                         "`python cli.py copy-store data/demo.gpkg postgresql://...`")
    path = Path(args.store) if args.store else _demo_path(args.programme)
    # Rebuilding replaces the file: only ever a demo's.
    if path.exists() and not Store(path).synthetic:
        raise UsageError(f"{path} holds real figures; `demo` only replaces a demo store")
    store = build_demo(path, programme=args.programme, overwrite=True, progress=True)
    print(f"{store.path}: synthetic demo of {store.programme.name_zh}, "
          f"{len(store.units(level='village'))} villages, "
          f"snapshots {', '.join(d.isoformat() for d in store.snapshot_dates())}")
    return 0


def cmd_units(args) -> int:
    from geo.units import descendants, find_region

    store = open_store(args)
    units = store.units()
    if args.region:
        top = find_region(units, args.region)
        units = descendants(units, top["code"])
    if args.level:
        units = units[units["level"] == args.level]
    emit(units[["code", "name", "level", "parent_code"]], args)
    return 0


def cmd_summary(args) -> int:
    from geo.summary import summarise

    store = open_store(args)
    table = summarise(store.units(), store.progress(until=args.as_of), store.programme,
                      level=args.level, region=args.region, item=args.item,
                      as_of=args.as_of, snapshot_dates=store.snapshot_dates())
    if args.format == "table":
        table = _readable_summary(table, store.programme)
    emit(table, args)
    return 0


def cmd_gaps(args) -> int:
    from geo.gaps import uncovered_villages
    from geo.units import find_region

    from geo.actions import default_as_of

    store = open_store(args)
    as_of = args.as_of or default_as_of(store)
    units = store.units()
    table = uncovered_villages(units, store.progress(until=as_of), store.programme,
                               region=args.region, item=args.item, as_of=as_of)
    if args.format == "xlsx":
        from geo.gaps_xlsx import write_gaps_xlsx

        if not args.out:
            raise UsageError("--format xlsx needs --out FILE.xlsx")
        write_gaps_xlsx(table, store.programme, args.out, as_of=as_of,
                        synthetic=store.synthetic,
                        region_name=find_region(units, args.region)["name"])
        print(f"{args.out}: {len(table)} villages")
        return 0
    emit(table, args)
    _say_unreported(store, units, as_of, args)
    return 0


def _say_unreported(store, units, as_of, args) -> None:
    """A village that never reported an item may lack it too: say how many, on stderr,
    so that a planner does not take the list for all there is."""
    from geo.gaps import village_gaps

    gaps = village_gaps(units, store.progress(until=as_of), store.programme,
                        region=args.region, as_of=as_of)
    silent = gaps["unreported"].map(lambda items: bool(items) and (
        args.item is None or args.item in items))
    if silent.any():
        what = f"'{args.item}'" if args.item else "some item"
        print(f"note: {int(silent.sum())} villages never reported {what} by {as_of}: "
              "not listed here, they may lack it too", file=sys.stderr)


def cmd_template(args) -> int:
    from geo.actions import write_ledger_template

    top, count = write_ledger_template(open_store(args), args.out, region=args.region,
                                       level=args.level)
    print(f"{args.out}: template for {count} {args.level} units of {top['name']}")
    return 0


def cmd_import(args) -> int:
    from geo.actions import import_file
    from geo.imports.causes import JoinRefused

    try:
        report = import_file(open_store(args, writing=True), args.file, kind=args.kind,
                             account=acting_account(args), region=args.region,
                             level=args.level, as_of=args.as_of, sheet=args.sheet,
                             encoding=args.encoding, crs=args.crs, code_field=args.code_field,
                             name_field=args.name_field, parent_field=args.parent_field,
                             dry_run=args.dry_run, strict=args.strict, partial=args.partial,
                             replace=args.replace, retire=args.retire)
    except JoinRefused as refused:
        # Its report is the message: how few joined, then why, cause by cause, and the fix.
        head, *rest = refused.report.lines()
        print(f"error: {head}", *rest, sep="\n", file=sys.stderr)
        return 1
    print("\n".join(report.lines()))
    return 0


def cmd_history(args) -> int:
    from geo.actions import import_history

    emit(import_history(open_store(args)), args)
    return 0


def cmd_export_map(args) -> int:
    from geo.map_view import map_series, map_view, series_length

    if args.format and not args.each:
        raise UsageError("--format goes with --each; one map takes its format from --out")
    kind = (args.format or "png") if args.each else Path(args.out).suffix.lower().lstrip(".")
    if kind not in MAP_FORMATS:
        raise UsageError(f"--out {args.out}: give a .png, .svg or .pdf file")
    out = Path(args.out)
    if args.each == "item" and args.item:
        raise UsageError("--each item draws every item; leave out --item")
    if args.each:
        # A series goes into a folder of its own: made if need be.
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CovermapError(f"cannot make the folder {out}: {exc.strerror or exc}") from None
    elif not out.parent.is_dir():
        raise CovermapError(f"cannot write to {out.parent}: the directory does not exist")
    source = _map_source(args)
    if not args.each:
        view = map_view(source, level=args.level, region=args.region, item=args.item,
                        as_of=args.as_of)
        _write_map(view, out, args)
        print(f"{out}: {args.level} map of {view.region['name']}, {len(view.table)} units, "
              f"{view.item}, as of {view.as_of.isoformat()}")
        return 0
    from tqdm import tqdm

    series = map_series(source, each=args.each, level=args.level, region=args.region,
                        item=args.item, as_of=args.as_of)
    total = series_length(source, each=args.each, region=args.region)
    written = 0
    for stem, view in tqdm(series, total=total, unit="map", file=sys.stderr,
                           disable=total < 2):
        _write_map(view, out / f"{stem}.{kind}", args)
        written += 1
    print(f"{out}: {written} {args.level} maps, one per {args.each}")
    return 0


def cmd_briefing(args) -> int:
    import tempfile

    from geo.actions import briefing_of
    from layers.deck.briefing import write_deck

    out = Path(args.out)
    kind = out.suffix.lower()
    if kind not in (".pptx", ".pdf"):
        raise UsageError(f"--out {args.out}: give a .pptx or .pdf file")
    if not out.parent.is_dir():
        raise CovermapError(f"cannot write {out}: directory {out.parent} does not exist")
    store = open_store(args)
    source = _map_source(args, store)
    briefing = briefing_of(store, source, region=args.region, as_of=args.as_of)
    with tempfile.TemporaryDirectory(prefix="covermap-deck-") as work:
        # Written aside first: a failed run leaves yesterday's deck as it was.
        deck = Path(work, "briefing.pptx")
        slides = write_deck(briefing, deck, lang=args.lang)
        made = deck
        if kind == ".pdf":
            from geo.office import pptx_to_pdf

            made = pptx_to_pdf(deck, Path(work, "briefing.pdf"))
        try:
            shutil.move(made, out)
        except OSError as exc:
            raise CovermapError(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"{out}: briefing on {briefing.region['name']} as of {briefing.as_of.isoformat()}, "
          f"{sum(slides.values())} slides ({', '.join(f'{n} {k}' for k, n in slides.items())})")
    return 0


def cmd_undo(args) -> int:
    from geo.actions import undo_import

    store = open_store(args, writing=True)
    undo_id = undo_import(store, args.import_id, account=acting_account(args))
    row = store.imports().set_index("import_id").loc[args.import_id]
    what = ("the units it added or changed are as they were" if row["kind"] == "units"
            else "its figures are set aside, nothing is deleted")
    print(f"{store.label}: import {args.import_id} ({row['file']}, {row['kind']}) undone "
          f"by import {undo_id}; {what} (undo {undo_id} to bring them back)")
    return 0


def cmd_copy_store(args) -> int:
    from geo.store import copy_store

    copied, contents = copy_store(args.source, args.target)
    print(f"{copied.label}: copied {len(contents.units):,} units, {len(contents.sites):,} "
          f"sites, {len(contents.progress):,} figures, {len(contents.imports):,} imports "
          f"and {len(contents.unmatched):,} unmatched rows")
    return 0


def _write_map(view, path: Path, args) -> None:
    from layers.static.map import build_map_figure, save_map

    fig = build_map_figure(view, size=args.size, theme=args.theme, lang=args.lang)
    try:
        save_map(fig, path)
    except OSError as exc:
        raise CovermapError(f"cannot write {path}: {exc.strerror or exc}") from None


def _map_source(args, store=None):
    from geo.actions import map_source_of

    return map_source_of(store or open_store(args))


# -- plumbing -------------------------------------------------------------

def _demo_path(programme: str) -> Path:
    from geo.demo import demo_path

    return demo_path(programme)


def _readable_summary(table, programme):
    labels = {i.key: i.short_zh for i in programme.items} | {"overall": "综合"}
    order = {key: n for n, key in enumerate(labels)}
    # People read a ranking from the top: by item, then rank.
    table = table.sort_values(["item", "rank"], key=lambda c: c.map(order) if c.name == "item"
                              else c, na_position="last", kind="stable")
    readable = table.assign(item=table["item"].map(labels))
    readable["stale"] = readable["stale"].map({True: "过期", False: ""})
    return readable[["code", "name", "item", "target", "completed", "pct", "rank",
                     "movement", "as_of", "source", "stale", "disagreement"]]


def _parser() -> argparse.ArgumentParser:
    from geo.imports.causes import MIN_JOIN_RATE
    from geo.programme import LEVELS, available_programmes

    parser = argparse.ArgumentParser(prog="cli.py", description=(
        "covermap (全覆盖作战图): progress of a rural coverage programme, village by village."))
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name, run, help_text, *, store=True):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(run=run)
        if store:
            sub.add_argument("--store", help="a .gpkg file or a postgresql:// URL (default: "
                             "$COVERMAP_STORE, else the programme's demo)")
        return sub

    init = command("init", cmd_init, "create a store from real county boundaries", store=False)
    init.add_argument("--store", required=True)
    init.add_argument("--region", required=True, help="codes or names, comma-separated")
    init.add_argument("--programme", default="ten_full_coverage", choices=available_programmes())
    init.add_argument("--no-register", action="store_true",
                      help="counties only: no townships and villages from the shipped "
                           "2016 统计用区划代码 (for an office importing its own boundaries)")

    demo = command("demo", cmd_demo, "build the synthetic demo store")
    demo.add_argument("--programme", default="ten_full_coverage", choices=available_programmes())

    template = command("template", cmd_template, "write a ledger template to fill in")
    template.add_argument("--region", required=True)
    template.add_argument("--level", required=True, choices=LEVELS)
    template.add_argument("--out", required=True)

    imp = command("import", cmd_import, "import a ledger, boundaries or project sites")
    imp.add_argument("file")
    imp.add_argument("--kind", default="progress",
                     choices=["progress", "units", "sites", "households", "samples", "findings"])
    imp.add_argument("--level", choices=LEVELS)
    imp.add_argument("--region")
    imp.add_argument("--as-of", type=_date)
    imp.add_argument("--sheet")
    imp.add_argument("--encoding")
    imp.add_argument("--crs")
    imp.add_argument("--dry-run", action="store_true")
    imp.add_argument("--strict", action="store_true",
                     help="refuse the whole file when any row joins no unit")
    imp.add_argument("--partial", action="store_true", help=(
        f"a ledger that joins fewer than {MIN_JOIN_RATE * 100:.0f}%% of its data rows stores "
        "nothing and exits 1, saying why; --partial lands its matched rows anyway"))
    imp.add_argument("--replace", action="store_true", help=(
        "boundaries (--kind units): replace each unit of the file's codes whole — name, "
        "parent and boundary — instead of giving the units the file names their "
        "boundaries; an admin's"))
    imp.add_argument("--retire", action="store_true", help=(
        "a register (--kind units, a table of codes): remove the store's townships and "
        "villages under its counties that it lacks (listed, and kept, without it)"))
    imp.add_argument("--code-field")
    imp.add_argument("--name-field")
    imp.add_argument("--parent-field")
    imp.add_argument("--user", help="the account importing (default $COVERMAP_USER), "
                     "when there are accounts")

    units = command("units", cmd_units, "list the store's units")
    units.add_argument("--level", choices=LEVELS)
    units.add_argument("--region")
    units.add_argument("--format", default="table", choices=FORMATS)

    summary = command("summary", cmd_summary, "completion per unit and item, ranked")
    summary.add_argument("--level", required=True, choices=LEVELS)
    summary.add_argument("--region")
    summary.add_argument("--item")
    summary.add_argument("--as-of", type=_date)
    summary.add_argument("--format", default="table", choices=FORMATS)

    gaps = command("gaps", cmd_gaps, "villages still missing an item")
    gaps.add_argument("--region")
    gaps.add_argument("--item")
    gaps.add_argument("--as-of", type=_date)
    gaps.add_argument("--format", default="table", choices=FORMATS + ("xlsx",))
    gaps.add_argument("--out")

    export = command("export-map", cmd_export_map, "print-quality maps (PNG, SVG or PDF)")
    export.add_argument("--level", required=True, choices=LEVELS, help="the units drawn")
    export.add_argument("--region")
    export.add_argument("--item")
    export.add_argument("--as-of", type=_date)
    export.add_argument("--out", required=True,
                        help="FILE.png|.svg|.pdf, or with --each a directory")
    export.add_argument("--each", choices=["league", "county", "township", "item"],
                        help="a map per unit of this level inside the region, or per item")
    export.add_argument("--format", choices=MAP_FORMATS,
                        help="the files --each writes (default png)")
    export.add_argument("--size", default="slide", choices=["a4", "slide", "wall"])
    export.add_argument("--theme", default="light", choices=["light", "dark"])
    export.add_argument("--lang", default="zh", choices=["zh", "en"])

    history = command("history", cmd_history, "the imports: who, when, which file, "
                      "rows read and joined, undone or not")
    history.add_argument("--format", default="table", choices=FORMATS)

    undo = command("undo", cmd_undo, "undo a ledger import (recorded, never deleted)")
    undo.add_argument("import_id", type=int, metavar="IMPORT_ID")
    undo.add_argument("--user", help="the account undoing (default $COVERMAP_USER)")

    add_user_command(command)

    add_exit_command(command)

    add_supervision_commands(command)

    copy = command("copy-store", cmd_copy_store, "copy a store, e.g. a GeoPackage into "
                   "PostGIS and back; nothing is lost", store=False)
    copy.add_argument("source", metavar="SRC", help="a .gpkg file or a postgresql:// URL")
    copy.add_argument("target", metavar="DST", help="a new .gpkg file, or an empty database")

    briefing = command("briefing", cmd_briefing, "a briefing deck for a meeting (PPTX or PDF)")
    briefing.add_argument("--region")
    briefing.add_argument("--as-of", type=_date)
    briefing.add_argument("--out", required=True, help="FILE.pptx, or FILE.pdf (LibreOffice)")
    briefing.add_argument("--lang", default="zh", choices=["zh", "en"])
    return parser


if __name__ == "__main__":
    sys.exit(main())
