"""Why an import joined too few of its rows, cause by cause, each with its fix.

An import that joins fewer than :data:`MIN_JOIN_RATE` of its data rows stores no
figure (``--partial`` lands the matched rows anyway): :func:`join_causes` groups
its unmatched rows by why they did not join (the join's reason keys, see
:mod:`geo.join`) and says for each group what to do — give the region, import
the village list, correct the names.  A cause is plain data (``key``, ``count``
and the fields its words name), so that a report stores it and says it in either
language (``data/words/reports.toml``: ``cause_KEY`` and ``fix_KEY``).
"""

from __future__ import annotations

import pandas as pd

from geo.errors import InputError
from geo.programme import LEVELS
from geo.units import descendants

# Below 90 % the file was most likely joined in the wrong place (a region missing,
# a county's township names met in another county) or before the store had its
# villages: landing the rest would drop the others from the gaps list without a word.
MIN_JOIN_RATE = 0.9
# One row of a small ledger (8 of 9) is a typo to correct, not a failed import: it is
# reported and kept in the unmatched rows like any other, and the rest land.
MOST_ROWS_A_TYPO = 1

# The join's reasons (geo.join) grouped into causes; an unknown reason is its own.
_CAUSE_OF_REASON = {
    "join_parent_several": "parent_several",
    "join_parent_unknown": "parent_unknown",
    "join_grandparent_unknown": "parent_unknown",
    "join_no_unit_named": "no_unit_named",
    "join_name_several": "name_several",
    "join_code_unknown": "code_unknown",
    "join_code_unknown_no_unit_named": "code_unknown",
    "join_code_outside": "code_outside",
    "join_code_other_level": "code_other_level",
    "join_duplicate": "duplicate",
    "join_no_name_no_code": "no_name_no_code",
    "join_code_unknown_and": "code_unknown",
    "join_code_rounded": "code_rounded",
    "join_code_rounded_and": "code_rounded",
    "join_code_rounded_not": "code_rounded",
    "join_not_covered": "not_covered",
}
# Rows naming units the programme does not cover (an urban 居委会 in a village ledger)
# are reported, but not counted against the join rate: no covered unit was missed.
OUTSIDE_THE_PROGRAMME = ("join_not_covered",)


class JoinRefused(InputError):
    """Too few rows joined: nothing was stored.  ``report`` is the import's report
    (its ``causes`` say why, its ``import_id`` where the refusal is recorded)."""

    def __init__(self, report, **kwargs):
        self.report = report
        rate = report.matched / report.rows_read if report.rows_read else 0.0
        super().__init__(reason="join_rate_low", param="partial", file=report.file,
                         matched=report.matched, rows=report.rows_read,
                         rate=f"{rate:.0%}", needed=f"{MIN_JOIN_RATE:.0%}",
                         details=[report], **kwargs)


def join_rate(matched: int, rows: int) -> float:
    """Matched rows ÷ data rows (1 for a file without data rows: nothing to lose)."""
    return matched / rows if rows else 1.0


def too_few_joined(matched: int, rows: int) -> bool:
    """Whether an import mostly failed: below :data:`MIN_JOIN_RATE`, and more rows lost
    than :data:`MOST_ROWS_A_TYPO`."""
    return join_rate(matched, rows) < MIN_JOIN_RATE and rows - matched > MOST_ROWS_A_TYPO


def join_causes(unmatched: pd.DataFrame, units: pd.DataFrame, *, region: pd.Series,
                level: str, title_unit: pd.Series | None = None) -> list[dict]:
    """The unmatched rows grouped by cause, the largest first, each with its fix.

    Parameters
    ----------
    unmatched
        The join's unmatched rows (``reason_key``, ``candidates``, ...).
    units
        The store's units.
    region
        The unit the rows were joined inside.
    level
        The level of the ledger's rows.
    title_unit
        The unit the file's title or 填报单位 names, if any (whether or not it
        was used): the region to give when township names repeat.

    Returns
    -------
    list of dict
        ``{"key", "count", "fields"}``, ``fields`` what the cause's words name.
    """
    if unmatched.empty:
        return []
    scope = descendants(units, region["code"])
    where = {"region": region["name"], "region_code": region["code"], "level": level}
    if not (scope["level"] == level).any():
        # Nothing at that level to join to: every other reason follows from this one.
        return [{"key": "no_units", "count": len(unmatched), "fields": where}]
    keys = unmatched["reason_key"].map(lambda k: _CAUSE_OF_REASON.get(k, "other"))
    causes = []
    for key, rows in unmatched.groupby(keys, sort=False):
        fields = dict(where, parent_level=_level_above(level))
        if key == "parent_several":
            fields |= _regions_to_give(rows, units, title_unit)
            fields["grand_level"] = _level_above(fields["parent_level"])
            key = ("parent_several_title" if "title_code" in fields
                   else "parent_several_one" if "one_code" in fields else key)
        elif key == "other":
            # A reason this module does not know yet: said as the join said it.
            fields["reason_row"] = {k: rows[k].iloc[0] for k in
                                    ("reason", "reason_key", "reason_fields") if k in rows}
        causes.append({"key": key, "count": len(rows), "fields": fields})
    return sorted(causes, key=lambda c: -c["count"])


def title_outside_cause(title_unit: pd.Series, region: pd.Series) -> dict:
    """The title names a unit outside the region given: the region is likely wrong."""
    return {"key": "title_outside", "count": 0,
            "fields": {"title": title_unit["name"], "title_code": title_unit["code"],
                       "region": region["name"], "region_code": region["code"]}}


def _regions_to_give(rows: pd.DataFrame, units: pd.DataFrame,
                     title_unit: pd.Series | None) -> dict:
    """The regions that would make a repeated parent name one unit: the units above
    its candidates (the counties whose townships share the name); the one that has
    a candidate for every row, when one has."""
    parent_of = dict(zip(units["code"], units["parent_code"]))
    names = dict(zip(units["code"], units["name"]))
    per_row = [{parent_of.get(label.split(" ")[0]) for label in str(text or "").split("; ")
                if label} - {None} for text in rows["candidates"]]
    above = sorted(set().union(*per_row))
    if title_unit is not None and title_unit["code"] in above:
        return {"title": title_unit["name"], "title_code": title_unit["code"]}
    in_every = sorted(set.intersection(*per_row)) if per_row else []
    if len(in_every) == 1:
        return {"one": names.get(in_every[0], ""), "one_code": in_every[0]}
    return {"regions": ", ".join(f"{c} {names.get(c, '')}".strip() for c in above)}


def _level_above(level: str) -> str:
    return LEVELS[max(LEVELS.index(level) - 1, 0)] if level in LEVELS else level
