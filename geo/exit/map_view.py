"""The exit check on a static map: what :func:`geo.map_view.map_view` shows for the item
``exit`` (every criterion) or ``exit:CRITERION`` (one) in a poverty-exit store."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geo.errors import UsageError
from geo.exit.readiness import (
    EXIT_LEVELS,
    exit_readiness,
    exit_year,
    readiness_status,
    readiness_table,
)


def exit_table(source, region: pd.Series, *, level: str, item: str,
               as_of: dt.date) -> tuple[pd.DataFrame, dict]:
    """``(table, fields)`` of an exit-check view: the
    :func:`~geo.exit.readiness.readiness_table` of the latest exit year's tests, and the
    :class:`~geo.map_view.MapView` fields ``readiness`` and ``exit_year``.

    Raises
    ------
    UsageError
        Not a poverty-exit store, no household records, a level other than village or
        county, or a criterion not tested at that level.
    """
    households = source.households
    if households is None:
        raise UsageError(reason="exit_needs_poverty_store", param="item", value=item,
                         programme=source.programme.key)
    if households.empty:
        raise UsageError(reason="exit_no_households", param="item", value=item)
    if level not in EXIT_LEVELS:
        raise UsageError(reason="exit_level", param="item", value=item, level=level)
    year = exit_year(households)
    readiness = exit_readiness(source.units, source.progress, households, source.samples,
                               source.programme, level=level, region=region["code"],
                               year=year, as_of=min(as_of, dt.date(year, 12, 31)))
    criterion = item.split(":", 1)[1] if ":" in item else None
    if criterion and criterion not in set(readiness.tests["criterion"]):
        tested = [f"exit:{c}" for c in readiness.tests["criterion"].unique()]
        raise UsageError(reason="exit_criterion_untested", param="item", value=item,
                         level=level, tested=tested)
    status = readiness_status(readiness, source.programme, criterion=criterion)
    return readiness_table(readiness, source.programme), {"readiness": status,
                                                          "exit_year": year}
