"""Run rates: how fast each unit is moving, and how fast it must move.

A unit's recent pace is the change of its completion per cent between the
snapshot in force :data:`PACE_WINDOW_DAYS` before D and D, per day.  The
pace it needs is what is left (100 % − now) over the days to the next
milestone.  A unit whose pace, kept up, leaves it short on the milestone
day is *lagging* — the list a briefing calls leaders in over.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from geo.programme import Programme

# Two reporting rounds of the demo's programme: long enough to smooth a
# late report, short enough to show this month's effort.
PACE_WINDOW_DAYS = 30

PACE_COLUMNS = ["code", "name", "pct", "pct_before", "since", "pace_per_week",
                "needed_per_week", "forecast_pct", "days_left", "remaining",
                "remaining_per_week", "finish", "days_late", "pace_known", "lagging"]


def run_rates(now: pd.DataFrame, before: pd.DataFrame, programme: Programme, *,
              as_of: dt.date, since: dt.date) -> pd.DataFrame:
    """Pace, needed pace and forecast of each unit for one item.

    Parameters
    ----------
    now, before
        :func:`geo.summary.summarise` rows of one item on ``as_of`` and on
        ``since`` (the earlier snapshot): ``code, name, pct, target, completed``.
    as_of, since
        The two dates; the pace is per day between them.

    Returns
    -------
    DataFrame
        :data:`PACE_COLUMNS`, one row per unit of ``now``.  Per cent points
        per week for the paces; ``remaining`` and ``remaining_per_week`` in
        the item's own unit (households, km…) for count items, else NaN.
        ``days_left`` is to the next milestone (0 when none is left: then
        the needed pace is infinite for an unfinished unit).  Units without
        a value now are not lagging: nobody knows.  ``finish`` is the date
        100 % is reached at the pace kept up (the as-of date when done,
        None when stalled: never); ``days_late`` the days it falls after
        the milestone (0 when on time, None when stalled or no milestone).
        A unit without an earlier value has no pace (``pace_known`` False,
        pace and forecast NaN): unfinished, it counts as lagging — a pace
        nobody knows is never "on time".
    """
    milestone = programme.next_milestone(as_of)
    days_left = (milestone.date - as_of).days if milestone else 0
    table = now[["code", "name", "pct", "target", "completed"]].reset_index(drop=True)
    table["pct_before"] = table["code"].map(before.set_index("code")["pct"])
    elapsed = max((as_of - since).days, 1)
    per_day = (table["pct"] - table["pct_before"]) / elapsed
    left = (100 - table["pct"]).clip(lower=0)
    table["since"] = since
    table["pace_per_week"] = per_day * 7
    weeks = days_left / 7
    table["needed_per_week"] = (left / weeks) if weeks else np.where(left > 0, np.inf, 0.0)
    done = table["pct"] >= 100
    table["forecast_pct"] = (table["pct"] + per_day.clip(lower=0) * days_left).clip(upper=100)
    table.loc[done, "forecast_pct"] = 100.0
    table["pace_known"] = per_day.notna() | done
    table["days_left"] = days_left
    table["remaining"] = (table["target"] - table["completed"]).clip(lower=0)
    table["remaining_per_week"] = table["remaining"] / weeks if weeks else table["remaining"]
    table["finish"] = [_finish(as_of, p, rate) for p, rate in zip(left, per_day)]
    table["days_late"] = [None if f is None or milestone is None
                          else max((f - milestone.date).days, 0) for f in table["finish"]]
    # Rounded as shown: 99.996 % forecast is "100 %" on the slide, not late.
    table["lagging"] = table["pct"].notna() & ~done & ~(table["forecast_pct"].round(1) >= 100)
    return table[PACE_COLUMNS]


def pace_window_start(dates: list[dt.date], as_of: dt.date) -> dt.date | None:
    """The snapshot in force :data:`PACE_WINDOW_DAYS` before ``as_of`` (else the oldest)."""
    earlier = [d for d in dates if d <= as_of - dt.timedelta(days=PACE_WINDOW_DAYS)]
    if earlier:
        return earlier[-1]
    older = [d for d in dates if d < as_of]
    return older[0] if older else None


def _finish(as_of: dt.date, left: float, per_day: float) -> dt.date | None:
    """The day ``left`` points are made up at ``per_day``: today when none are left."""
    if pd.isna(left):
        return None
    if left <= 0:
        return as_of
    if not per_day > 0:
        return None
    return as_of + dt.timedelta(days=math.ceil(left / per_day))
