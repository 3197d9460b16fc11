"""The briefing's supervision slides (督导整改) from a :class:`geo.supervision.briefing.
SupervisionPage`: the problems on a map beside the round's reach and the problems by
category; rectification by unit; the worst overdue problems, in red."""

from __future__ import annotations

import io
from dataclasses import replace

from pptx.util import Inches

from geo.supervision.briefing import SupervisionPage
from geo.i18n import t, unit_name
from geo.map_view import MapView
from geo.supervision.problems import CATEGORIES
from layers.deck.parts import DARK, LAST_FILL, RED, add_table, add_text, add_title, fill_row
from layers.interactive.problems import PROBLEM_COLOURS, PROBLEM_WORDS
from layers.static.map import build_map_figure, map_bytes


def supervision_slides(add, page: SupervisionPage, overview: MapView, *, subtitle: str,
                       level: str, lang: str) -> None:
    """Add the slides through ``add(kind)`` (a blank slide of that kind): the problems
    on a map with the round's reach and the problems by category; rectification by
    unit of ``level``; the worst overdue.  ``overview`` is the briefing's map."""
    english = lang == "en"

    slide = add("supervision")
    if page.points is not None and len(page.points):
        words = PROBLEM_WORDS["en" if english else "zh"]
        points = page.points.assign(colour=page.points["worst"].map(PROBLEM_COLOURS),
                                    label=page.points["worst"].map(words))
        view = replace(overview, points=points, points_title=words["title"])
        png = map_bytes(build_map_figure(view, size="panel", lang=lang, titled=False), "png")
        slide.shapes.add_picture(io.BytesIO(png), Inches(0.2), Inches(1.2), width=Inches(9.0))
    add_title(slide, t("deck_sup_title", lang, n=page.round), subtitle)
    share = 100 * page.visited_ever / page.villages if page.villages else 0.0
    add_text(slide, t("deck_sup_reach", lang, round=page.visited_round,
                      ever=page.visited_ever, all=page.villages, share=share),
             Inches(9.4), Inches(1.4), Inches(3.7), Inches(1.4), size=15, bold=True,
             color=DARK)
    add_table(slide, [t(key, lang) for key in ("sup_category", "deck_sup_this_round",
                                                "deck_sup_all")],
              [[CATEGORIES[r.category][english], str(r.this_round), str(r.all)]
               for r in page.by_category.itertuples()],
              top=Inches(3.1), left=Inches(9.5), widths=[1.4, 1.05, 1.05], size=13)

    slide = add("supervision")
    add_title(slide, t("deck_sup_ledger", lang, level=level), subtitle)
    ledger = page.ledger.head(14)
    header = [t(key, lang) for key in ("exit_unit", "sup_n_problems", "sup_col_open",
                                       "sup_col_overdue", "sup_col_rectified",
                                       "sup_col_verified", "deck_sup_rate")]
    table = add_table(slide, header,
                      [[unit_name(r.name, lang), str(r.problems), str(r.open), str(r.overdue),
                        str(r.rectified), str(r.verified), f"{r.rate:.1f}"]
                       for r in ledger.itertuples()],
                      top=Inches(1.45), widths=[3.0, 1.3, 1.3, 1.3, 1.3, 1.3, 1.5], size=13)
    for n, overdue in enumerate(ledger["overdue"], start=1):
        if overdue > 0:
            fill_row(table, n, LAST_FILL, bold=n == 1)

    slide = add("supervision")
    add_title(slide, t("deck_sup_overdue", lang, n=len(page.overdue)), subtitle)
    if page.overdue.empty:
        add_text(slide, t("deck_sup_none_overdue", lang), Inches(0.6), Inches(1.5),
                 Inches(12), Inches(1), size=20)
        return
    rows = page.overdue
    header = [t(key, lang) for key in ("village", "exit_unit", "sup_category", "deck_sup_what",
                                       "sup_deadline", "sup_col_days")]
    table = add_table(slide, header,
                      [[unit_name(r.village, lang), unit_name(r.county or "", lang),
                        CATEGORIES.get(r.category, (r.category,) * 2)[english],
                        str(r.description or "")[:40], str(r.deadline), str(int(r.days_overdue))]
                       for r in rows.itertuples()],
                      top=Inches(1.45), widths=[1.9, 2.2, 1.2, 4.6, 1.5, 1.2], size=12)
    for n in range(1, len(rows) + 1):
        fill_row(table, n, LAST_FILL)
        cell = table.cell(n, 5).text_frame.paragraphs[0].runs[0]
        cell.font.color.rgb, cell.font.bold = RED, True
