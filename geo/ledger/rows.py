"""Sort the rows under a ledger's header into units and totals.

Takes the :class:`~geo.ledger.sheets.Grid` and the
:class:`~geo.ledger.model.Header`; gives :class:`~geo.ledger.model.Rows`:
one :class:`~geo.ledger.model.LedgerRow` per row that names a unit (its
code, name, township and cells, personal data blanked) and one
:class:`~geo.ledger.model.TotalRow` per 合计/小计 row. Blank rows and a
header printed again on each page are passed over; the notes and
signatures below the table (注：…, 填报人：…) end it.
"""

from __future__ import annotations

from geo.i18n.errors import Sentence
from geo.ledger.model import Column, Header, LedgerRow, Note, Rows, TotalRow, Unreadable
from geo.ledger.sheets import Grid
from geo.ledger.values import (
    BadCell, header_key, is_trailer, name_level, read_code, read_number, text_of, total_kind,
)
from geo.programme import Programme


def read_rows(grid: Grid, header: Header, programme: Programme, *, file: str) -> Rows:
    """The unit rows and total rows under ``header``, top-down.

    Parameters
    ----------
    grid, header
        The sheet and where its header is.
    programme
        Gives the header words, to know a header printed again.
    file
        The file's name, for the notes.
    """
    columns = header.columns
    cells = _cells_under(grid, header)
    name, parent, code = columns.name, columns.parent, columns.code
    # A csv saved from a merged sheet keeps the township in its first row
    # only; in a workbook a blank township is blank.
    fill_parent = not grid.keeps_merges
    units, totals, notes, unreadable = [], [], [], []
    township = county = None
    grandparent = columns.grandparent
    header_texts = [text_of(v) for v in cells[header.data_row - 1]]
    item_columns = {c.index for c in columns.items}
    for r in range(header.data_row, len(cells)):
        row, number = cells[r], grid.row_numbers[r]
        if all(not text_of(v) for v in row):
            continue
        if _repeats_header(row, header_texts, item_columns):
            continue            # the header merged down over a second row, or printed again
        if is_trailer(next((v for v in row if text_of(v)), None)):
            break
        total = _total_row(row, number, columns.row_labels, parent, len(units))
        if total is not None:
            totals.append(total)
            continue
        unit_code = _code(row, number, code, unreadable) if code else None
        unit_name = text_of(row[name.index]) or None if name else None
        if parent and (text_of(row[parent.index]) or not fill_parent):
            township = text_of(row[parent.index]) or None
        if grandparent and (text_of(row[grandparent.index]) or not fill_parent):
            county = text_of(row[grandparent.index]) or None
        if unit_code is None and unit_name is None:
            if any(text_of(row[c.index]) for c in columns.items):
                notes.append(Note(number, Sentence("warn_figures_without_unit", file=file,
                                                   row=number)))
            continue
        if unit_name and _is_repeated_header(unit_name, row, columns.items, programme):
            continue
        units.append(LedgerRow(
            source_row=number, code=unit_code, name=unit_name,
            parent_name=township if parent else None,
            level_hint=name.level if name else None, cells=row,
            grandparent_name=county if grandparent else None))
    return Rows(units=units, totals=totals, notes=notes, unreadable=unreadable)


def _repeats_header(row: list, header_texts: list[str], item_columns: set[int]) -> bool:
    """Whether a row says what the header says: its cells are the header's words, an
    item's cell blank (a merge is filled down, but never over figures' columns)."""
    texts = [text_of(v) for v in row]
    return any(texts) and all(text == word or (not text and c in item_columns)
                              for c, (text, word) in enumerate(zip(texts, header_texts)))


def _cells_under(grid: Grid, header: Header) -> list[list]:
    """The grid with merges filled from the header down, personal data blanked.

    A figure merged down over several villages stays in its first row only,
    so that it is counted once.
    """
    items = {c.index for c in header.columns.items}
    cells = grid.filled(rows=range(header.first_row, len(grid.cells)), skip_columns=items)
    for c in header.columns.of_kind("personal"):
        for row in cells:
            row[c.index] = None
    return cells


def _total_row(row: list, number: int, label_columns: list[Column],
               parent: Column | None, units_above: int) -> TotalRow | None:
    """A 合计/小计 row, known by a label column that says so."""
    label = next((text_of(row[c.index]) for c in label_columns
                  if total_kind(row[c.index])), None)
    if label is None:
        return None
    township = text_of(row[parent.index]) if parent else ""
    return TotalRow(source_row=number, kind=total_kind(label), label=label,
                    township=None if total_kind(township) else township or None,
                    units_above=units_above, cells=row)


def _code(row: list, number: int, column: Column, unreadable: list[Unreadable]) -> str | None:
    try:
        return read_code(row[column.index])
    except BadCell as exc:
        unreadable.append(Unreadable(number, column.label, text_of(row[column.index]), exc.expected))
        return None


def _is_repeated_header(name: str, row: list, items: list[Column],
                        programme: Programme) -> bool:
    """A header printed again on each page of a long ledger: a header word where the
    name goes and no figure in the row (商都县 has a village named 苏木)."""
    if not name_level(header_key(name), programme)[0]:
        return False
    return not any(_is_figure(row[c.index], programme) for c in items)


def _is_figure(value, programme: Programme) -> bool:
    if programme.status_of(value) is not None:
        return True
    try:
        return read_number(value)[1] == "num"
    except BadCell:
        return False
