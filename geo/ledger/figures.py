"""Read the figures of each unit row.

Takes the :class:`~geo.ledger.model.Rows` and the header's
:class:`~geo.ledger.model.ColumnMap`; gives
:class:`~geo.ledger.model.Figures`: one :class:`~geo.ledger.model.Figure`
per unit and item that says anything (任务/开工/完工 counts, a share, or a
status word read as 1/0 figures), the figures by column for the total
checks, notes on rows that do not add up (more built than started or
planned), and the cells that cannot be read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from geo.i18n.errors import Sentence
from geo.ledger.model import (
    NUMERIC_FIELDS, Column, ColumnMap, Figure, Figures, LedgerRow, Note, Rows, Unreadable,
)
from geo.ledger.values import BadCell, fmt, read_number, read_status, text_of
from geo.programme import Item, Programme


def read_figures(rows: Rows, columns: ColumnMap, programme: Programme, *,
                 file: str) -> Figures:
    """The figures of every unit row in ``rows``, item by item.

    A blank cell is unreported; "—" is not applicable (``status`` na); a
    share with no target is out of 100.

    Parameters
    ----------
    rows
        The unit rows (total rows are left to :mod:`geo.ledger.totals`).
    columns
        Which columns hold which item and field.
    programme
        Gives the status words.
    file
        The file's name, for the notes.
    """
    values, by_cell, notes, unreadable = [], {}, [], []
    for row in rows.units:
        items = _read_items(row, columns, programme, unreadable)
        by_cell[row.source_row] = {label: item.figures[f] for item in items
                                   for f, label in item.columns.items()}
        for item in items:
            figure = item.figure(row.source_row)
            if figure is not None:
                values.append(figure)
                notes += item.notes(figure, file)
    return Figures(values=values, by_cell=by_cell, notes=notes, unreadable=unreadable)


@dataclass
class _ItemCells:
    """One item's cells on one row, as read."""

    item: Item
    columns: dict[str, str] = field(default_factory=dict)     # field → label (counts)
    figures: dict[str, float] = field(default_factory=dict)   # field → figure (counts)
    states: list[str] = field(default_factory=list)           # num, blank, na or bad, per cell
    has_status: bool = False
    status: str | None = None
    status_written: bool = False

    def figure(self, source_row: int) -> Figure | None:
        """The item's figures on the row; None when it says nothing readable."""
        nan = math.nan
        if self.has_status and self.status_written:
            if self.status is None:      # unreadable, already reported
                return None
            if self.status == "na":
                return Figure(source_row, self.item.key, nan, nan, nan, "na")
            return Figure(source_row, self.item.key, target=1.0,
                          started=float(self.status in ("in_progress", "done")),
                          completed=float(self.status == "done"), status=self.status)
        if all(s in ("blank", "bad") for s in self.states):
            return None
        figures = {f: self.figures.get(f, nan) for f in NUMERIC_FIELDS}
        if self.item.measure == "share" and not math.isnan(figures["completed"]) \
                and math.isnan(figures["target"]):
            figures["target"] = 100.0
        only_na = "num" not in self.states
        return Figure(source_row, self.item.key, **figures, status="na" if only_na else None)

    def notes(self, figure: Figure, file: str) -> list[Note]:
        """More completed than started or planned: kept as reported, said."""
        if self.item.measure == "share" or figure.status is not None:
            return []
        t, s, c = figure.target, figure.started, figure.completed
        number, notes = figure.source_row, []
        if not math.isnan(s) and not math.isnan(c) and s < c:
            notes.append(Note(number, Sentence(
                "warn_completed_over_started", file=file, row=number,
                column=self.columns["completed"], completed=fmt(c), started=fmt(s),
                started_column=self.columns["started"])))
        if not math.isnan(t) and not math.isnan(c) and c > t:
            notes.append(Note(number, Sentence(
                "warn_completed_over_target", file=file, row=number,
                column=self.columns["completed"], completed=fmt(c), target=fmt(t))))
        return notes


def _read_items(row: LedgerRow, columns: ColumnMap, programme: Programme,
                unreadable: list[Unreadable]) -> list[_ItemCells]:
    """The row's item cells grouped by item, in the order the items first appear."""
    by_item: dict[str, _ItemCells] = {}
    for c in columns.items:
        cells = by_item.setdefault(c.item.key, _ItemCells(c.item))
        value = row.cells[c.index]
        if c.field == "status":
            cells.has_status = True
            cells.status = _read(read_status, value, row, c, unreadable, programme)
            cells.status_written = bool(text_of(value))
            continue
        figure, state = _read(read_number, value, row, c, unreadable) or (math.nan, "bad")
        cells.figures[c.field] = figure
        cells.states.append(state)
        cells.columns[c.field] = c.label
    return list(by_item.values())


def _read(reader, value, row: LedgerRow, column: Column, unreadable: list[Unreadable],
          *args):
    """``reader(value)``; None, with the cell listed as unreadable, when it cannot."""
    try:
        return reader(value, *args)
    except BadCell as exc:
        unreadable.append(Unreadable(row.source_row, column.label, text_of(value), exc.expected))
        return None
