"""The pieces every deck slide is made of: titles, text boxes, real tables, fills and
the figures' formats — one font (微软雅黑) and one palette for every slide."""

from __future__ import annotations

import math

import pandas as pd
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

FONT = "微软雅黑"
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
# Rows of a table on one slide; longer lists continue on the next.
ROWS_PER_SLIDE = 14
# The lagging table's rows are taller (14 pt): twelve fit under the title.
LAGGING_ROWS = 12
DARK, MUTED, RED = RGBColor(0x1A, 0x1A, 0x1A), RGBColor(0x55, 0x55, 0x55), \
    RGBColor(0xC0, 0x1C, 0x1C)
HEADER_FILL, LAST_FILL, LAG_FILL = RGBColor(0x2B, 0x57, 0x9A), RGBColor(0xF8, 0xD0, 0xD0), \
    RGBColor(0xFD, 0xEB, 0xD3)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)


def add_title(slide, title: str, subtitle: str) -> None:
    title = title[:1].upper() + title[1:]      # "banner/county ranking" opens a slide
    # A long (English) title on one line: 24 pt holds about 50 characters across.
    size = 24 if len(title) <= 50 else 18
    add_text(slide, title, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.6), size=size,
          bold=True)
    if subtitle:
        add_text(slide, subtitle, Inches(0.5), Inches(0.85), Inches(12.3), Inches(0.4), size=14,
              color=MUTED)


def add_text(slide, text: str, left, top, width, height, *, size: int, bold: bool = False,
          color: RGBColor = DARK):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for n, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        add_run(paragraph, line, size=size, bold=bold, color=color)
    return box


def add_table(slide, header: list[str], body: list[list[str]], *, top, widths: list[float],
           size: int, left=None, header_size: int | None = None, name_column: int = 0):
    """A real table: a header row, zebra rows, names left and figures centred."""
    total = sum(widths)
    left = Inches((13.333 - total) / 2) if left is None else left
    row_h = Inches(0.32 if size <= 13 else 0.4)
    shape = slide.shapes.add_table(len(body) + 1, len(header), left, top, Inches(total),
                                   Emu(row_h * (len(body) + 1)))
    table = shape.table
    for n, width in enumerate(widths):
        table.columns[n].width = Inches(width)
    for r, values in enumerate([header] + body):
        table.rows[r].height = row_h
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.margin_top = cell.margin_bottom = Pt(2)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            paragraph = cell.text_frame.paragraphs[0]
            paragraph.alignment = PP_ALIGN.LEFT if c == name_column else PP_ALIGN.CENTER
            add_run(paragraph, value, size=(header_size or size) if r == 0 else size,
                 bold=r == 0, color=WHITE if r == 0 else DARK)
            if r == 0:
                fill_cell(cell, HEADER_FILL)
            else:
                fill_cell(cell, RGBColor(0xFF, 0xFF, 0xFF) if r % 2 else RGBColor(0xF2, 0xF4, 0xF7))
    return table


def fill_row(table, row: int, color: RGBColor, *, bold: bool = False) -> None:
    for cell in table.rows[row].cells:
        fill_cell(cell, color)
        for run in cell.text_frame.paragraphs[0].runs:
            run.font.bold = bold or run.font.bold


def fill_cell(cell, color: RGBColor) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = color


def add_run(paragraph, text: str, *, size: int, bold: bool, color: RGBColor) -> None:
    run = paragraph.add_run()
    run.text = text
    font = run.font
    font.size, font.bold, font.name = Pt(size), bold, FONT
    font.color.rgb = color
    # font.name sets only the Latin face; Chinese is drawn with the East Asian one,
    # in its simplified forms (without a language LibreOffice took the Japanese face).
    properties = run._r.get_or_add_rPr()
    properties.set("lang", "zh-CN" if any("\u4e00" <= c <= "\u9fff" for c in text)
                   else "en-US")
    properties.set("altLang", "en-US")
    for tag in ("a:ea", "a:cs"):
        element = properties.find(qn(tag))
        if element is None:
            element = properties.makeelement(qn(tag), {})
            properties.append(element)
        element.set("typeface", FONT)


def fmt_pct(value, decimals: int = 1) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.{decimals}f}"


def fmt_number(value) -> str:
    if value is None or pd.isna(value):
        return "—"
    return "∞" if math.isinf(value) else f"{value:,.1f}"


def fmt_int(value) -> str:
    return "—" if value is None or pd.isna(value) else str(int(value))
