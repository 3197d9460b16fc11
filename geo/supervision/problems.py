"""Problems found by supervision (问题清单) and their rectification (整改台账).

A problem is found open.  The county works on it (``in_progress``) and reports it
``rectified`` with a date and a note; the next visit finds it ``verified`` — or
``reopened``, and the work starts again.  A problem cannot be verified before it
is rectified, nor change on a date before its last change.

Overdue is counted on the data's as-of date, never the wall clock: a problem not
yet rectified whose deadline has passed on that date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from geo.i18n import pair
from geo.i18n.errors import Sentence
from geo.units import ancestor_codes

STATUSES = ("open", "in_progress", "rectified", "verified", "reopened")
# key → (Chinese, English), from the vocabulary: indexed by ``lang == "en"``.
STATUS_WORDS = {status: pair(f"problem_status_{status}") for status in STATUSES}
# Where each status may go next.
TRANSITIONS = {"open": {"in_progress", "rectified"},
               "in_progress": {"rectified"},
               "rectified": {"verified", "reopened"},
               "reopened": {"in_progress", "rectified"},
               "verified": {"reopened"}}
CATEGORIES = {key: pair(f"problem_category_{key}")
              for key in ("progress", "quality", "funds", "complaints")}
SEVERITIES = {key: pair(f"problem_severity_{key}") for key in ("minor", "major", "severe")}
# Done, as far as the county is concerned: not overdue however late.
SETTLED = ("rectified", "verified")
# What a map shows of a problem, most urgent first.
PROBLEM_CLASSES = ("overdue", "open", "rectified", "verified")
STATUS_COLUMNS = ["problem_id", "round", "unit_code", "found_on", "team", "category",
                  "description", "severity", "responsible", "deadline", "status",
                  "status_on", "note", "overdue", "days_overdue"]


@dataclass(frozen=True)
class ProblemFigures:
    """The problems of a region on a date, as the supervision page's tiles count them."""

    problems: int
    open: int
    """Not yet rectified or verified (in progress and reopened count as open)."""
    overdue: int
    rate: float | None
    """Rectified or verified over all, in per cent; None when there are no problems."""


def problem_figures(status: pd.DataFrame) -> ProblemFigures:
    """The tiles of :func:`problem_status` rows: how many problems, open, overdue, and
    the share settled.

    Examples
    --------
    >>> rows = pd.DataFrame({"status": ["open", "rectified", "verified", "reopened"],
    ...                      "overdue": [True, False, False, False]})
    >>> problem_figures(rows)
    ProblemFigures(problems=4, open=2, overdue=1, rate=50.0)
    """
    settled = status["status"].isin(SETTLED)
    return ProblemFigures(problems=len(status), open=int((~settled).sum()),
                          overdue=int(status["overdue"].sum()),
                          rate=100 * float(settled.mean()) if len(status) else None)


def overdue_problems(problems: pd.DataFrame) -> pd.DataFrame:
    """The overdue rows of ``problems`` (:func:`problem_status` rows or a list of them),
    most days late first; equally late ones in the order given."""
    late = problems[problems["overdue"].astype(bool)]
    return late.sort_values("days_overdue", ascending=False, kind="stable")


def unverified(status: pd.DataFrame) -> pd.DataFrame:
    """The problems not yet verified (销号): those the supervision page offers for a
    change of status, and those a round's plan must revisit."""
    return status[status["status"] != "verified"]


def category_word(category: str, lang: str) -> str:
    """A problem's category in ``lang``; a category the vocabulary does not know, as
    written."""
    return CATEGORIES.get(category, (category, category))[lang == "en"]


def status_word(status, lang: str) -> str:
    """A problem's status in ``lang``; "" for none (a history row that is a visit)."""
    if not isinstance(status, str) or not status:
        return ""
    return STATUS_WORDS[status][lang == "en"]


def problem_class(status: str, overdue: bool) -> str:
    """A problem as a map shows it: overdue, open (in progress or reopened too),
    rectified or verified."""
    if overdue:
        return "overdue"
    return status if status in SETTLED else "open"


def worst_per_village(status: pd.DataFrame) -> pd.DataFrame:
    """One row per village with problems: ``unit_code, worst`` (its most urgent
    class), ``count``; the most urgent villages last (drawn on top)."""
    classes = [problem_class(s, o) for s, o in zip(status["status"], status["overdue"])]
    rank = pd.Series([PROBLEM_CLASSES.index(c) for c in classes], index=status.index)
    ranked = status.assign(worst=classes, rank=rank).sort_values("rank")
    worst = ranked.groupby("unit_code", sort=False).agg(worst=("worst", "first"),
                                                         rank=("rank", "first"),
                                                         count=("problem_id", "size"))
    return worst.sort_values("rank", ascending=False).drop(columns="rank").reset_index()


