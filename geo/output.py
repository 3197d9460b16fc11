"""Tables out: plain text, CSV and JSON with the contract's keys.

CSV cells that start with = + - @ are prefixed with a quote so that a
spreadsheet does not run them as formulas; xlsx cells are typed as text.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import io
import json
import math

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value that a spreadsheet will show, not run."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def set_text_cell(cell, text) -> None:
    """Write text into an openpyxl cell as text, even when it starts with "=".

    openpyxl takes such a string for a formula; a string-typed cell is shown,
    never run, by Excel, WPS and LibreOffice alike, so no quote is needed.
    """
    cell.value = text
    if isinstance(text, str) and text.startswith("="):
        cell.data_type = "s"


def fit_to_page_width(sheet) -> None:
    """Print landscape, all columns on one page width, header rows on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    header_end = sheet.freeze_panes and sheet[sheet.freeze_panes].row - 1
    if header_end:
        sheet.print_title_rows = f"1:{header_end}"


def style_office_sheet(sheet, widths: list[float], *, text_columns=()) -> None:
    """An office list's look: title and note rows merged across, a bold shaded header
    on row 3, thin borders, column ``widths`` in characters, ``text_columns`` (codes)
    kept as text, frozen below the header, printed to a page's width."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    last = get_column_letter(len(widths))
    sheet.merge_cells(f"A1:{last}1")
    sheet.merge_cells(f"A2:{last}2")
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    thin = Side(style="thin", color="999999")
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for n, chars in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = chars * 1.2
    for column in text_columns:
        for cell in sheet[column][3:]:
            cell.number_format = "@"
    sheet.freeze_panes = "A4"
    fit_to_page_width(sheet)


def to_records(frame: pd.DataFrame) -> list[dict]:
    """Records with None for missing values and plain Python numbers."""
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def to_json(frame: pd.DataFrame) -> str:
    return json.dumps(to_records(frame), ensure_ascii=False, indent=1)


def to_csv(frame: pd.DataFrame) -> str:
    cells = frame.map(lambda v: ";".join(v) if isinstance(v, list) else v)
    cells = cells.map(neutralise)
    buffer = io.StringIO()
    cells.to_csv(buffer, index=False)
    return buffer.getvalue()


def to_table(frame: pd.DataFrame) -> str:
    """Aligned text for a terminal; CJK characters count as two columns."""
    if frame.empty:
        return "(none)"
    cells = frame.map(_text)
    widths = {c: max(_width(str(c)), *(cells[c].map(_width))) for c in cells.columns}
    lines = ["  ".join(_pad(str(c), widths[c]) for c in cells.columns)]
    for row in cells.itertuples(index=False):
        lines.append("  ".join(_pad(v, widths[c]) for c, v in zip(cells.columns, row)))
    return "\n".join(lines)


def _plain(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT or value is None:
        return None
    if hasattr(value, "item"):
        return _plain(value.item())
    return value


def _text(value) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(value)
    if isinstance(value, float):
        if value.is_integer():
            return f"{value:,.0f}"
        # Half up from the value as written: 46.15 (6 of 13, kept to two places) is
        # 46.2, where the float 46.149999… would print 46.1.
        return f"{Decimal(repr(value)).quantize(Decimal('0.1'), ROUND_HALF_UP):,}"
    return str(value)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
