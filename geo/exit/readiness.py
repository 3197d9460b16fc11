"""Exit readiness: which villages and counties pass the exit tests of a year, which
criterion holds each back and by how much, from what the store holds.

Villages: incidence = poor people (the households import: 未脱贫 and 返贫) over
the village's rural residents (``units.population``), and the items the
rules require (五有: from the progress ledgers, as of a date).  Counties: the
same incidence over all their villages, and 错退率, 漏评率 and 群众认可度 from
the assessment samples of their villages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from geo.exit.criteria import county_tests, exit_verdicts, village_tests
from geo.gaps import village_gaps
from geo.programme import Programme
from geo.units import ancestor_codes, descendants, find_region

READINESS = ("passes", "close", "far", "unknown")
# The levels an exit check is made at: a village exits (出列), a county exits (摘帽).
EXIT_LEVELS = ("village", "county")


def exit_year(households: pd.DataFrame) -> int | None:
    """The year an exit check is made for: the latest year of the household counts;
    None when there are none."""
    if households.empty:
        return None
    return int(households["year"].max())


@dataclass(frozen=True)
class Readiness:
    """Per unit of the asked level: ``verdicts`` (code, name, parent_code, passes,
    failing, unknown, readiness) and the long ``tests`` table behind them."""

    verdicts: pd.DataFrame
    tests: pd.DataFrame
    year: int


def exit_readiness(units: pd.DataFrame, progress: pd.DataFrame, households: pd.DataFrame,
                   samples: pd.DataFrame, programme: Programme, *, level: str,
                   region: str | None = None, year: int,
                   as_of: dt.date | None = None) -> Readiness:
    """The exit tests of ``year`` for every village or county inside ``region``.

    Parameters
    ----------
    units, progress
        The store's units and figures (``Store.units()``, ``Store.progress()``).
    households, samples
        ``Store.village_figures("households")`` and ``("samples")``.
    level
        ``village`` or ``county``.
    year
        The exit year; only that year's household counts and samples count.
    as_of
        The date of the village items; default the end of ``year``.

    Raises
    ------
    UsageError
        A level other than village or county.
    """
    from geo.errors import UsageError

    if level not in EXIT_LEVELS:
        raise UsageError(reason="exit_tests_level", param="level", value=level)
    top = find_region(units, region)
    # The region's own tests when it is a county itself (a county's store).
    inside = pd.concat([units[units["code"] == top["code"]], descendants(units, top["code"])])
    villages = _village_figures(units, top["code"], progress, households, programme,
                                year=year, as_of=as_of or dt.date(year, 12, 31))
    if level == "village":
        tests = village_tests(villages, programme)
        listed = villages
    else:
        listed = _county_figures(villages, samples, inside, year=year)
        tests = county_tests(listed, programme)
    verdicts = exit_verdicts(tests).merge(
        inside[["code", "name", "parent_code"]], on="code", how="left")
    if level == "village":
        verdicts = verdicts.merge(villages[["code", "due_households", "missing_items"]],
                                  on="code", how="left")
    verdicts["readiness"] = _readiness(verdicts, tests, programme)
    return Readiness(verdicts, tests, year)


def _village_figures(units, region, progress, households, programme, *, year, as_of):
    """Per village inside ``region``: population, poor people and items missing."""
    inside = descendants(units, region)
    villages = inside[inside["level"] == "village"]
    if villages.empty:
        return pd.DataFrame(columns=["code", "population", "poor_people", "items_missing",
                                     "missing_items", "due_households"])
    counts = households[households["year"] == year].set_index("unit_code")
    required = list(programme.rules.get("village", {}).get("items_required", []))
    gaps = village_gaps(units, progress, programme, region=region, as_of=as_of)
    gaps = gaps.set_index("code")

    def missing_items(code) -> list | None:
        """The required items the village lacks; None when that cannot be told."""
        if code not in gaps.index:
            return None
        missing = [i for i in gaps.loc[code, "missing"] if i in required]
        unknown = [i for i in gaps.loc[code, "unreported"] if i in required]
        return missing if missing or not unknown else None

    # A register lists poor households only: a village absent from its county's
    # register has no poor people; in a county without one nothing is known.
    county = ancestor_codes(units, villages["code"], "county")
    registered = set(county[villages["code"].isin(counts.index).to_numpy()])
    poor = villages["code"].map(counts["poor_people"])
    poor = poor.where(poor.notna() | ~county.isin(registered), 0.0)
    missing = [missing_items(code) for code in villages["code"]]
    return pd.DataFrame({
        "code": villages["code"].to_numpy(),
        "population": pd.to_numeric(villages["population"], errors="coerce").to_numpy(),
        "poor_people": poor.to_numpy(),
        "items_missing": [None if m is None else len(m) for m in missing],
        "missing_items": missing,
        "due_households": villages["code"].map(counts["due_households"]).fillna(0).to_numpy(),
    })


def _county_figures(villages, samples, inside, *, year):
    county_of = pd.Series(ancestor_codes(inside, villages["code"], "county").to_numpy(),
                          index=villages["code"].to_numpy())
    sums = villages.assign(county=villages["code"].map(county_of)).groupby("county")[
        ["population", "poor_people"]].sum(min_count=1)
    sampled = samples[(samples["year"] == year) & samples["unit_code"].isin(county_of.index)]
    sampled = sampled.assign(county=sampled["unit_code"].map(county_of)).groupby("county")[
        ["surveyed", "satisfied", "exited_sampled", "wrongly_exited",
         "non_registered_sampled", "missed"]].sum(min_count=1)
    counties = inside[inside["level"] == "county"][["code"]]
    return counties.join(sums, on="code").join(sampled, on="code").reset_index(drop=True)


def _readiness(verdicts: pd.DataFrame, tests: pd.DataFrame, programme: Programme) -> list:
    """passes; close (every failing criterion within the programme's close margins);
    far; unknown (nothing fails, but something cannot be told)."""
    near = _near(tests, programme)
    out = []
    for row in verdicts.itertuples():
        if row.passes is True:
            out.append("passes")
        elif row.passes is None:
            out.append("unknown")
        else:
            out.append("close" if all(near[(row.code, c)] for c in row.failing) else "far")
    return out


def readiness_of(tests: pd.DataFrame, programme: Programme, criterion: str) -> pd.Series:
    """Per unit (indexed by code), one criterion's passes / close / far / unknown: what a
    map of that criterion shows."""
    one = tests[tests["criterion"] == criterion].set_index("code")
    near = _near(tests, programme)
    passes = one["passes"].astype("boolean")
    status = ["unknown" if pd.isna(p) else "passes" if p else
              "close" if near[(code, criterion)] else "far"
              for code, p in zip(one.index, passes)]
    return pd.Series(status, index=one.index)


def readiness_status(readiness: Readiness, programme: Programme, *,
                     criterion: str | None = None) -> pd.Series:
    """What a map of ``readiness`` colours each unit by (indexed by code): passes /
    close / far / unknown, of every criterion or of ``criterion`` alone; villages
    with no household due to exit in the year are ``not_due`` — they are not tested."""
    status = (readiness_of(readiness.tests, programme, criterion) if criterion
              else readiness.verdicts.set_index("code")["readiness"])
    verdicts = readiness.verdicts.set_index("code")
    if "due_households" in verdicts:
        due = verdicts["due_households"].reindex(status.index) > 0
        status = status.where(due, "not_due")
    return status


def _near(tests: pd.DataFrame, programme: Programme) -> pd.Series:
    """Per (code, criterion): within the programme's close margins of its line."""
    close = programme.rules.get("readiness", {})
    margin = tests["criterion"].map({"items": close.get("close_items", 1)}).fillna(
        close.get("close_points", 1.0))
    near = pd.to_numeric(tests["gap"], errors="coerce").astype(float) <= margin
    return pd.Series(near.to_numpy(), index=pd.MultiIndex.from_frame(tests[["code",
                                                                              "criterion"]]))


def readiness_table(readiness: Readiness, programme: Programme, *,
                    failing_only: bool = False, due_only: bool = False) -> pd.DataFrame:
    """One row per unit for a list or an export: readiness, the failing criteria, and
    each criterion's value, line and sample — counts below the programme's privacy
    threshold written "<5", never the number.  ``due_only`` keeps the villages with
    households due to exit in the year."""
    small = programme.rules.get("privacy", {}).get("small_count", 5)
    verdicts = readiness.verdicts
    if failing_only:
        verdicts = verdicts[verdicts["readiness"].isin(["close", "far"])]
    if due_only and "due_households" in verdicts:
        verdicts = verdicts[verdicts["due_households"] > 0]
    table = verdicts[["code", "name", "parent_code", "readiness"]].copy()
    if "due_households" in verdicts:
        table["due_households"] = [suppressed(n, small) for n in verdicts["due_households"]]
    table["failing"] = verdicts["failing"].map(",".join)
    if "missing_items" in verdicts:
        table["missing_items"] = verdicts["missing_items"].map(
            lambda m: ",".join(m) if isinstance(m, list) else None)
    tests = readiness.tests.set_index(["code", "criterion"])
    for criterion in readiness.tests["criterion"].unique():
        rows = tests.xs(criterion, level="criterion").reindex(table["code"])
        table[criterion] = rows["value"].round(2).to_numpy()
        table[f"{criterion}_line"] = rows["line"].to_numpy()
        table[f"{criterion}_sample"] = [suppressed(n, small) for n in rows["sample"]]
    return table.reset_index(drop=True)


def suppressed(count, small: int):
    """A count as shown: missing stays missing, below ``small`` is "<small"."""
    if count is None or pd.isna(count):
        return None
    return f"<{small}" if count < small else int(count)
