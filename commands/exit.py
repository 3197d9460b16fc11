"""``cli.py exit-check``: the poverty-exit tests of a year, from the shell.

    python cli.py exit-check --level village|county [--region CODE] [--year Y] [--failing]
                             [--format table|csv|json|xlsx] [--out FILE]

``--format xlsx`` writes the office list (geo/exit/xlsx.py): names, results and
failing criteria in words, with columns for the rectification.
"""

from __future__ import annotations

from commands.common import FORMATS, emit, open_store
from geo.errors import UsageError


def add_exit_command(command) -> None:
    """Add the ``exit-check`` sub-command with cli.py's sub-command maker."""
    check = command("exit-check", cmd_exit_check, "the poverty-exit tests of a year: "
                    "which villages or counties pass, which criterion fails")
    check.add_argument("--level", required=True, choices=["village", "county"])
    check.add_argument("--region")
    check.add_argument("--year", type=int, help="the exit year (default: the latest "
                       "household records')")
    check.add_argument("--failing", action="store_true", help="only the units that fail")
    check.add_argument("--due", action="store_true", help="only the villages with households "
                       "due to exit in the year")
    check.add_argument("--format", default="table", choices=FORMATS + ("xlsx",))
    check.add_argument("--out", help="write the table to this file (xlsx needs it)")


def cmd_exit_check(args) -> int:
    from geo.exit.readiness import exit_readiness, exit_year, readiness_table

    store = open_store(args)
    households = store.village_figures("households")
    year = args.year or exit_year(households)
    if year is None:
        raise UsageError("the store has no household records: import them with "
                         "`import FILE --kind households`, or give --year")
    readiness = exit_readiness(store.units(), store.progress(), households,
                               store.village_figures("samples"), store.programme,
                               level=args.level, region=args.region, year=year)
    table = readiness_table(readiness, store.programme, failing_only=args.failing,
                            due_only=args.due)
    if args.format != "xlsx":
        emit(table, args)
        return 0
    from geo.exit.xlsx import write_exit_xlsx
    from geo.units import find_region

    if not args.out:
        raise UsageError("--format xlsx needs --out FILE.xlsx")
    units = store.units()
    write_exit_xlsx(table, units, store.programme, args.out, level=args.level, year=year,
                    region_name=find_region(units, args.region)["name"],
                    synthetic=store.synthetic)
    print(f"{args.out}: {len(table)} {'villages' if args.level == 'village' else 'counties'}")
    return 0
