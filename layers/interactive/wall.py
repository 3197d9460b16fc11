"""The wall screen's colours: the children in one of its modes (value, forecast,
change, exit, problems).

The page draws them on the tiled map (``ui/wall/map.py``), which keeps its tiles all
day and repaints them when the rotation or a data refresh brings new colours.
Colours are ColorBrewer's RdYlBu, which stays apart for the common colour-blindnesses
(the programme's red–green classes do not).
"""

from __future__ import annotations

import pandas as pd

from geo.programme import Programme

MODES = ("value", "forecast", "change", "exit", "problems")
# RdYlBu, five classes, one per class of the programme's legend (worst first).
VALUE_COLOURS = ("#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6")
FORECAST_COLOURS = {"on_time": "#2c7bb6", "at_risk": "#fdae61", "will_miss": "#d7191c",
                    "no_data": "#6b6f78"}
# The exit check (a poverty-exit store): the same blue / orange / red, grey unknown,
# and the villages not due this year dark, like the background.
EXIT_COLOURS = {"passes": "#2c7bb6", "close": "#fdae61", "far": "#d7191c",
                "unknown": "#6b6f78", "not_due": "#2a2f38"}
# Points gained since the previous snapshot: none, then more and more blue.
CHANGE_STEPS = (0.0, 1.0, 3.0, 5.0)
CHANGE_COLOURS = ("#6b6f78", "#deebf7", "#9ecae1", "#4292c6", "#08519c")
NO_DATA = "#6b6f78"
EDGE = "#0f1218"


def value_colour(pct, programme: Programme) -> str:
    """The wall's colour of a completion per cent: the programme's class, RdYlBu."""
    if pct is None or pd.isna(pct):
        return NO_DATA
    for n, cls in enumerate(programme.legend):
        if cls.contains(float(pct)):
            return VALUE_COLOURS[min(n, len(VALUE_COLOURS) - 1)]
    return VALUE_COLOURS[-1]


def change_colour(points) -> str:
    if points is None or pd.isna(points) or points <= CHANGE_STEPS[0]:
        return CHANGE_COLOURS[0]
    steps = sum(points > step for step in CHANGE_STEPS[1:])
    return CHANGE_COLOURS[1 + steps]