def transition_problem(current: str, wanted: str) -> Sentence | None:
    """Why ``current`` cannot become ``wanted``, or None when it may.

    The reason is a :class:`~geo.i18n.errors.Sentence`: its English as a string, its
    key and fields (``.phrase``) for a sentence in either language.
    """
    if wanted not in STATUSES:
        return Sentence("not_a_problem_status", wanted=wanted, statuses=list(STATUSES))
    if wanted in TRANSITIONS[current]:
        return None
    if wanted == "verified":
        return Sentence("verified_before_rectified", current=current)
    return Sentence("status_cannot_become", current=current, wanted=wanted)


def problem_status(problems: pd.DataFrame, events: pd.DataFrame, *,
                   as_of: dt.date | None = None) -> pd.DataFrame:
    """Each problem found by ``as_of`` with its status on that date (None: every
    problem, its latest status, none overdue).

    Parameters
    ----------
    problems, events
        ``Store.records("problems")`` and ``("problem_events")``.

    Returns
    -------
    DataFrame
        :data:`STATUS_COLUMNS`: the latest change on or before ``as_of``
        (``open`` on the day found when none), ``overdue`` when not settled and
        the deadline is before ``as_of``, by ``days_overdue``.
    """
    found, changes = problems, events
    if as_of is not None:
        found = problems[problems["found_on"].astype(str) <= as_of.isoformat()]
        changes = events[events["on_date"].astype(str) <= as_of.isoformat()]
    latest = _replayed(changes)
    table = found.drop(columns=["import_id", "source_row"], errors="ignore").set_index(
        "problem_id")
    table["status"] = latest["status"].reindex(table.index).fillna("open")
    table["status_on"] = latest["on_date"].reindex(table.index).fillna(table["found_on"])
    table["note"] = latest["note"].reindex(table.index)
    deadline = pd.to_datetime(table["deadline"], errors="coerce")
    late = ((pd.Timestamp(as_of) - deadline).dt.days if as_of is not None
            else pd.Series(float("nan"), index=table.index))
    table["overdue"] = (~table["status"].isin(SETTLED) & (late > 0)).fillna(False)
    table["days_overdue"] = late.where(table["overdue"]).astype("Int64")
    return table.reset_index()[STATUS_COLUMNS]


def _replayed(changes: pd.DataFrame) -> pd.DataFrame:
    """Each problem's last change that its status allowed, replayed in date order (on
    the same day, import order): an undo can leave a verification whose rectification
    it set aside, and that one no longer counts.  ``status, on_date, note`` by id."""
    ordered = changes.sort_values(["on_date", "import_id", "source_row"], kind="stable")
    last = {}
    for change in ordered.itertuples():
        current = last.get(change.problem_id, ("open",))[0]
        if change.status in TRANSITIONS[current]:
            last[change.problem_id] = (change.status, change.on_date, change.note)
    return pd.DataFrame.from_dict(last, orient="index",
                                  columns=["status", "on_date", "note"])


def rectification_ledger(status: pd.DataFrame, units: pd.DataFrame, *,
                         level: str = "county") -> pd.DataFrame:
    """Per unit of ``level`` (the problems' villages rolled up): ``code, name, problems,
    open, overdue, rectified, verified, rate`` — rate is rectified or verified over
    all, in per cent — the most overdue first."""
    unit = ancestor_codes(units, status["unit_code"], level)
    frame = status.assign(unit=unit.to_numpy())
    counts = frame.groupby("unit").agg(
        problems=("problem_id", "size"),
        open=("status", lambda s: int((~s.isin(SETTLED)).sum())),
        overdue=("overdue", "sum"),
        rectified=("status", lambda s: int((s == "rectified").sum())),
        verified=("status", lambda s: int((s == "verified").sum())))
    counts["rate"] = (100 * (counts["rectified"] + counts["verified"])
                      / counts["problems"]).round(1)
    names = units.set_index("code")["name"]
    counts.insert(0, "name", counts.index.map(names))
    counts = counts.astype({"overdue": int}).rename_axis("code").reset_index()
    return counts.sort_values(["overdue", "open", "code"], ascending=[False, False, True],
                              kind="stable").reset_index(drop=True)
