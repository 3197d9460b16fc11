"""The poverty-exit tests (厅字〔2016〕16号) for households, villages and counties.

Every line comes from the programme's ``[rules]`` (with a region's overrides:
3 % incidence in the west, 旬阳's own 80 % satisfaction), none from code.  A
test's answer is a long table, one record per unit and criterion::

    code, criterion, value, line, passes, gap, sample

``value`` and ``line`` are in the criterion's own terms (per cent, yuan);
``gap`` is how far the unit is on the wrong side of the line (0 when it
passes, None when the value is unknown); ``sample`` is the number the value
was measured on (people, households surveyed).  "Below" lines are strict, as
the rules are written: a village at exactly 3 % in the west fails.
"""

from __future__ import annotations

import pandas as pd

from geo.i18n import pair
from geo.programme import Programme

# (criterion, rule key, direction): "below" passes when value < line, "at_least"
# when value >= line.
VILLAGE_CRITERIA = [("incidence", "incidence_max_pct", "below")]
COUNTY_CRITERIA = [("incidence", "incidence_max_pct", "below"),
                   ("wrongly_exited", "wrongly_exited_max_pct", "below"),
                   ("missed", "missed_max_pct", "below"),
                   ("approval", "approval_min_pct", "at_least")]
# Each criterion's name, (Chinese, English), from the vocabulary.
CRITERIA_WORDS = {key: pair(f"criterion_{key}") for key in
                  ("income", "food", "clothing", "education", "medical", "housing",
                   "incidence", "items", "wrongly_exited", "missed", "approval")}
_COLUMNS = ["code", "criterion", "value", "line", "passes", "gap", "sample"]


def household_tests(households: pd.DataFrame, programme: Programme, *,
                    year: int, region_code: str) -> pd.DataFrame:
    """Whether each household meets each household exit criterion in ``year``.

    Parameters
    ----------
    households
        ``code`` (a household's key, e.g. its number), ``income`` (yuan per
        person per year) and one column per flag of the rules' 两不愁
        (``food``, ``clothing``) and 三保障 (``education``, ``medical``,
        ``housing``): True, False or missing (unknown).
    programme, year, region_code
        The rules in force for the region in that year (the income line).

    Returns
    -------
    The long table (module docstring); ``income``'s gap is in yuan, a flag's
    gap 1 when the flag is missing.
    """
    rules = programme.rules_for(region_code)["household"]
    line = float(rules["income_line_yuan"][str(year)])
    income = pd.to_numeric(households["income"], errors="coerce")
    parts = [_frame(households["code"], "income", income, line,
                    passes=income > line, gap=(line - income).clip(lower=0), sample=1)]
    for flag in [*rules["two_assurances"], *rules["three_guarantees"]]:
        held = households[flag].astype("boolean")
        parts.append(_frame(households["code"], flag, held.astype("Float64"), 1.0,
                            passes=held, gap=(~held).astype("Float64"), sample=1))
    return pd.concat(parts, ignore_index=True)


def village_tests(villages: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    """Whether each village meets the village exit criteria.

    Parameters
    ----------
    villages
        ``code``, ``population`` (rural residents: the denominator),
        ``poor_people`` (registered and not exited, or returned to poverty),
        and ``items_missing``: how many of the rules' ``items_required``
        (五有 …) the village lacks, or missing when unknown.

    Returns
    -------
    The long table: ``incidence`` in per cent against the region's line, and
    ``items`` (value: items missing, line 0).
    """
    line = villages["code"].map(lambda c: programme.rules_for(c)["village"]["incidence_max_pct"])
    incidence = _pct(villages["poor_people"], villages["population"])
    items = pd.to_numeric(villages["items_missing"], errors="coerce")
    return pd.concat([
        _frame(villages["code"], "incidence", incidence, line, passes=incidence < line,
               gap=(incidence - line).clip(lower=0), sample=villages["population"]),
        _frame(villages["code"], "items", items, 0.0, passes=items == 0, gap=items,
               sample=len(programme.rules.get("village", {}).get("items_required", []))),
    ], ignore_index=True)


def county_tests(counties: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    """Whether each county meets 三率一度: incidence, 错退率, 漏评率 and 群众认可度.

    Parameters
    ----------
    counties
        ``code``; ``population`` and ``poor_people`` summed over its villages
        (the composite incidence); from the assessment samples
        ``exited_sampled`` and ``wrongly_exited``, ``non_registered_sampled``
        and ``missed``, ``surveyed`` and ``satisfied``.

    Returns
    -------
    The long table, each rate with the sample it was computed from.
    """
    rules = counties["code"].map(lambda c: programme.rules_for(c)["county"])
    values = {
        "incidence": (_pct(counties["poor_people"], counties["population"]),
                      counties["population"]),
        "wrongly_exited": (_pct(counties["wrongly_exited"], counties["exited_sampled"]),
                           counties["exited_sampled"]),
        "missed": (_pct(counties["missed"], counties["non_registered_sampled"]),
                   counties["non_registered_sampled"]),
        "approval": (_pct(counties["satisfied"], counties["surveyed"]), counties["surveyed"]),
    }
    parts = []
    for criterion, key, direction in COUNTY_CRITERIA:
        value, sample = values[criterion]
        line = rules.map(lambda r, key=key: r[key]).astype(float)
        if direction == "below":
            passes, gap = value < line, (value - line).clip(lower=0)
        else:
            passes, gap = value >= line, (line - value).clip(lower=0)
        parts.append(_frame(counties["code"], criterion, value, line, passes=passes, gap=gap,
                            sample=sample))
    return pd.concat(parts, ignore_index=True)


def exit_verdicts(tests: pd.DataFrame) -> pd.DataFrame:
    """One row per unit: ``passes`` (False if any criterion fails, None if none
    fails but one is unknown), ``failing`` (the criteria that fail, in order)
    and ``unknown`` (those without a value)."""
    tests = tests.assign(passes=tests["passes"].astype("boolean"))
    rows = []
    for code, unit in tests.groupby("code", sort=False):
        failing = unit.loc[unit["passes"].eq(False).fillna(False), "criterion"].tolist()
        unknown = unit.loc[unit["passes"].isna(), "criterion"].tolist()
        verdict = False if failing else (None if unknown else True)
        rows.append({"code": code, "passes": verdict, "failing": failing, "unknown": unknown})
    verdicts = pd.DataFrame(rows, columns=["code", "passes", "failing", "unknown"])
    # True, False or None as such: not numpy's bools.
    verdicts["passes"] = pd.Series([r["passes"] for r in rows], dtype=object)
    return verdicts


def _pct(part: pd.Series, whole: pd.Series) -> pd.Series:
    part, whole = pd.to_numeric(part, errors="coerce"), pd.to_numeric(whole, errors="coerce")
    return (100 * part / whole.where(whole > 0)).astype(float)


def _frame(code, criterion, value, line, *, passes, gap, sample) -> pd.DataFrame:
    value = pd.Series(value, index=code.index, dtype="Float64")
    known = value.notna()
    return pd.DataFrame({
        "code": code.to_numpy(), "criterion": criterion, "value": value.to_numpy(),
        "line": pd.Series(line, index=code.index, dtype=float).to_numpy(),
        # An unknown value neither passes nor fails.
        "passes": pd.Series(passes, index=code.index, dtype="boolean").where(known).to_numpy(),
        "gap": pd.Series(gap, index=code.index, dtype="Float64").where(known).to_numpy(),
        "sample": pd.Series(sample, index=code.index).to_numpy(),
    }, columns=_COLUMNS)
