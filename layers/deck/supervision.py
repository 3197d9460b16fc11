"""The briefing's supervision slides (督导整改) from a :class:`geo.supervision.briefing.
SupervisionPage`: the problems on a map beside the round's reach and the problems by
category; rectification by unit; the worst overdue problems, in red."""

from __future__ import annotations

import io
from dataclasses import replace

from pptx.util import Inches

from geo.supervision.briefing import SupervisionPage
from geo.i18n import unit_name
from geo.map_view import MapView
from geo.supervision.problems import CATEGORIES
from layers.deck.parts import DARK, LAST_FILL, RED, add_table, add_text, add_title, fill_row
from layers.interactive.problems import PROBLEM_COLOURS, PROBLEM_WORDS
from layers.static.map import build_map_figure, map_bytes

_WORDS = {
    "title": ("督导整改（第{n}轮）", "Supervision and rectification (round {n})"),
    "reach": ("本轮督导 {round} 个村；累计督导 {ever} 个村，占全部 {all} 个村的 {share:.1f}%",
              "This round visited {round} villages; all rounds {ever} of {all} "
              "({share:.1f}%)"),
    "category": ("问题类别", "Category"), "this_round": ("本轮发现", "This round"),
    "all": ("累计", "All rounds"),
    "unit": ("单位", "Unit"), "problems": ("问题", "Problems"), "open": ("未整改", "Open"),
    "overdue": ("逾期", "Overdue"), "rate": ("整改率%", "Rectified %"),
    "rectified": ("已整改", "Rectified"), "verified": ("已销号", "Verified"),
    "ledger_title": ("整改情况（按{level}，逾期多的在前）",
                     "Rectification by {level}, most overdue first"),
    "overdue_title": ("逾期未整改问题（逾期最久的{n}个）", "Overdue problems (the {n} latest)"),
    "none_overdue": ("没有逾期未整改的问题。", "No problem is overdue."),
    "village": ("嘎查村", "Village"), "what": ("问题", "Problem"),
    "deadline": ("整改时限", "Deadline"), "days": ("逾期天数", "Days late"),
}


def supervision_slides(add, page: SupervisionPage, overview: MapView, *, subtitle: str,
                       level: str, lang: str) -> None:
    """Add the slides through ``add(kind)`` (a blank slide of that kind): the problems
    on a map with the round's reach and the problems by category; rectification by
    unit of ``level``; the worst overdue.  ``overview`` is the briefing's map."""
    english = lang == "en"

    def word(key, **fields):
        return _WORDS[key][english].format(**fields)

    slide = add("supervision")
    if page.points is not None and len(page.points):
        words = PROBLEM_WORDS["en" if english else "zh"]
        points = page.points.assign(colour=page.points["worst"].map(PROBLEM_COLOURS),
                                    label=page.points["worst"].map(words))
        view = replace(overview, points=points, points_title=words["title"])
        png = map_bytes(build_map_figure(view, size="panel", lang=lang, titled=False), "png")
        slide.shapes.add_picture(io.BytesIO(png), Inches(0.2), Inches(1.2), width=Inches(9.0))
    add_title(slide, word("title", n=page.round), subtitle)
    share = 100 * page.visited_ever / page.villages if page.villages else 0.0
    add_text(slide, word("reach", round=page.visited_round, ever=page.visited_ever,
                         all=page.villages, share=share),
             Inches(9.4), Inches(1.4), Inches(3.7), Inches(1.4), size=15, bold=True,
             color=DARK)
    add_table(slide, [word("category"), word("this_round"), word("all")],
              [[CATEGORIES[r.category][english], str(r.this_round), str(r.all)]
               for r in page.by_category.itertuples()],
              top=Inches(3.1), left=Inches(9.5), widths=[1.4, 1.05, 1.05], size=13)

    slide = add("supervision")
    add_title(slide, word("ledger_title", level=level), subtitle)
    ledger = page.ledger.head(14)
    table = add_table(slide, [word("unit"), word("problems"), word("open"), word("overdue"),
                              word("rectified"), word("verified"), word("rate")],
                      [[unit_name(r.name, lang), str(r.problems), str(r.open), str(r.overdue),
                        str(r.rectified), str(r.verified), f"{r.rate:.1f}"]
                       for r in ledger.itertuples()],
                      top=Inches(1.45), widths=[3.0, 1.3, 1.3, 1.3, 1.3, 1.3, 1.5], size=13)
    for n, overdue in enumerate(ledger["overdue"], start=1):
        if overdue > 0:
            fill_row(table, n, LAST_FILL, bold=n == 1)

    slide = add("supervision")
    add_title(slide, word("overdue_title", n=len(page.overdue)), subtitle)
    if page.overdue.empty:
        add_text(slide, word("none_overdue"), Inches(0.6), Inches(1.5), Inches(12), Inches(1),
                 size=20)
        return
    rows = page.overdue
    table = add_table(slide, [word("village"), word("unit"), word("category"), word("what"),
                              word("deadline"), word("days")],
                      [[unit_name(r.village, lang), unit_name(r.county or "", lang),
                        CATEGORIES.get(r.category, (r.category,) * 2)[english],
                        str(r.description or "")[:40], str(r.deadline), str(int(r.days_overdue))]
                       for r in rows.itertuples()],
                      top=Inches(1.45), widths=[1.9, 2.2, 1.2, 4.6, 1.5, 1.2], size=12)
    for n in range(1, len(rows) + 1):
        fill_row(table, n, LAST_FILL)
        cell = table.cell(n, 5).text_frame.paragraphs[0].runs[0]
        cell.font.color.rgb, cell.font.bold = RED, True
