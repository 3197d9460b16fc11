"""Which villages supervision has reached: the figures the /supervision page shows over
:func:`geo.supervision.rounds.round_coverage` (the share visited at least once, those
never visited, those visited in each of the latest rounds) and its legend's counts.

A round counts from the moment it is planned (kept as an import of kind ``round``);
a village counts as visited in it only once a visit date is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.units import descendants

# The page shows a tile for each of this many latest rounds.
RECENT_ROUNDS = 4


@dataclass(frozen=True)
class CoverageFigures:
    """The coverage tiles: of ``villages``, ``visited`` at least once (``share`` in
    per cent, None when there are no villages), and by round number the villages
    visited in each of the latest rounds, oldest first."""

    villages: int
    visited: int
    share: float | None
    by_round: dict[int, int]

    @property
    def never(self) -> int:
        """The villages no round has visited."""
        return self.villages - self.visited


def region_codes(units: pd.DataFrame, code: str) -> frozenset[str]:
    """``code`` and the code of every unit below it: what a page of that region shows."""
    return frozenset(descendants(units, code)["code"]) | {code}


def rounds_held(visits: pd.DataFrame) -> int:
    """The number of the latest round among ``visits`` (planned or made); 0 when none.

    Examples
    --------
    >>> rounds_held(pd.DataFrame({"round": [1, 2, 2], "visited_on": ["2016-09-01", None, None]}))
    2
    """
    rounds = pd.to_numeric(visits["round"], errors="coerce")
    return int(rounds.max()) if rounds.notna().any() else 0


def recent_rounds(rounds: int) -> list[int]:
    """The latest :data:`RECENT_ROUNDS` round numbers up to ``rounds``, oldest first.

    Examples
    --------
    >>> recent_rounds(6)
    [3, 4, 5, 6]
    >>> recent_rounds(2)
    [1, 2]
    """
    return list(range(max(rounds - RECENT_ROUNDS + 1, 1), rounds + 1))


def coverage_figures(coverage: pd.DataFrame, *, rounds: int) -> CoverageFigures:
    """The tiles of ``coverage`` (:func:`geo.supervision.rounds.round_coverage`: a row
    per village, ``rounds`` the sorted list of rounds that visited it, ``times`` their
    number) when ``rounds`` rounds have been held."""
    visited = int((coverage["times"] > 0).sum())
    return CoverageFigures(
        villages=len(coverage), visited=visited,
        share=100 * (visited / len(coverage)) if len(coverage) else None,
        by_round={n: sum(n in r for r in coverage["rounds"]) for n in recent_rounds(rounds)})


def last_round_counts(last_round: pd.Series, rounds: int) -> dict[int, int]:
    """For each round 1 … ``rounds``, the villages it was the last to visit (the
    coverage map's legend); villages never visited (missing) are not counted."""
    return {n: int((last_round == n).sum()) for n in range(1, rounds + 1)}


def villages_touched(visits: pd.DataFrame, status: pd.DataFrame) -> list[str]:
    """The codes of the villages with a visit (planned or made) or a problem, sorted:
    those a village history can be shown for."""
    return sorted(set(visits["unit_code"]) | set(status["unit_code"]))
