"""Read a progress ledger, stage by stage, top-down.

Each stage is a module of its own and gives a small dataclass
(:mod:`geo.ledger.model`) to the next:

1. :mod:`~geo.ledger.sheets` — the file → a :class:`Grid` of cells;
2. :mod:`~geo.ledger.header` — where the header is, and (asking
   :mod:`~geo.ledger.columns`) what each column holds → :class:`Header`;
3. :mod:`~geo.ledger.above` — the 截至 date and 填报单位 above it → :class:`Above`;
4. :mod:`~geo.ledger.rows` — the unit rows and the 合计/小计 rows → :class:`Rows`;
5. :mod:`~geo.ledger.figures` — each unit's figures, item by item → :class:`Figures`;
6. :mod:`~geo.ledger.totals` — whether each total row adds up → :class:`Totals`.

:func:`read_ledger` runs them in that order and gathers a :class:`Ledger`.
The words every stage compares with live in :mod:`geo.ledger.values`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.errors import InputError
from geo.ledger.above import read_above
from geo.ledger.figures import read_figures
from geo.ledger.header import find_header
from geo.ledger.model import NUMERIC_FIELDS, Figure, Ledger, LedgerRow, Unreadable
from geo.ledger.rows import read_rows
from geo.ledger.sheets import read_grid
from geo.ledger.totals import check_totals
from geo.programme import Programme


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
    above = read_above(grid, header)
    rows = read_rows(grid, header, programme, file=file)
    figures = read_figures(rows, header.columns, programme, file=file)
    # Row by row, as a person goes through the file; on one row, its code first.
    _refuse_unreadable(sorted(rows.unreadable + figures.unreadable,
                              key=lambda cell: cell.source_row), path)
    totals = check_totals(rows, figures, header.columns, file=file)
    # The rows' warnings in the file's order, then the totals'.
    notes = sorted(rows.notes + figures.notes, key=lambda note: note.source_row)
    columns = header.columns
    return Ledger(
        path=path, rows=_rows_frame(rows.units), values=_values_frame(figures.values),
        as_of=above.as_of, reporting_unit=above.reporting_unit, title=above.title,
        columns=columns.described(),
        ignored_columns=[c.label for c in columns.of_kind("ignored")],
        dropped_columns=[c.label for c in columns.of_kind("personal")],
        total_checks=[check.as_dict() for check in totals.checks],
        warnings=[note.text for note in notes] + totals.warnings,
    )


def _refuse_unreadable(cells: list[Unreadable], path: str) -> None:
    """Raise one error that lists every unreadable cell, the first as its subject."""
    if not cells:
        return
    first, *rest = cells
    raise InputError(
        reason="cell_unreadable_more" if rest else "cell_unreadable", param="file",
        value=first.value, expected=first.expected, more=len(rest),
        file=path, row=first.source_row, column=first.column,
        details=[InputError(reason="cell_unreadable", param="file", value=c.value,
                            expected=c.expected, row=c.source_row, column=c.column)
                 for c in rest])


def _rows_frame(units: list[LedgerRow]) -> pd.DataFrame:
    return pd.DataFrame({
        "source_row": pd.Series([u.source_row for u in units], dtype="int64"),
        "code": pd.Series([u.code for u in units], dtype=object),
        "name": pd.Series([u.name for u in units], dtype=object),
        "parent_name": pd.Series([u.parent_name for u in units], dtype=object),
        "grandparent_name": pd.Series([u.grandparent_name for u in units], dtype=object),
        "level_hint": pd.Series([u.level_hint for u in units], dtype=object),
    })


def _values_frame(values: list[Figure]) -> pd.DataFrame:
    return pd.DataFrame({
        "source_row": pd.Series([v.source_row for v in values], dtype="int64"),
        "item": pd.Series([v.item for v in values], dtype=object),
        **{f: pd.Series([getattr(v, f) for v in values], dtype="float64")
           for f in NUMERIC_FIELDS},
        "status": pd.Series([v.status for v in values], dtype=object),
    })
