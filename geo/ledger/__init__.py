"""Progress ledgers (台账): read them as offices keep them, write a template.

A ledger is a sheet with a title, a 填报单位/截至 line, a one- or two-level
header (item merged over 任务/开工/完工), one row per unit, 合计/小计 rows
and notes below.  ``read_ledger`` finds the header by its words, keeps the
data rows, checks the totals and drops personal data unread.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pandas as pd

from geo.errors import InputError
from geo.ledger.header import find_header
from geo.ledger.model import NUMERIC_FIELDS, Ledger
from geo.ledger.sheets import Grid, is_date, read_grid
from geo.ledger.template import write_template
from geo.ledger.values import (
    BadCell, fmt, fold, header_key, is_trailer, name_level, read_as_of,
    read_code, read_number, read_status, text_of, total_kind,
)
from geo.programme import Programme

__all__ = ["Ledger", "read_ledger", "write_template"]

def read_ledger(path, programme: Programme, *, sheet: str | None = None,
                encoding: str | None = None) -> Ledger:
    """Read a progress ledger (xlsx, xls or csv) as offices keep it.

    Parameters
    ----------
    path
        The file. csv may be UTF-8 (with or without BOM) or GBK/GB18030.
    programme
        Gives the item header words, the field words (任务/开工/完工) and
        the status words (已完成/在建/未开工/不适用).
    sheet
        The sheet of a workbook; the first one when None.
    encoding
        The encoding of a csv; tried as utf-8-sig, then gb18030, when None.

    Returns
    -------
    Ledger
        One row per unit (never a total row), the figures in long format,
        the as-of date and reporting unit from above the header, the total
        checks and warnings. Personal-data columns are dropped unread.

    Raises
    ------
    InputError
        When no header with a name or code column and an item column can be
        found, or when cells do not hold what their column expects (all such
        cells are listed at once).
    """
    path = str(path)
    file = Path(path).name
    grid = read_grid(path, sheet=sheet, encoding=encoding)
    header = find_header(grid, programme, file=path)
    start, end, columns = header.first_row, header.data_row, header.columns.columns
    item_cols = {c.index for c in columns if c.kind == "item"}
    cells = grid.filled(rows=range(start, len(grid.cells)), skip_columns=item_cols)
    for c in columns:
        if c.kind == "personal":
            for row in cells:
                row[c.index] = None
    as_of, unit = _read_meta(grid, start)
    reader = _Reader(file, programme, columns, grid.row_numbers,
                     fill_parent=not grid.keeps_merges)
    reader.read(cells, end)
    if reader.bad:
        (row, col, value, expected), *rest = reader.bad
        raise InputError(
            f"{value!r} is not {expected}"
            + (f"; {len(rest)} more cell(s) cannot be read" if rest else ""),
            file=path, row=row, column=col,
            details=[f"row {r}, column {c!r}: {v!r} is not {e}" for r, c, v, e in rest])
    return Ledger(
        path=path, rows=reader.rows_frame(), values=reader.values_frame(),
        as_of=as_of, reporting_unit=unit,
        columns={c.label: (c.item.key, c.field) for c in columns if c.kind == "item"},
        ignored_columns=[c.label for c in columns if c.kind == "ignored"],
        dropped_columns=[c.label for c in columns if c.kind == "personal"],
        total_checks=reader.check_totals(),
        warnings=reader.warnings,
    )


# --- lines above the header ------------------------------------------------

def _read_meta(grid: Grid, header_start: int):
    """As-of date and reporting unit from the lines above the header."""
    as_of, unit = None, None
    for row in grid.cells[:header_start]:
        texts = [text_of(v) for v in row]
        joined = "  ".join(t for t in texts if t)
        if as_of is None and re.search(r"截[至止]", joined):
            as_of = read_as_of(joined) or next(
                (v.date() if isinstance(v, dt.datetime) else v
                 for v in row if is_date(v)), None)
        for i, text in enumerate(texts):
            if unit is None and "填报单位" in text:
                rest = re.split(r"填报单位\s*[:：]?", text, maxsplit=1)[1]
                if not rest.strip():
                    rest = next((t for t in texts[i + 1:] if t), "")
                rest = re.split(r"截[至止]|填报(日期|时间)|\s{2,}", rest)[0]
                rest = re.sub(r"[（(]\s*盖章\s*[)）]", "", rest).strip(" :：")
                unit = rest or None
    return as_of, unit


# --- data rows ------------------------------------------------------------

class _Reader:
    """Reads the rows under the header: units, figures, totals, warnings."""

    def __init__(self, file, programme, columns, row_numbers, *, fill_parent):
        self.file, self.programme, self.row_numbers = file, programme, row_numbers
        # A csv saved from a merged sheet keeps the township in its first row
        # only; in a workbook a blank township is blank.
        self.fill_parent = fill_parent
        self.items = [c for c in columns if c.kind == "item"]
        self.name = next((c for c in columns if c.kind == "name"), None)
        self.parent = next((c for c in columns if c.kind == "parent"), None)
        self.code = next((c for c in columns if c.kind == "code"), None)
        self.label_cols = [c for c in columns if c.kind in ("name", "parent", "code")
                           or (c.kind == "ignored" and c.index < min(
                               (i.index for i in self.items), default=0))]
        self.rows, self.values, self.warnings, self.bad = [], [], [], []
        self.figures = {}          # source_row -> {column label: value}
        self.totals = []           # (source_row, kind, label, cells, township, rows before)

    def read(self, cells: list[list], first: int) -> None:
        parent = None
        for r in range(first, len(cells)):
            row, number = cells[r], self.row_numbers[r]
            if all(not text_of(v) for v in row):
                continue
            first_text = next((v for v in row if text_of(v)), None)
            if is_trailer(first_text):
                break
            label = next((text_of(row[c.index]) for c in self.label_cols
                          if total_kind(row[c.index])), None)
            if label is not None:
                township = text_of(row[self.parent.index]) if self.parent else ""
                self.totals.append((number, total_kind(label), label, row,
                                    None if total_kind(township) else township or None,
                                    [n for n, *_ in self.rows]))
                continue
            code = self._cell(number, self.code, row, read_code) if self.code else None
            name = text_of(row[self.name.index]) or None if self.name else None
            if self.parent and (text_of(row[self.parent.index]) or not self.fill_parent):
                parent = text_of(row[self.parent.index]) or None
            if code is None and name is None:
                if any(text_of(row[c.index]) for c in self.items):
                    self.warnings.append(
                        f"{self.file}: row {number}: figures without a name or code; skipped")
                continue
            if name and _is_repeated_header(name, self.programme):
                continue
            self.rows.append((number, code, name, parent if self.parent else None,
                              self.name.level if self.name else None))
            self._read_values(number, row)

    def _cell(self, number, column, row, reader, *args):
        try:
            return reader(row[column.index], *args)
        except BadCell as exc:
            self.bad.append((number, column.label, text_of(row[column.index]), str(exc)))
            return None

    def _read_values(self, number: int, row: list) -> None:
        by_item: dict[str, dict] = {}
        figures = self.figures.setdefault(number, {})
        for c in self.items:
            entry = by_item.setdefault(c.item.key, {"item": c.item, "cols": {}})
            if c.field == "status":
                entry["status"] = self._cell(number, c, row, read_status, self.programme)
                entry["status_seen"] = bool(text_of(row[c.index]))
                continue
            got = self._cell(number, c, row, read_number)
            value, state = got if got else (math.nan, "bad")
            entry[c.field] = value
            entry.setdefault("states", []).append(state)
            entry["cols"][c.field] = c.label
            figures[c.label] = value
        for key, e in by_item.items():
            record = self._value_record(number, key, e)
            if record is not None:
                self.values.append(record)
                self._check_row(number, e, record)

    def _value_record(self, number, key, e) -> dict | None:
        item, nan = e["item"], math.nan
        if "status" in e and e.get("status_seen"):
            status = e["status"]
            if status is None:      # unreadable, already reported
                return None
            if status == "na":
                return dict(source_row=number, item=key, target=nan, started=nan,
                            completed=nan, status="na")
            return dict(source_row=number, item=key, target=1.0,
                        started=float(status in ("in_progress", "done")),
                        completed=float(status == "done"), status=status)
        states = e.get("states", [])
        if not states or all(s in ("blank", "bad") for s in states):
            return None
        figures = {f: e.get(f, nan) for f in NUMERIC_FIELDS}
        if item.measure == "share" and not math.isnan(figures["completed"]) \
                and math.isnan(figures["target"]):
            figures["target"] = 100.0
        only_na = "num" not in states
        return dict(source_row=number, item=key, **figures,
                    status="na" if only_na else None)

    def _check_row(self, number, e, record) -> None:
        if e["item"].measure == "share" or record["status"] is not None:
            return
        t, s, c = record["target"], record["started"], record["completed"]
        cols = e["cols"]
        if not math.isnan(s) and not math.isnan(c) and s < c:
            self.warnings.append(
                f"{self.file}: row {number}, column {cols['completed']!r}: completed "
                f"{fmt(c)} is more than started {fmt(s)} (column {cols['started']!r})")
        if not math.isnan(t) and not math.isnan(c) and c > t:
            self.warnings.append(
                f"{self.file}: row {number}, column {cols['completed']!r}: completed "
                f"{fmt(c)} exceeds target {fmt(t)} (over-completion; kept as reported)")

    def check_totals(self) -> list[dict]:
        checks = []
        numeric = [c for c in self.items if c.field in NUMERIC_FIELDS
                   and c.item.measure != "share"]
        all_rows = [n for n, *_ in self.rows]
        previous_cut = 0
        for number, kind, label, cells, township, before in self.totals:
            if kind == "合计":
                summed_rows = all_rows
            else:
                summed_rows = self._subtotal_rows(label, township, before, previous_cut)
                previous_cut = len(before)
            columns, ok = {}, True
            for c in numeric:
                try:
                    stated, state = read_number(cells[c.index])
                except BadCell:
                    self.warnings.append(
                        f"{self.file}: row {number}, column {c.label!r}: total "
                        f"{text_of(cells[c.index])!r} is not a number; not checked")
                    continue
                if state != "num":
                    continue
                summed = sum(v for n in summed_rows
                             if not math.isnan(v := self.figures.get(n, {}).get(c.label, math.nan)))
                good = math.isclose(stated, summed, rel_tol=1e-9, abs_tol=1e-6)
                columns[c.label] = {"stated": stated, "summed": summed, "ok": good}
                if not good:
                    ok = False
                    self.warnings.append(
                        f"{self.file}: row {number} ({label}), column {c.label!r}: "
                        f"stated {fmt(stated)} but the rows sum to {fmt(summed)}")
            checks.append({"row": number, "label": label, "kind": kind,
                           "rows": len(summed_rows), "columns": columns, "ok": ok})
        return checks

    def _subtotal_rows(self, label, township, before, previous_cut) -> list[int]:
        """小计 sums its township's villages, else the rows since the last 小计."""
        if self.parent:
            named = fold(label).replace("小计", "")
            for candidate in (township, named):
                rows = [n for n, _, _, p, _ in self.rows if candidate and p == candidate]
                if rows:
                    return rows
        return before[previous_cut:]

    def rows_frame(self) -> pd.DataFrame:
        numbers, codes, names, parents, levels = (list(x) for x in zip(*self.rows)) \
            if self.rows else ([], [], [], [], [])
        return pd.DataFrame({
            "source_row": pd.Series(numbers, dtype="int64"),
            "code": pd.Series(codes, dtype=object),
            "name": pd.Series(names, dtype=object),
            "parent_name": pd.Series(parents, dtype=object),
            "level_hint": pd.Series(levels, dtype=object),
        })

    def values_frame(self) -> pd.DataFrame:
        v = self.values
        return pd.DataFrame({
            "source_row": pd.Series([x["source_row"] for x in v], dtype="int64"),
            "item": pd.Series([x["item"] for x in v], dtype=object),
            **{f: pd.Series([x[f] for x in v], dtype="float64") for f in NUMERIC_FIELDS},
            "status": pd.Series([x["status"] for x in v], dtype=object),
        })


def _is_repeated_header(name: str, programme: Programme) -> bool:
    """A header printed again on each page of a long ledger."""
    return name_level(header_key(name), programme)[0]
