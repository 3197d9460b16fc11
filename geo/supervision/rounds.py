"""Supervision rounds over a store: what :func:`geo.supervision.plan.plan_round` needs, read
from the store's units, figures, visits and problems — and the plan kept as a round.

A round is an import of kind ``round``: its villages go into ``visits`` as planned
(no visit date); a findings sheet later adds the visits made.  Undoing the import
sets a plan made by mistake aside.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from geo.errors import InputError, UsageError
from geo.i18n.errors import stored_reason
from geo.gaps import village_gaps
from geo.exit.households import PLACE_FIELDS, data_rows, find_header
from geo.imports.villages import join_villages
from geo.io_fields import cell_text, code_text
from geo.ledger.sheets import read_grid
from geo.placement import units_to_draw
from geo.supervision.problems import problem_status, unverified
from geo.store import ImportRecord, Store
from geo.summary import summarise
from geo.supervision.plan import RoundPlan, plan_round
from geo.units import ancestor_codes, ancestor_names, descendants, find_region


def plan_store_round(store: Store, *, region: str, per_county: int,
                     allocate: str = "even", weight: str | None = None,
                     include: dict[str, str] | None = None, seed: int = 0,
                     as_of: dt.date | None = None) -> tuple[RoundPlan, int]:
    """The plan of the store's next round and that round's number.

    Every village with a problem not yet verified on ``as_of`` is included
    (``open_problem``), and those of ``include`` (``named``).
    """
    units = store.units()
    top = find_region(units, region)
    if top["level"] not in ("province", "league", "county"):
        raise UsageError(reason="round_region_level", param="region", value=region,
                         level=top["level"])
    dates = store.snapshot_dates()
    as_of = as_of or supervision_as_of(store)
    progress = store.progress(until=as_of)
    inside = pd.concat([units[units["code"] == top["code"]], descendants(units, top["code"])])
    villages = inside[inside["level"] == "village"]
    if villages.empty:
        raise UsageError(reason="no_villages_to_visit", param="region", value=top["name"])
    counties = inside[inside["level"] == "county"].sort_values("code")
    pct = pd.Series(dtype=float)
    if dates and len(counties):
        summary = summarise(units, progress, store.programme, level="county",
                            region=top["code"], item="overall", as_of=as_of)
        pct = summary.set_index("code")["pct"]
    gaps = village_gaps(units, progress, store.programme, region=top["code"],
                        as_of=as_of).set_index("code")
    items = len(store.programme.items)
    lag = gaps["missing"].map(len) / items
    lag = lag.where(gaps["unreported"].map(len) < items)
    # Villages from a register have no boundary: their approximate points (geo.placement).
    shapes = units_to_draw(store, "village")
    shapes = shapes[shapes["code"].isin(villages["code"])].reset_index(drop=True)
    shapes["county_code"] = ancestor_codes(units, shapes["code"], "county").fillna(
        top["code"]).to_numpy()
    shapes["township"] = ancestor_names(units, shapes["code"], "township").fillna("").to_numpy()
    shapes["lag"] = shapes["code"].map(lag).to_numpy()
    if counties.empty:                         # a county's own round: one team
        counties = inside[inside["code"] == top["code"]]
    visits = store.records("visits")
    made = visits[visits["visited_on"].notna()]
    visited = made.groupby("unit_code")["round"].nunique().to_dict()
    status = problem_status(store.records("problems"), store.records("problem_events"),
                            as_of=as_of)
    listed = set(villages["code"])
    named = {code: "named" for code in (include or {})} | {
        code: "open_problem" for code in unverified(status)["unit_code"] if code in listed}
    plan = plan_round(shapes, counties.assign(pct=counties["code"].map(pct))[
        ["code", "name", "pct"]], per_county=per_county, allocate=allocate, weight=weight,
        include=named, visited=visited, seed=seed)
    rounds = pd.to_numeric(visits["round"], errors="coerce")
    return plan, int(rounds.max()) + 1 if rounds.notna().any() else 1


def record_round(store: Store, plan: RoundPlan, number: int, *, region: str, file: str,
                 options: dict, who: str = "") -> int:
    """Keep the plan as round ``number``; returns the import's id."""
    record = ImportRecord(kind="round", file=file, sha256="", as_of=None, level="village",
                          rows_read=len(plan.villages), matched=len(plan.villages),
                          report={"round": number, "region": region, "seed": plan.seed,
                                  **options}, who=who)
    rows = plan.villages
    return store.record_rows(record, {"visits": pd.DataFrame({
        "round": number, "unit_code": rows["code"], "team": rows["team"], "seq": rows["seq"],
        "reason": rows["reason"], "visited_on": None})})


