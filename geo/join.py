"""Joining ledger rows to the store's units: by code, else by name in its parent.

Nothing is guessed.  A row whose code is unknown, whose name matches no unit
after normalisation, or matches two, is returned unmatched with the reason
and the closest candidates, so that a person can decide.  The reason is words
of either language (a :class:`~geo.i18n.errors.Phrase`), kept as the store keeps
it: its English sentence, its key and its fields.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from geo.codes import code_as_written, could_be, level_of_code, lost_digits, national_code
from geo.i18n.errors import Phrase, reason_columns
from geo.names import NameIndex
from geo.programme import LEVELS
from geo.store.schema import UNMATCHED_ROW_COLUMNS
from geo.units import descendants

CROSSWALK_FILE = Path(__file__).resolve().parent.parent / "data" / "crosswalk.csv"
# An unmatched row as the join gives it: the store's columns (geo.store.schema) but its
# import's id, given when it is stored, and the raw cells, which the join never sees.
UNMATCHED_COLUMNS = [c for c in UNMATCHED_ROW_COLUMNS if c != "raw"]


@dataclass(frozen=True)
class JoinResult:
    """Rows that joined (``source_row, unit_code``) and rows that did not
    (:data:`UNMATCHED_COLUMNS`: what the row said, why it joined no unit — in English,
    and as a phrase's key and JSON fields — and the closest candidates)."""

    matched: pd.DataFrame
    unmatched: pd.DataFrame
    level: str


@lru_cache(maxsize=1)
def code_crosswalk() -> dict[str, str]:
    """Old codes to new ones (旬阳县 610928 became 旬阳市 610981 in 2021)."""
    with CROSSWALK_FILE.open(encoding="utf-8") as f:
        return {row["old_code"]: row["new_code"] for row in csv.DictReader(f)}


def join_ledger(rows: pd.DataFrame, units: pd.DataFrame, *, region_code: str,
                level: str | None = None, programme=None) -> JoinResult:
    """Match each ledger row to one unit inside the region.

    Parameters
    ----------
    rows
        ``source_row, code, name, parent_name, level_hint`` (and, where a
        column gives it, ``grandparent_name``) as :func:`geo.ledger.read_ledger`
        gives them.
    units
        The store's units (``code, name, level, parent_code, aliases``).
    region_code
        Only units under this one are candidates.
    level
        The level the rows are at; when None, taken from the ledger's header
        word, else from the length of its codes, else the level at which the
        most names match.
    programme
        When given, a row naming a unit of the shipped register that the
        programme does not cover (an urban 居委会) is said to be so, not unknown.

    Returns
    -------
    JoinResult
    """
    scope = descendants(units, region_code)
    level = level or _infer_level(rows, scope)
    joiner = _Joiner(units, scope, level)
    matched, unmatched, seen = [], [], {}
    for row in rows.itertuples(index=False):
        unit, reason, candidates = joiner.match(row)
        if unit is not None and unit in seen:
            unit, reason, candidates = None, Phrase("join_duplicate", row=seen[unit]), [unit]
        if unit is None:
            unmatched.append({
                "source_row": row.source_row, "name": row.name,
                "parent_name": row.parent_name, "code": row.code,
                **reason_columns(reason), "candidates": "; ".join(candidates),
            })
        else:
            seen[unit] = row.source_row
            matched.append({"source_row": row.source_row, "unit_code": unit})
    if programme is not None and any(u["reason_key"] in _UNKNOWN for u in unmatched):
        _say_not_covered(unmatched, region_code, programme)
    return JoinResult(
        matched=pd.DataFrame(matched, columns=["source_row", "unit_code"]),
        unmatched=pd.DataFrame(unmatched, columns=UNMATCHED_COLUMNS),
        level=level,
    )


# Reasons that say a row names nothing known: a unit of the register the programme
# leaves out (an urban 居委会) is known, and said so.
_UNKNOWN = ("join_no_unit_named", "join_code_unknown", "join_code_unknown_no_unit_named")


def _say_not_covered(unmatched: list[dict], region_code: str, programme) -> None:
    from geo.register import not_covered

    left_out = not_covered(region_code, programme)
    if left_out.empty:
        return
    by_name, codes = NameIndex(left_out), dict(zip(left_out["code"], left_out["name"]))
    for row in unmatched:
        if row["reason_key"] not in _UNKNOWN:
            continue
        code = _clean_code(row["code"])
        found = [code] if code in codes else by_name.lookup(row["name"]) if row["name"] else []
        if len(found) == 1:
            row.update(reason_columns(Phrase("join_not_covered", code=found[0],
                                             name=codes[found[0]])))
            row["candidates"] = ""


class _Joiner:
    """Matches rows at one level inside one region; indexes are built once."""

    def __init__(self, units: pd.DataFrame, scope: pd.DataFrame, level: str):
        self.names = dict(zip(units["code"], units["name"]))
        self.parent_of = dict(zip(units["code"], units["parent_code"]))
        self.scope_codes = set(scope["code"])
        self.at_level = scope[scope["level"] == level]
        self.level_codes = set(self.at_level["code"])
        self.index = NameIndex(self.at_level)
        above = scope["level"].map(LEVELS.index) < LEVELS.index(level)
        self.parents = NameIndex(scope[above])
        self.crosswalk = code_crosswalk()
        self._pools: dict[str, NameIndex] = {}
        self._below: dict[str, list[int]] | None = None

    def match(self, row) -> tuple[str | None, Phrase | None, list[str]]:
        """One unit code, or None with a reason and candidates.

        A row's code decides when the store has it; a code Excel rounded
        (1.50222E+11) decides nothing, but a unit found by name must be one it
        could have been.  Every reason of a row with a code names that code.
        """
        written = code_as_written(row.code) if _has_code(row.code) else None
        rounded = written if lost_digits(written) else None
        code = _clean_code(written)
        if code:
            code = self.crosswalk.get(code, code)
            if code in self.level_codes:
                return code, None, []
            if code in self.names and row.name and code in self.parents.names:
                # A village row carrying its township's code (the bureau prints
                # 150222102000 beside each village): the code says where, the name which.
                unit = self._pool_under(code).lookup(row.name)
                if len(unit) == 1:
                    return unit[0], None, []
            if code in self.names:
                where = ("join_code_outside" if code not in self.scope_codes
                         else "join_code_other_level")
                return None, Phrase(where, code=code), [self.label(code)]
            if not row.name:
                return None, Phrase("join_code_unknown", code=code), []
        if rounded and not row.name:
            return None, Phrase("join_code_rounded", code=rounded), []
        unit, reason, candidates = self._by_name(row)
        if rounded and unit is not None and not could_be(rounded, unit):
            return None, Phrase("join_code_rounded_not", code=rounded, unit=self.label(unit)), \
                [self.label(unit)]
        if reason is None:
            return unit, None, []
        if code and reason.key == "join_no_unit_named":
            return None, Phrase("join_code_unknown_no_unit_named", code=code, name=row.name), \
                candidates
        if code:
            return None, Phrase("join_code_unknown_and", code=code, why=reason), candidates
        if rounded:
            return None, Phrase("join_code_rounded_and", code=rounded, why=reason), candidates
        return None, reason, candidates

    def _by_name(self, row) -> tuple[str | None, Phrase | None, list[str]]:
        if not row.name:
            return None, Phrase("join_no_name_no_code"), []
        pool = self.index
        if row.parent_name:
            parents = self.parents.lookup(row.parent_name)
            grandparent = getattr(row, "grandparent_name", None)
            if len(parents) > 1 and isinstance(grandparent, str) and grandparent:
                # 沙尔沁镇 is a town of 土默特左旗 and of 东河区: the county column says which.
                above = self.parents.lookup(grandparent)
                under = [p for p in parents if any(self._is_under(p, a) for a in above)]
                if not under:
                    return None, Phrase("join_grandparent_unknown", parent=row.parent_name,
                                        grandparent=grandparent), \
                        [self.label(c) for c in parents]
                parents = under
            if len(parents) != 1:
                why = "join_parent_unknown" if not parents else "join_parent_several"
                return None, Phrase(why, parent=row.parent_name), (
                    [self.label(c) for c in parents] or self.parents.closest(row.parent_name))
            pool = self._pool_under(parents[0])
        found = pool.lookup(row.name)
        if len(found) == 1:
            return found[0], None, []
        if found:
            return None, Phrase("join_name_several", name=row.name), [
                self.label(c) for c in found]
        return None, Phrase("join_no_unit_named", name=row.name), pool.closest(row.name)

    def _is_under(self, code: str, ancestor: str) -> bool:
        code, seen = self.parent_of.get(code), set()
        while isinstance(code, str) and code not in seen:
            if code == ancestor:
                return True
            seen.add(code)
            code = self.parent_of.get(code)
        return False

    def label(self, code: str) -> str:
        return f"{code} {self.names.get(code, '')}".strip()

    def _pool_under(self, ancestor: str) -> "NameIndex":
        if ancestor not in self._pools:
            rows = self._rows_below().get(ancestor, [])
            self._pools[ancestor] = NameIndex(self.at_level.iloc[rows])
        return self._pools[ancestor]

    def _rows_below(self) -> dict[str, list[int]]:
        """The positions in ``at_level`` of the units under each ancestor, found in one
        walk up from each unit (a walk per ancestor took 12 s for a province)."""
        if self._below is None:
            self._below = {}
            for row, code in enumerate(self.at_level["code"]):
                seen = set()
                code = self.parent_of.get(code)
                while isinstance(code, str) and code not in seen:
                    seen.add(code)
                    self._below.setdefault(code, []).append(row)
                    code = self.parent_of.get(code)
        return self._below


def _infer_level(rows: pd.DataFrame, scope: pd.DataFrame) -> str:
    hints = rows["level_hint"].dropna().unique()
    if len(hints) == 1 and hints[0] in set(scope["level"]):
        return hints[0]
    codes = rows["code"].dropna().map(_clean_code).dropna()
    code_levels = set(codes.map(level_of_code))
    if len(code_levels) == 1 and None not in code_levels:
        return code_levels.pop()
    best, best_count = None, -1
    for level in LEVELS:
        candidates = scope[scope["level"] == level]
        if candidates.empty:
            continue
        index = NameIndex(candidates)
        count = sum(len(index.lookup(name)) == 1 for name in rows["name"].dropna())
        if count > best_count:
            best, best_count = level, count
    return best or LEVELS[-1]


def _has_code(value) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value))


def _clean_code(code) -> str | None:
    """A code cell in the store's form (:func:`geo.codes.national_code`), None when
    it holds no digits to trust."""
    text = code_as_written(code) if _has_code(code) else None
    return national_code(text) if text and text.isdigit() else None
