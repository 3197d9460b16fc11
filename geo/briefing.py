"""What tomorrow's briefing says about a region, as plain data: :class:`Briefing`.

``layers.deck.briefing`` lays it out as slides; this module only decides the
content: the ranking of the region's children, the best and worst three of
each item, the units that will miss the milestone at their pace, the
uncovered villages per county and what is wrong with the data.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import PurePath

import pandas as pd

from geo.supervision.briefing import SupervisionPage, supervision_page
from geo.errors import UsageError
from geo.exit.readiness import exit_readiness, exit_year, readiness_table
from geo.forecast import pace_window_start, run_rates
from geo.gaps import village_gaps
from geo.map_view import MapSource, MapView, map_view
from geo.programme import Milestone
from geo.units import ancestor_codes, child_level, descendants, find_region

# Units shown as best and worst of an item.
PODIUM = 3


@dataclass(frozen=True)
class ItemPage:
    key: str
    view: MapView
    best: pd.DataFrame
    """The :data:`PODIUM` highest ``code, name, pct, rank`` (ties by code); every
    unit, best first, when there are too few for a best and a worst three."""
    worst: pd.DataFrame
    """The :data:`PODIUM` lowest of the unfinished, lowest first (a finished unit
    is never among the worst); empty when ``best`` lists them all."""
    finished: int
    """Units at 100 % or more: when more than three, the best three are a choice."""


@dataclass(frozen=True)
class DataQuality:
    stale: pd.DataFrame
    """The region's children whose latest report is older than one reporting
    interval: ``level, code, name, as_of``."""
    unmatched: pd.DataFrame
    """Rows kept in the store's ``unmatched`` table, per file: ``file, rows``."""
    bad_totals: pd.DataFrame
    """Ledger 合计/小计 rows that did not add up: ``file, row, label, column, stated, summed``."""
    disagreements: pd.DataFrame
    """Children whose own report differs from the roll-up of theirs:
    ``code, name, item, disagreement``."""


@dataclass(frozen=True)
class Briefing:
    region: pd.Series
    level: str
    """The children's level: what is ranked and mapped."""
    as_of: dt.date
    milestone: Milestone | None
    days_left: int | None
    synthetic: bool
    overview: MapView
    ranking: pd.DataFrame
    """One row per child, best first: ``code, name, rank, movement, pct``
    (overall) and one column per item key with its per cent; ``last`` marks
    the last place (ties share it)."""
    items: list[ItemPage]
    pace: pd.DataFrame
    """:func:`geo.forecast.run_rates` of the overall index, lagging first."""
    uncovered: pd.DataFrame
    """Per county (per township for a county): ``code, name, level, villages, uncovered,
    unreported``, most uncovered first."""
    quality: DataQuality
    exit: pd.DataFrame | None = None
    """A poverty-exit store's exit check of the latest year
    (:func:`geo.exit.readiness.readiness_table`): the counties, or in a county's
    briefing the villages due that year that fail; None without household records."""
    exit_year: int | None = None
    exit_map: MapView | None = None
    """The exit check on a map: the counties, or in a county's briefing its villages."""
    supervision: SupervisionPage | None = None
    """Supervision rounds and rectification; None when no round visited the region."""


def build_briefing(source: MapSource, *, region: str | None = None,
                   as_of: dt.date | None = None, imports: pd.DataFrame | None = None,
                   unmatched: pd.DataFrame | None = None) -> Briefing:
    """The briefing of ``region`` (the store's top unit when None) on ``as_of``.

    Parameters
    ----------
    imports, unmatched
        The store's ``imports`` and ``unmatched`` tables, for the data-quality
        page; nothing is said about them when None.

    A poverty-exit store's briefing adds the exit check (a map and a table) from
    the source's household records and samples; none without household records.

    Raises
    ------
    UsageError
        The region is unknown or has no level below it.
    """
    top = find_region(source.units, region)
    level = child_level(source.units, top)
    if level is None:
        raise UsageError(reason="nothing_below_to_brief", param="region", value=top["name"],
                         code=top["code"])
    as_of = as_of or source.latest()
    table = source.summary(level=level, region=top["code"], item=None, as_of=as_of)
    milestone = source.programme.next_milestone(as_of)
    overview = map_view(source, level=level, region=top["code"], item="overall",
                        as_of=as_of, table=table)
    items = [_item_page(source, table, key, level=level, region=top["code"], as_of=as_of)
             for key in source.programme.item_keys]
    exit_year, exit_table, exit_map = _exit_check(source, top, as_of)
    supervision = _supervision(source, top, level=level, as_of=as_of)
    return Briefing(
        exit=exit_table, exit_year=exit_year, exit_map=exit_map, supervision=supervision,
        region=top, level=level, as_of=as_of, milestone=milestone,
        days_left=(milestone.date - as_of).days if milestone else None,
        synthetic=source.synthetic, overview=overview, ranking=_ranking(table, source),
        items=items, pace=_pace(source, table, level=level, region=top["code"], as_of=as_of),
        uncovered=_uncovered(source, top, as_of),
        quality=_quality(source, table, top["code"], as_of, imports, unmatched))


def _supervision(source: MapSource, region: pd.Series, *, level: str, as_of: dt.date):
    """The supervision page, its problems placed in their villages; None without rounds."""
    if not source.supervision or source.supervision["visits"].empty:
        return None
    return supervision_page(source.units, source.supervision, region=region["code"],
                            level=level, as_of=as_of, villages=source.geometry("village"))


