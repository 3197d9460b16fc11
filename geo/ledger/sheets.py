"""Read a table file (xlsx, xls, csv) into a plain grid of cells.

Ledgers and site lists are both read here, so an unreadable file is the
same clean :class:`~geo.errors.InputError` whichever was given.

A grid keeps what the file holds and nothing more: cell values, the row
numbers a person sees (Excel's 1-based rows, csv lines) and the merged
ranges, which the ledger reader fills in as it needs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import struct
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import InputError


@dataclass
class Grid:
    cells: list[list]                 # rows of values (str, int, float, datetime, None)
    row_numbers: list[int]            # as a person finds them: 1-based
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    # (first row, first column, last row, last column), 0-based, inclusive
    keeps_merges: bool = True         # False for csv, where a merge became blanks

    def filled(self, rows: range | None = None, skip_columns=frozenset()) -> list[list]:
        """A copy with every merged cell holding its range's value.

        Within ``rows`` only; below a range's first row, ``skip_columns``
        keep their own (blank) value, so a figure merged down over several
        villages is counted once.
        """
        out = [list(row) for row in self.cells]
        for r0, c0, r1, c1 in self.merges:
            value = self.cells[r0][c0]
            for r in range(r0, r1 + 1):
                if rows is not None and r not in rows:
                    continue
                for c in range(c0, c1 + 1):
                    if r == r0 or c not in skip_columns:
                        out[r][c] = value
        return out


def read_grid(path: str | Path, *, sheet: str | None = None,
              encoding: str | None = None) -> Grid:
    """Read the first (or the named) sheet of an xlsx/xls file, or a csv.

    Raises
    ------
    InputError
        The file is missing, of another kind, not a readable workbook, has
        no such sheet, or is a csv in an unknown encoding.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(reason="no_such_file", param="file", file=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix == ".xls":
        return _read_xls(path, sheet)
    if suffix in (".csv", ".txt"):
        return _read_csv(path, encoding)
    raise InputError(reason="not_a_ledger_suffix" if suffix else "no_ledger_suffix",
                     param="file", value=suffix, file=str(path))


def _pad(cells: list[list]) -> list[list]:
    width = max((len(row) for row in cells), default=0)
    return [row + [None] * (width - len(row)) for row in cells]


def _read_xlsx(path: Path, sheet: str | None) -> Grid:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException
    from zipfile import BadZipFile

    try:
        # Not read_only: only the full reader exposes merged ranges.
        book = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError) as exc:
        raise InputError(reason="unreadable_workbook", param="file", format="xlsx",
                         error=str(exc), file=str(path)) from None
    ws = _pick_sheet(path, book.sheetnames, sheet, book.worksheets)
    cells = []
    for row in ws.iter_rows(min_row=1, min_col=1):
        values = []
        for cell in row:
            value = cell.value
            # A share typed as 96.5% is stored as 0.965 with a % format.
            if (isinstance(value, (int, float)) and not isinstance(value, bool)
                    and "%" in (cell.number_format or "")):
                value = round(value * 100, 10)
            values.append(value)
        cells.append(values)
    merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
              for m in ws.merged_cells.ranges]
    cells = _pad(cells)
    return Grid(cells, list(range(1, len(cells) + 1)),
                [m for m in merges if m[0] < len(cells)])


def _read_xls(path: Path, sheet: str | None) -> Grid:
    import xlrd
    from xlrd.compdoc import CompDocError

    try:
        # formatting_info gives the merged ranges (xls only); xlrd's own
        # warnings about a damaged file would go to stdout.
        book = xlrd.open_workbook(str(path), formatting_info=True, logfile=io.StringIO())
    # A truncated file fails inside xlrd's parsing, not with XLRDError.
    except (xlrd.XLRDError, CompDocError, struct.error, IndexError) as exc:
        raise InputError(reason="unreadable_workbook", param="file", format="xls",
                         error=str(exc), file=str(path)) from None
    ws = _pick_sheet(path, book.sheet_names(), sheet,
                     [book.sheet_by_index(i) for i in range(book.nsheets)])
    cells = []
    for r in range(ws.nrows):
        row = []
        for c in range(ws.ncols):
            cell = ws.cell(r, c)
            if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                row.append(None)
            elif cell.ctype == xlrd.XL_CELL_DATE:
                row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                row.append(None)
            else:
                row.append(cell.value)
        cells.append(row)
    merges = [(rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in ws.merged_cells]
    return Grid(_pad(cells), list(range(1, ws.nrows + 1)), merges)


def _pick_sheet(path: Path, names: list[str], wanted: str | None, sheets: list):
    if wanted is None:
        return sheets[0]
    if wanted not in names:
        raise InputError(reason="no_such_sheet", param="sheet", value=wanted, sheets=names,
                         file=str(path))
    return sheets[names.index(wanted)]


def _read_csv(path: Path, encoding: str | None) -> Grid:
    data = path.read_bytes()
    if encoding:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(reason="cannot_decode", param="encoding", value=encoding,
                             error=str(exc), file=str(path)) from None
    else:
        # utf-8-sig reads plain UTF-8 too; GB18030 is the superset of GBK
        # that has the rare characters of village names.
        for candidate in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(candidate)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InputError(reason="csv_encoding_unknown", param="encoding", file=str(path))
    cells, numbers = [], []
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for record in reader:
        cells.append([value if value.strip() else None for value in record])
        numbers.append(start)
        start = reader.line_num + 1
    return Grid(_pad(cells), numbers, keeps_merges=False)


def is_date(value) -> bool:
    return isinstance(value, (dt.date, dt.datetime))
