"""The unit tree: finding a region, walking down to its units and up to ancestors."""

from __future__ import annotations

import pandas as pd

from geo.errors import UsageError
from geo.names import NameIndex
from geo.programme import LEVELS


def top_units(units: pd.DataFrame) -> pd.DataFrame:
    """Units with no parent in the store."""
    return units[units["parent_code"].isna() | ~units["parent_code"].isin(units["code"])]


def find_region(units: pd.DataFrame, region: str | None) -> pd.Series:
    """The unit a region names: a code, an exact name or a known short form.

    Without one, the store's top unit.

    Raises
    ------
    UsageError
        The store has several tops, or ``region`` names none or several units.
    """
    if region is None:
        tops = top_units(units)
        if len(tops) != 1:
            raise UsageError(reason="several_tops", param="region", count=len(tops),
                             units=_listed(tops))
        return tops.iloc[0]
    region = str(region).strip()
    by_code = units[units["code"] == region]
    if len(by_code) == 1:
        return by_code.iloc[0]
    found = NameIndex(units).lookup(region)
    if len(found) == 1:
        return units[units["code"] == found[0]].iloc[0]
    if found:
        raise UsageError(reason="ambiguous_region", param="region", value=region,
                         units=_listed(units[units["code"].isin(found)]))
    raise UsageError(reason="unknown_region", param="region", value=region)


def descendants(units: pd.DataFrame, code: str) -> pd.DataFrame:
    """Every unit below ``code``, whatever levels lie between."""
    children: dict[str, list[str]] = {}
    for child, parent in zip(units["code"], units["parent_code"]):
        children.setdefault(parent, []).append(child)
    found, frontier = [], [code]
    while frontier:
        frontier = [c for parent in frontier for c in children.get(parent, [])]
        found.extend(frontier)
    return units[units["code"].isin(found)]


def child_level(units: pd.DataFrame, region: pd.Series) -> str | None:
    """The level of a region's children (a county's may be townships or villages)."""
    levels = units.loc[units["parent_code"] == region["code"], "level"]
    return levels.mode().iloc[0] if len(levels) else None


def ancestor_codes(units: pd.DataFrame, codes: pd.Series, level: str) -> pd.Series:
    """For each code, the code of its ancestor at ``level`` (None where it has none)."""
    parent = dict(zip(units["code"], units["parent_code"]))
    levels = dict(zip(units["code"], units["level"]))

    def ancestor(code):
        code = parent.get(code)
        while isinstance(code, str):
            if levels.get(code) == level:
                return code
            code = parent.get(code)
        return None

    return codes.map(ancestor)


def ancestor_names(units: pd.DataFrame, codes: pd.Series, level: str) -> pd.Series:
    """For each code, the name of its ancestor at ``level`` (None where it has none)."""
    return ancestor_codes(units, codes, level).map(dict(zip(units["code"], units["name"])))


def check_level_below(region: pd.Series, level: str) -> None:
    """A level must lie below the region's (county under a league)."""
    if level not in LEVELS:
        raise UsageError(reason="unknown_level", param="level", value=level, levels=LEVELS)
    if LEVELS.index(level) <= LEVELS.index(region["level"]):
        raise UsageError(reason="level_not_below", param="level", value=level,
                         region=region["name"], region_level=region["level"],
                         below=LEVELS[LEVELS.index(region["level"]) + 1:])


def check_level_within(region: pd.Series, level: str) -> None:
    """A level must be the region's own or lie below it: a table of a county at the
    county level is the county itself (a one-county office's own total)."""
    if level not in LEVELS:
        raise UsageError(reason="unknown_level", param="level", value=level, levels=LEVELS)
    if LEVELS.index(level) < LEVELS.index(region["level"]):
        raise UsageError(reason="level_above_region", param="level", value=level,
                         region=region["name"], region_level=region["level"],
                         within=LEVELS[LEVELS.index(region["level"]):])


def units_at_level(units: pd.DataFrame, region: pd.Series, level: str) -> pd.DataFrame:
    """The units of ``level`` inside ``region``: the region itself at its own level."""
    if level == region["level"]:
        return units[units["code"] == region["code"]]
    listed = descendants(units, region["code"])
    return listed[listed["level"] == level]


def _listed(units: pd.DataFrame) -> str:
    return ", ".join(f"{c} {n}" for c, n in zip(units["code"], units["name"]))
