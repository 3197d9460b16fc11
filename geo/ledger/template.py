"""Write an empty progress ledger laid out as an office keeps one.

The template reads back with ``read_ledger`` unchanged: a title, a
填报单位/截至 line, a two-level header in the programme's own words, one row
per unit with its code as text, and no 合计 row (formulas and imports do not
mix).
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from geo.output import fit_to_page_width, set_text_cell
from geo.programme import Programme

_HEADER_ROWS = (3, 4)
_FIRST_DATA_ROW = 5


def write_template(units: pd.DataFrame, programme: Programme, path, *, level: str,
                   region_name: str, as_of: dt.date | None = None) -> None:
    """Write an empty ledger for ``units`` of one level to an xlsx file.

    Parameters
    ----------
    units
        Columns ``code``, ``name``, ``level``, ``parent_code`` and, for
        villages, ``township_name`` (may be missing). Rows of another level
        than ``level`` are left out; villages are grouped by township in the
        order their townships first appear, otherwise the order is kept.
    programme
        Gives the item names, the field words (first word of each list) and
        the status words offered in the village dropdowns.
    path
        The xlsx file to write.
    level
        ``league``, ``county``, ``township`` or ``village``: binary items are
        a status dropdown for villages and 任务/完工 counts (个) above.
    region_name
        The region in the title, e.g. 包头市.
    as_of
        Written into the 截至 line when given; otherwise left for the office.
    """
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    rows = units[units["level"] == level] if "level" in units.columns else units
    villages = level == "village"
    if villages:
        rows = _group_by_township(rows)

    label_headers = ["序号"] + ([programme.level_word("township")] if villages else []) \
        + ["代码", programme.level_word(level)]
    # (item, top header, [sub headers] or None for a single column)
    item_specs = []
    for item in programme.items:
        words = [programme.fields[f][0] for f in ("target", "started", "completed")]
        if item.measure == "count":
            item_specs.append((item, f"{item.short_zh}（{item.unit_zh}）", words))
        elif item.measure == "binary" and not villages:
            item_specs.append((item, f"{item.short_zh}（{item.unit_zh}）",
                               [words[0], words[2]]))
        elif item.measure == "share":
            item_specs.append((item, f"{item.short_zh}（%）", None))
        else:
            item_specs.append((item, item.short_zh, None))
    width = len(label_headers) + sum(len(s[2]) if s[2] else 1 for s in item_specs)

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "台账"
    bold, center = Font(bold=True), Alignment(horizontal="center", vertical="center",
                                               wrap_text=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)

    ws.cell(1, 1, f"{region_name}{programme.name_zh}工程进度台账").font = Font(bold=True, size=16)
    ws.cell(1, 1).alignment = center
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    split = max(len(label_headers), width - 4)
    ws.cell(2, 1, "填报单位：")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=split)
    date_text = (f"{as_of.year}年{as_of.month}月{as_of.day}日" if as_of
                 else "    年  月  日")
    ws.cell(2, split + 1, f"截至：{date_text}")
    if split + 1 < width:
        ws.merge_cells(start_row=2, start_column=split + 1, end_row=2, end_column=width)

    top, sub = _HEADER_ROWS
    for c, text in enumerate(label_headers, start=1):
        ws.cell(top, c, text)
        ws.merge_cells(start_row=top, start_column=c, end_row=sub, end_column=c)
    c = len(label_headers) + 1
    status_columns = []
    field_columns: dict[tuple[str, str], int] = {}
    for item, header, subs in item_specs:
        ws.cell(top, c, header)
        if subs:
            fields = ("target", "started", "completed") if len(subs) == 3 else (
                "target", "completed")
            for i, (word, field) in enumerate(zip(subs, fields)):
                ws.cell(sub, c + i, word)
                field_columns[(item.key, field)] = c + i
            ws.merge_cells(start_row=top, start_column=c, end_row=top,
                           end_column=c + len(subs) - 1)
            c += len(subs)
        else:
            ws.merge_cells(start_row=top, start_column=c, end_row=sub, end_column=c)
            if item.measure == "binary":
                status_columns.append(c)
            field_columns[(item.key, "status" if item.measure == "binary" else "completed")] = c
            c += 1
    for r in _HEADER_ROWS:
        for col in range(1, width + 1):
            cell = ws.cell(r, col)
            cell.font, cell.alignment, cell.border = bold, center, box

    code_col, name_col = len(label_headers) - 1, len(label_headers)
    r = _FIRST_DATA_ROW
    for n, unit in enumerate(rows.itertuples(index=False), start=1):
        ws.cell(r, 1, n)
        code = ws.cell(r, code_col, _text(unit.code))
        code.number_format = "@"     # keeps leading zeros and all 12 digits
        set_text_cell(ws.cell(r, name_col), _text(unit.name))
        if villages:
            set_text_cell(ws.cell(r, 2), _text(getattr(unit, "township_name", None)))
        _write_figures(ws, r, getattr(unit, "figures", None), field_columns, programme)
        r += 1
    last = r - 1
    if villages:
        _merge_runs(ws, 2, _FIRST_DATA_ROW, last)
    for row in ws.iter_rows(min_row=_FIRST_DATA_ROW, max_row=last, max_col=width):
        for cell in row:
            cell.border = box
    for cell in ws["B"][_FIRST_DATA_ROW - 1:] if villages else ():
        cell.alignment = Alignment(vertical="center")   # the township beside its villages

    if status_columns and last >= _FIRST_DATA_ROW:
        words = [programme.status_words[s][0]
                 for s in ("done", "in_progress", "not_started", "na")]
        check = DataValidation(type="list", formula1='"' + ",".join(words) + '"',
                               allow_blank=True, showErrorMessage=True,
                               error="请从下拉列表选择：" + "、".join(words))
        ws.add_data_validation(check)
        for col in status_columns:
            letter = get_column_letter(col)
            check.add(f"{letter}{_FIRST_DATA_ROW}:{letter}{last}")

    for col in range(1, width + 1):
        ws.column_dimensions[get_column_letter(col)].width = 8 if col > name_col else 14
    ws.column_dimensions[get_column_letter(code_col)].width = 15
    ws.freeze_panes = ws.cell(_FIRST_DATA_ROW, name_col + 1)
    fit_to_page_width(ws)
    book.save(path)   # a path or a file object (the app downloads from memory)


def _write_figures(ws, row: int, figures, columns: dict, programme: Programme) -> None:
    """Pre-fill a row with figures already known (a row sent back to be corrected)."""
    if not isinstance(figures, dict):
        return
    for item, values in figures.items():
        for field, value in values.items():
            column = columns.get((item, field))
            if column is None:
                continue
            if field == "status":
                value = programme.status_words[value][0]
            ws.cell(row, column, value)


def write_unmatched_ledger(unmatched: pd.DataFrame, programme: Programme, path, *,
                           level: str, region_name: str) -> None:
    """The rows of an import that did not join, as a ledger to correct and import again.

    Parameters
    ----------
    unmatched
        Rows of :meth:`geo.store.Store.unmatched` for one import: their names,
        parent names and codes as the office wrote them, and their figures
        (``raw``, as read).
    level
        The import's level.
    """
    rows = pd.DataFrame({
        "code": unmatched["code"], "name": unmatched["name"], "level": level,
        "parent_code": None, "township_name": unmatched["parent_name"],
        "figures": unmatched["raw"].map(lambda raw: json.loads(raw) if raw else {}),
    })
    write_template(rows, programme, path, level=level, region_name=region_name)


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value)


def _group_by_township(rows: pd.DataFrame) -> pd.DataFrame:
    if "township_name" not in rows.columns:
        return rows
    key = rows["township_name"].fillna("")
    first = {name: i for i, name in reversed(list(enumerate(key)))}
    order = sorted(range(len(rows)), key=lambda i: (first[key.iloc[i]], i))
    return rows.iloc[order]


def _merge_runs(ws, col: int, first: int, last: int) -> None:
    """Merge the township cell down over its villages, as offices do."""
    start = first
    for r in range(first + 1, last + 2):
        value = ws.cell(r, col).value if r <= last else object()
        if value != ws.cell(start, col).value:
            if r - 1 > start and ws.cell(start, col).value:
                ws.merge_cells(start_row=start, start_column=col, end_row=r - 1,
                               end_column=col)
            start = r
