"""The wall's two checks as plain data: the exit check of a poverty-exit store and
the supervision problems not yet rectified.

What the page shows of them — which units fail and why, worst first; how many
problems are open and overdue — is decided here; ``ui/wall/`` only draws it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.supervision.problems import problem_figures
from geo.units import descendants

# The readiness of a unit that fails its exit check, worst first.
FAILING = ("far", "close")


@dataclass(frozen=True)
class ExitFigures:
    """What the exit board shows: ``passing`` of ``tested`` units (those due to exit
    this year), the ``failing`` ones' codes worst first, and whether any unit is not
    due (its key then belongs in the legend)."""

    tested: int
    passing: int
    failing: list[str]
    any_not_due: bool


@dataclass(frozen=True)
class Shortfall:
    """One criterion a unit fails: its value against the line, in per cent or
    (``percent`` False) as a count."""

    criterion: str
    value: float
    line: float
    percent: bool


def exit_figures(status: pd.Series) -> ExitFigures:
    """The exit board's figures from each unit's readiness
    (:func:`geo.exit.readiness.readiness_status`, indexed by code).

    Units not due this year are not tested; the failing are ordered far before
    close, each group in the order of ``status``.
    """
    tested = status[status != "not_due"]
    failing = tested[tested.isin(FAILING)]
    order = failing.map({s: n for n, s in enumerate(FAILING)}).sort_values(kind="stable")
    return ExitFigures(tested=len(tested), passing=int((tested == "passes").sum()),
                       failing=list(order.index), any_not_due=bool((status == "not_due").any()))


def shortfalls(failing: list[str], tests: pd.DataFrame, code: str) -> list[Shortfall]:
    """Each criterion in ``failing`` with ``code``'s value and line from the long
    ``tests`` table (``code, criterion, value, line``); the village items are a count,
    every other criterion a per cent."""
    values = tests.set_index(["code", "criterion"])
    return [Shortfall(c, float(values.loc[(code, c), "value"]),
                      float(values.loc[(code, c), "line"]), percent=c != "items")
            for c in failing]


def problems_within(status: pd.DataFrame, units: pd.DataFrame, region: str) -> pd.DataFrame:
    """The rows of ``status`` (one per problem, ``unit_code`` its village) inside
    ``region``."""
    inside = set(descendants(units, region)["code"])
    return status[status["unit_code"].isin(inside)]


def problem_counts(status: pd.DataFrame) -> tuple[int, int]:
    """(open, overdue): the problems not yet rectified or verified, and those of them
    past their deadline (:func:`geo.supervision.problems.problem_figures`)."""
    figures = problem_figures(status)
    return figures.open, figures.overdue