def _exit_check(source: MapSource, region: pd.Series, as_of: dt.date):
    """(year, table, map) of the latest year's exit check, or (None, None, None)."""
    households, samples = source.households, source.samples
    if households is None or households.empty:
        return None, None, None
    year = exit_year(households)
    level = "village" if region["level"] == "county" else "county"
    readiness = exit_readiness(source.units, source.progress, households, samples,
                               source.programme, level=level, region=region["code"],
                               year=year)
    villages = level == "village"
    table = readiness_table(readiness, source.programme, failing_only=villages,
                            due_only=villages)
    # Those that fail first: they are what the meeting is about.
    order = table["readiness"].map({"far": 0, "close": 1, "unknown": 2, "passes": 3})
    exit_map = map_view(source, level=level, region=region["code"], item="exit", as_of=as_of)
    return year, table.iloc[order.argsort(kind="stable")].reset_index(drop=True), exit_map


def _ranking(table: pd.DataFrame, source: MapSource) -> pd.DataFrame:
    overall = table[table["item"] == "overall"].set_index("code")
    wide = table.pivot(index="code", columns="item", values="pct")
    ranking = overall[["name", "rank", "movement", "pct"]].join(
        wide[source.programme.item_keys])
    ranking = ranking.reset_index().sort_values(["rank", "code"], na_position="last")
    ranking["last"] = ranking["rank"].notna() & (ranking["rank"] == ranking["rank"].max())
    return ranking.reset_index(drop=True)


def _item_page(source, table, key, *, level, region, as_of) -> ItemPage:
    rows = table[(table["item"] == key) & table["pct"].notna()]
    rows = rows[["code", "name", "pct", "rank"]].sort_values(["pct", "code"],
                                                              ascending=[False, True])
    view = map_view(source, level=level, region=region, item=key, as_of=as_of, table=table)
    finished = int((rows["pct"] >= 100).sum())
    if len(rows) <= 2 * PODIUM:
        return ItemPage(key=key, view=view, best=rows.reset_index(drop=True),
                        worst=rows.iloc[:0], finished=finished)
    unfinished = rows.iloc[PODIUM:]
    unfinished = unfinished[unfinished["pct"] < 100]
    return ItemPage(key=key, view=view, best=rows.head(PODIUM).reset_index(drop=True),
                    worst=unfinished.tail(PODIUM).iloc[::-1].reset_index(drop=True),
                    finished=finished)


def _pace(source, table, *, level, region, as_of) -> pd.DataFrame:
    since = pace_window_start(source.dates, as_of)
    now = table[table["item"] == "overall"]
    if since is None:
        before = now.assign(pct=float("nan"))
        since = as_of
    else:
        before = source.summary(level=level, region=region, item="overall", as_of=since)
    pace = run_rates(now, before, source.programme, as_of=as_of, since=since)
    return pace.sort_values(["lagging", "forecast_pct"], ascending=[False, True],
                            na_position="last").reset_index(drop=True)


def _uncovered(source: MapSource, region: pd.Series, as_of: dt.date) -> pd.DataFrame:
    """Villages per county (per township in a county's briefing), joined by code:
    names repeat across a province (桥西区), codes do not."""
    gaps = village_gaps(source.units, source.progress, source.programme, region=region["code"],
                        as_of=as_of)
    level = "township" if region["level"] == "county" else "county"
    groups = descendants(source.units, region["code"])
    groups = groups[groups["level"] == level]
    owner = ancestor_codes(source.units, gaps["code"], level)
    per = gaps.assign(group=owner.to_numpy(), uncovered=gaps["missing"].map(bool),
                      unreported=gaps["unreported"].map(bool))
    per = per.groupby("group").agg(villages=("code", "size"), uncovered=("uncovered", "sum"),
                                   unreported=("unreported", "sum"))
    out = groups[["code", "name"]].join(per, on="code")
    counts = ["villages", "uncovered", "unreported"]
    out[counts] = out[counts].astype(float).fillna(0).astype(int)
    out = out.assign(level=level)
    return out.sort_values(["uncovered", "code"], ascending=[False, True]).reset_index(drop=True)


def _quality(source, table, region, as_of, imports, unmatched) -> DataQuality:
    overall = table[table["item"] == "overall"]
    stale = overall.loc[overall["stale"], ["level", "code", "name", "as_of"]]
    rows = table[table["disagreement"].notna() & (table["disagreement"] != 0)]
    disagreements = rows[["code", "name", "item", "disagreement"]].reset_index(drop=True)
    return DataQuality(stale=stale.reset_index(drop=True),
                       unmatched=_unmatched_per_file(imports, unmatched),
                       bad_totals=_bad_totals(imports), disagreements=disagreements)


def _unmatched_per_file(imports, unmatched) -> pd.DataFrame:
    if imports is None or unmatched is None or unmatched.empty:
        return pd.DataFrame({"file": [], "rows": []})
    files = imports.set_index("import_id")["file"].map(_file_name)
    counts = unmatched.groupby("import_id").size()
    out = pd.DataFrame({"file": counts.index.map(files), "rows": counts.to_numpy()})
    return out.sort_values("rows", ascending=False).reset_index(drop=True)


def _bad_totals(imports) -> pd.DataFrame:
    rows = []
    for file, report in zip(imports["file"] if imports is not None else [],
                            imports["report"] if imports is not None else []):
        checks = json.loads(report).get("total_checks", []) if report else []
        for check in checks:
            for column, figures in check.get("columns", {}).items():
                if not figures.get("ok", True):
                    rows.append({"file": _file_name(file), "row": check.get("row"),
                                 "label": check.get("label"), "column": column,
                                 "stated": figures["stated"], "summed": figures["summed"]})
    return pd.DataFrame(rows, columns=["file", "row", "label", "column", "stated", "summed"])


def _file_name(path) -> str:
    """The name an office knows a ledger by, without the folders it was uploaded from."""
    return PurePath(str(path)).name if path else ""
