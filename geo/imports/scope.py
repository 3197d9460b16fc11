"""The region a file's rows join inside: the one asked for, narrowed by the unit the
file says it comes from.

Offices write who sends a ledger on its 填报单位 line or in its title
(``填报单位：固阳县十个全覆盖办公室``, ``石宝镇人民政府（盖章）``, ``固阳县2016年…台账``):
the longest unit name (or short form, or alias) such a text starts with is the
unit, looked for inside the region given, else in the whole store.  Without a
region it is the region; with one, a unit inside it narrows it (the /data page
always gives one), and a unit outside it is reported, never used.  Township
names repeat across counties: scoped to the county, a village ledger's rows join.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.names import NameIndex, normalise
from geo.programme import LEVELS
from geo.units import descendants, find_region

# A unit's name is at least two characters (固阳县 is written 固阳, never 固).
_SHORTEST_NAME = 2


@dataclass(frozen=True)
class JoinScope:
    """Where the rows join: ``region``; the unit the file names (``named``, None when
    it names none), ``source`` (``reporting_unit`` or ``title``) when that unit chose
    or narrowed the region, and ``outside`` when it lies outside the region given."""

    region: pd.Series
    named: pd.Series | None = None
    source: str | None = None
    outside: bool = False


def join_scope(units: pd.DataFrame, region: str | None, *, reporting_unit: str | None,
               title: str | None) -> JoinScope:
    """The region to join a file's rows inside (see the module's docstring).

    Raises
    ------
    UsageError
        ``region`` names no unit, or several; or the store has several tops and
        neither the region nor the file names one.
    """
    given = find_region(units, region) if region else None
    for source, text in (("reporting_unit", reporting_unit), ("title", title)):
        inside = _named_at_start(units, text, within=given)
        if inside is not None:
            return JoinScope(region=inside, named=inside, source=source)
    if given is not None:
        for text in (reporting_unit, title):
            elsewhere = _named_at_start(units, text, within=None)
            if elsewhere is not None:
                # A unit above the region (包头市 over 固阳县) holds it: nothing to say.
                above = given["code"] in set(descendants(units, elsewhere["code"])["code"])
                return JoinScope(region=given, named=None if above else elsewhere,
                                 outside=not above)
        return JoinScope(region=given)
    return JoinScope(region=find_region(units, None))


def _named_at_start(units: pd.DataFrame, text: str | None, *,
                    within: pd.Series | None) -> pd.Series | None:
    """The unit ``text`` starts with, inside ``within`` (itself included) or anywhere;
    then the unit under it that the rest starts with (包头市固阳县… is 固阳县), and so on.
    None when no prefix names exactly one unit above the lowest level."""
    text = normalise(text or "")
    if within is None:
        pool = units
    else:
        pool = pd.concat([units[units["code"] == within["code"]],
                          descendants(units, within["code"])])
    # A village does not send a ledger of its own units: look above the lowest level.
    pool = pool[pool["level"] != LEVELS[-1]]
    found = None
    while text and not pool.empty:
        index = NameIndex(pool)
        hit = next(((length, codes) for length in range(len(text), _SHORTEST_NAME - 1, -1)
                    if len(codes := index.lookup(text[:length])) >= 1), None)
        if hit is None or len(hit[1]) != 1:
            break                        # none, or several units: never guess
        found = pool[pool["code"] == hit[1][0]].iloc[0]
        text = text[hit[0]:]
        pool = descendants(units, found["code"])
        pool = pool[pool["level"] != LEVELS[-1]]
    return found
