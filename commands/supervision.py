"""``cli.py plan-round`` and ``cli.py problems``: supervision rounds from the shell.

    python cli.py plan-round --region CODE --per-county N [--weight lagging]
                             [--allocate even|lag] [--include FILE] [--seed S]
                             [--as-of DATE] [--dry-run] --out FILE.xlsx
    python cli.py problems [--region CODE] [--as-of DATE] [--ledger] [--overdue]
                           [--format table|csv|json|xlsx] [--out FILE]

A plan is kept in the store as the next round (an import: ``undo`` sets it aside)
unless ``--dry-run``; the findings sheet of the round comes back with
``import FILE --kind findings``.  ``problems --format xlsx`` is the rectification
ledger (整改台账) the counties fill in and send back the same way.
"""

from __future__ import annotations

from pathlib import Path

from commands.common import FORMATS, acting_account, emit, iso_date, open_store
from geo.errors import CovermapError, UsageError


def add_supervision_commands(command) -> None:
    """Add ``plan-round`` and ``problems`` with cli.py's sub-command maker."""
    plan = command("plan-round", cmd_plan_round, "plan a supervision round: villages per "
                   "county's team, in visiting order, as Excel")
    plan.add_argument("--region", required=True)
    plan.add_argument("--per-county", type=int, required=True, metavar="N")
    plan.add_argument("--weight", choices=["lagging"],
                      help="favour the villages with more items missing")
    plan.add_argument("--allocate", default="even", choices=["even", "lag"],
                      help="N for each county, or the same total toward the lagging ones")
    plan.add_argument("--include", metavar="FILE",
                      help="a list of villages (村代码, or 乡镇 and 村) always visited")
    plan.add_argument("--seed", type=int, default=1, help="the same seed, the same plan")
    plan.add_argument("--as-of", type=iso_date)
    plan.add_argument("--dry-run", action="store_true", help="write the list, keep no round")
    plan.add_argument("--out", required=True, help="FILE.xlsx")
    plan.add_argument("--maps", metavar="DIR", help="also a route map (PNG) per team here")
    plan.add_argument("--user", help="the account planning (default $COVERMAP_USER)")

    problems = command("problems", cmd_problems, "problems found by supervision and "
                       "their rectification")
    problems.add_argument("--region")
    problems.add_argument("--as-of", type=iso_date, help="the date overdue is counted on "
                          "(default: the data's latest date)")
    problems.add_argument("--ledger", action="store_true",
                          help="per county: open, overdue, rectified, verified, rate")
    problems.add_argument("--overdue", action="store_true", help="only overdue problems")
    problems.add_argument("--format", default="table", choices=FORMATS + ("xlsx",))
    problems.add_argument("--out")


def cmd_plan_round(args) -> int:
    from geo.supervision.round_xlsx import plan_note, write_round_xlsx
    from geo.supervision.rounds import plan_store_round, read_include, record_round
    from geo.units import find_region

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"--out {args.out}: the visit list is an .xlsx file")
    if not out.parent.is_dir():
        raise CovermapError(f"cannot write {out}: directory {out.parent} does not exist")
    store = open_store(args, writing=not args.dry_run)
    account = acting_account(args)
    if account and not args.dry_run:
        account.require("editor", "plan_round")
    include = read_include(args.include, store, region=args.region) if args.include else {}
    plan, number = plan_store_round(store, region=args.region, per_county=args.per_county,
                                    allocate=args.allocate, weight=args.weight,
                                    include=include, seed=args.seed, as_of=args.as_of)
    region = find_region(store.units(), args.region)
    options = {"per_county": args.per_county, "allocate": args.allocate,
               "weight": args.weight, "include": args.include}
    note = plan_note(per_county=args.per_county, allocate=args.allocate, weight=args.weight,
                     seed=args.seed)
    write_round_xlsx(plan, out, number=number, region_name=region["name"], note=note,
                     synthetic=store.synthetic)
    if args.maps:
        maps = _write_route_maps(store, plan, number, Path(args.maps))
        print(f"{args.maps}: {maps} route maps")
    kept = "" if args.dry_run else f", kept as round {number}"
    if not args.dry_run:
        import_id = record_round(store, plan, number, region=region["code"], file=out.name,
                                 options=options, who=account.name if account else "")
        kept += f" (import {import_id})"
    shares = ", ".join(f"{r.name} {r.allocated}" for r in plan.allocation.itertuples())
    named = int(plan.allocation["included"].sum())
    print(f"{out}: round {number} of {region['name']}, {len(plan.villages)} villages for "
          f"{plan.villages['team'].nunique()} teams ({shares}); {named} included as named "
          f"or with unverified problems; seed {args.seed}{kept}")
    return 0


def _write_route_maps(store, plan, number: int, folder: Path) -> int:
    """A PNG per team: its county's villages, its stops numbered, the route."""
    from geo.map_view import safe_file_name
    from geo.units import descendants
    from geo.i18n import t
    from geo.placement import units_to_draw
    from layers.static.route import route_figure
    from layers.static.map import save_map

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CovermapError(f"cannot make the folder {folder}: {exc.strerror or exc}") from None
    units = store.units()
    shapes = units_to_draw(store, "village")
    for (team, county_code), stops in plan.villages.groupby(["team", "county_code"],
                                                              sort=False):
        inside = set(descendants(units, county_code)["code"])
        county = stops["county"].iloc[0]
        km = stops["leg_m"].sum() / 1000
        fig = route_figure(stops, shapes[shapes["code"].isin(inside)],
                           title=f"第{number}轮督查路线 · {team} · {county}",
                           subtitle=f"{len(stops)}个村，全程约{km:.0f}公里（直线）" + (
                               "；" + t("route_approximate", "zh", n=len(stops))
                               if shapes.loc[shapes["code"].isin(stops["code"]),
                                             "approximate"].any() else ""),
                           synthetic=store.synthetic)
        save_map(fig, folder / f"{safe_file_name(team)}_{safe_file_name(county)}.png")
    return plan.villages.groupby(["team", "county_code"]).ngroups


def cmd_problems(args) -> int:
    from geo.supervision.problems import problem_status, rectification_ledger
    from geo.supervision.problems_xlsx import problem_list, write_problems_xlsx
    from geo.supervision.rounds import supervision_as_of
    from geo.units import descendants, find_region

    store = open_store(args)
    units = store.units()
    top = find_region(units, args.region)
    as_of = args.as_of or supervision_as_of(store)
    status = problem_status(store.records("problems"), store.records("problem_events"),
                            as_of=as_of)
    inside = set(descendants(units, top["code"])["code"]) | {top["code"]}
    status = status[status["unit_code"].isin(inside)]
    if args.overdue:
        status = status[status["overdue"]]
    if args.ledger:
        if args.format == "xlsx":
            raise UsageError("--ledger is a table (table, csv or json); the xlsx is the "
                             "problem list counties fill in")
        emit(rectification_ledger(status, units), args)
        return 0
    if args.format == "xlsx":
        if not args.out:
            raise UsageError("--format xlsx needs --out FILE.xlsx")
        write_problems_xlsx(status, units, args.out, as_of=as_of, region_name=top["name"],
                            synthetic=store.synthetic)
        print(f"{args.out}: {len(status)} problems as of {as_of}")
        return 0
    emit(problem_list(status, units), args)
    return 0