def supervision_as_of(store: Store) -> dt.date:
    """The supervision's date: the latest of the store's snapshots, visits, problems
    found and status changes — what overdue is counted on when no date is given,
    never the wall clock.  Later than :func:`geo.actions.default_as_of` (progress
    figures only) when a round has visited since the last ledger."""
    dates = [d.isoformat() for d in store.snapshot_dates()]
    dates += store.records("visits")["visited_on"].dropna().astype(str).tolist()
    dates += store.records("problem_events")["on_date"].dropna().astype(str).tolist()
    dates += store.records("problems")["found_on"].dropna().astype(str).tolist()
    return dt.date.fromisoformat(max(dates)) if dates else store.programme.start


def read_include(path, store: Store, *, region: str | None = None) -> dict[str, str]:
    """The villages a list names (by 村代码, or 乡镇 and 村), as ``{code: "named"}``;
    a village that does not join is an error, since the list says it must be visited."""
    file = Path(path).name
    grid = read_grid(path)
    cells = grid.filled()
    wanted = [*PLACE_FIELDS["village_code"], *PLACE_FIELDS["village"]]
    at, columns, _, _ = find_header(cells, PLACE_FIELDS, wanted=wanted, file=file,
                                    missing="no_village_header")
    rows = []
    for number, values, total in data_rows(grid, cells, at):
        cell = {f: values[i] if i < len(values) else None for f, i in columns.items()}
        if not total:
            rows.append({"source_row": number,
                         "village_code": code_text(cell.get("village_code")),
                         **{f: cell_text(cell.get(f)) for f in ("county", "township",
                                                                 "village")}})
    frame = pd.DataFrame(rows)
    if frame.empty:
        raise InputError(reason="no_villages_listed", param="file", file=file)
    frame = frame.assign(county=frame["county"].ffill(), township=frame["township"].ffill())
    joined = join_villages(frame, store, region=region, file=file, account=None)
    if len(joined.unmatched):
        first = joined.unmatched.iloc[0]
        # The join says why in its own words (geo.join), kept as the store keeps them.
        raise InputError(reason="village_unmatched", param="file", file=file,
                         row=int(first["source_row"]), name=first["name"] or first["code"],
                         why=stored_reason(first),
                         details=[InputError(reason="village_unmatched_row", param="file",
                                             row=r.source_row, name=r.name or r.code,
                                             why=stored_reason(r))
                                  for r in joined.unmatched.iloc[1:].itertuples()])
    return {code: "named" for code in joined.rows["unit_code"].dropna()}


def round_coverage(units: pd.DataFrame, visits: pd.DataFrame, *,
                   region: str | None = None) -> pd.DataFrame:
    """Every village of ``region`` with the rounds that visited it: ``code, name,
    parent_code, rounds`` (sorted list), ``times``, ``last_round`` (missing: never)."""
    top = find_region(units, region)
    inside = descendants(units, top["code"])
    villages = inside[inside["level"] == "village"][["code", "name", "parent_code"]]
    made = visits[visits["visited_on"].notna()]
    rounds = made.groupby("unit_code")["round"].agg(lambda r: sorted(set(int(x) for x in r)))
    table = villages.assign(rounds=villages["code"].map(rounds))
    table["rounds"] = table["rounds"].map(lambda r: r if isinstance(r, list) else [])
    table["times"] = table["rounds"].map(len)
    table["last_round"] = table["rounds"].map(lambda r: r[-1] if r else None).astype("Int64")
    return table.reset_index(drop=True)


def village_history(code: str, visits: pd.DataFrame, status: pd.DataFrame,
                    events: pd.DataFrame | None = None) -> pd.DataFrame:
    """One village's supervision, oldest first: each planned or made visit, each
    problem found and (``events``: ``Store.records("problem_events")``) each change
    of a problem's status — ``date, round, what, team, detail, status``."""
    found = status[status["unit_code"] == code]
    rows = [{"date": v.visited_on, "round": v.round,
             "what": "visit" if pd.notna(v.visited_on) else "planned", "team": v.team,
             "detail": None, "status": None}
            for v in visits[visits["unit_code"] == code].itertuples()]
    rows += [{"date": p.found_on, "round": p.round, "what": "problem", "team": p.team,
              "detail": p.description, "status": p.status} for p in found.itertuples()]
    if events is not None:
        round_of = dict(zip(found["problem_id"], found["round"]))
        rows += [{"date": e.on_date, "round": round_of[e.problem_id], "what": "change",
                  "team": None, "detail": f"{e.problem_id} {e.note or ''}".strip(),
                  "status": e.status}
                 for e in events[events["problem_id"].isin(round_of)].itertuples()]
    # On one day: the visit, what it found, then what changed (a stable sort keeps it).
    history = pd.DataFrame(rows, columns=["date", "round", "what", "team", "detail",
                                          "status"])
    return history.sort_values(["date", "round"], na_position="first",
                               kind="stable").reset_index(drop=True)
