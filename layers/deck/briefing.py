"""A briefing deck (PPTX) from a :class:`geo.briefing.Briefing`.

Text stays editable: titles and notes are text boxes and every list is a
real PowerPoint table, so an office can correct a figure before the
meeting; only maps are pictures.  Text is set in 微软雅黑 (Microsoft YaHei),
which PowerPoint and WPS both have; LibreOffice substitutes a CJK font.
"""

from __future__ import annotations

import io

import pandas as pd
from pptx import Presentation
from pptx.util import Inches

from geo.briefing import Briefing, ItemPage
from geo.exit.criteria import CRITERIA_WORDS
from geo.forecast import PACE_WINDOW_DAYS
from geo.i18n import item_label, level_label, t, unit_name
from layers.deck.parts import (
    DARK,
    LAG_FILL,
    LAST_FILL,
    LAGGING_ROWS,
    MUTED,
    RED,
    ROWS_PER_SLIDE,
    SLIDE_H,
    SLIDE_W,
    add_table,
    add_text,
    add_title,
    fill_row,
    fmt_int,
    fmt_number,
    fmt_pct,
)
from layers.deck.supervision import supervision_slides
from layers.readiness_style import READINESS_WORDS
from layers.static.map import SYNTHETIC_MARK, build_map_figure, map_bytes




def write_deck(briefing: Briefing, out, *, lang: str = "zh") -> dict:
    """Write the deck to ``out`` (a path or a binary file); returns slide counts by kind."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_W, SLIDE_H
    kinds: dict[str, int] = {}

    def add(kind: str):
        kinds[kind] = kinds.get(kind, 0) + 1
        return deck.slides.add_slide(deck.slide_layouts[6])  # blank

    _cover(add("cover"), briefing, lang)
    _picture(add("map"), briefing.overview, lang)
    level = level_label(briefing.overview.programme, briefing.level, lang)
    for n, rows in enumerate(_pages(briefing.ranking)):
        _ranking(add("ranking"), briefing, rows, lang, level=level, continued=n > 0)
    for page in briefing.items:
        _item(add("item"), page, lang, _subtitle(briefing, lang))
    _lagging(add, briefing, lang, level=level)
    county = level_label(briefing.overview.programme,
                         "township" if briefing.region["level"] == "county" else "county", lang)
    if briefing.uncovered["villages"].sum() == 0:
        add_title(add("uncovered"), t("deck_uncovered", lang, level=county),
               t("deck_no_villages", lang))
    else:
        for n, rows in enumerate(_pages(briefing.uncovered)):
            _uncovered(add("uncovered"), rows, lang, level=county, continued=n > 0)
    if briefing.exit_map is not None:
        _picture(add("exit_map"), briefing.exit_map, lang)
    if briefing.exit is not None:
        for n, rows in enumerate(_pages(briefing.exit)):
            _exit(add("exit"), briefing, rows, lang, continued=n > 0)
    if briefing.supervision is not None:
        supervision_slides(add, briefing.supervision, briefing.overview,
                           subtitle=_subtitle(briefing, lang), level=level, lang=lang)
    _quality(add("quality"), briefing, lang)
    deck.save(out)
    return kinds


def _pages(frame: pd.DataFrame, rows: int = ROWS_PER_SLIDE):
    """The frame in pages of about ``rows``, balanced: 16 rows are 8 + 8, not 14 + 2."""
    count = max(-(-len(frame) // rows), 1)
    size = -(-len(frame) // count) if len(frame) else 1
    for start in range(0, max(len(frame), 1), size):
        yield frame.iloc[start:start + size]


# -- slides -----------------------------------------------------------------

def _cover(slide, briefing: Briefing, lang: str) -> None:
    programme = briefing.overview.programme
    region = unit_name(briefing.region["name"], lang)
    add_text(slide, f"{programme.name(lang)} {t('deck_briefing', lang)}", Inches(0.9), Inches(2.2),
          Inches(11.5), Inches(1.0), size=40, bold=True)
    add_text(slide, region, Inches(0.9), Inches(3.3), Inches(11.5), Inches(0.8), size=30)
    add_text(slide, _subtitle(briefing, lang), Inches(0.9), Inches(4.3), Inches(11.5),
          Inches(0.6), size=20, color=MUTED)
    if briefing.synthetic:
        add_text(slide, SYNTHETIC_MARK, Inches(0.9), Inches(5.3), Inches(6), Inches(0.5),
              size=18, bold=True, color=RED)


def _picture(slide, view, lang: str) -> None:
    png = map_bytes(build_map_figure(view, size="slide", lang=lang), "png")
    slide.shapes.add_picture(io.BytesIO(png), 0, 0, width=SLIDE_W, height=SLIDE_H)


def _ranking(slide, briefing: Briefing, rows: pd.DataFrame, lang: str, *, level: str,
             continued: bool) -> None:
    programme = briefing.overview.programme
    add_title(slide, t("deck_ranking", lang, level=level)
           + (t("deck_continued", lang) if continued else ""), _subtitle(briefing, lang))
    keys = programme.item_keys
    header = [t("rank", lang), t("name", lang), t("overall_short", lang),
              t("deck_movement", lang)] + [item_label(programme.item(k), lang) for k in keys]
    # The overall index to two decimals: ranks are decided at two (99.23 before 99.19).
    body = [[fmt_int(r["rank"]), unit_name(r["name"], lang), fmt_pct(r["pct"], 2),
             _movement(r["movement"])] + [fmt_pct(r[k]) for k in keys]
            for _, r in rows.iterrows()]
    widths = [0.6, 2.2, 0.8, 0.65] + [0.83] * len(keys)
    # English headers a point smaller: "Social security" in two lines.
    table = add_table(slide, header, body, top=Inches(1.45), widths=widths, size=11,
                   header_size=11 if lang == "zh" else 10, name_column=1)
    for n, last in enumerate(rows["last"], start=1):
        if last:
            fill_row(table, n, LAST_FILL, bold=True)


def _item(slide, page: ItemPage, lang: str, subtitle: str) -> None:
    png = map_bytes(build_map_figure(page.view, size="panel", lang=lang, titled=False), "png")
    slide.shapes.add_picture(io.BytesIO(png), Inches(0.2), Inches(0.8), width=Inches(9.4))
    item = page.view.programme.item(page.key)
    add_text(slide, item_label(item, lang, full=True), Inches(0.4), Inches(0.2), Inches(9),
          Inches(0.5), size=20, bold=True)
    add_text(slide, subtitle, Inches(0.4), Inches(0.7), Inches(9), Inches(0.4), size=12,
          color=MUTED)
    left, width = Inches(9.75), [2.35, 1.0]
    lists = [("all" if page.worst.empty else "best", page.best)]
    if not page.worst.empty:
        lists.append(("worst", page.worst))
    top = Inches(1.2)
    for key, rows in lists:
        add_text(slide, t(f"deck_{key}", lang, n=len(rows)), left, top, Inches(3.3), Inches(0.45),
              size=16, bold=True, color=RED if key == "worst" else DARK)
        body = [[unit_name(r["name"], lang), fmt_pct(r["pct"])] for _, r in rows.iterrows()]
        add_table(slide, [t("name", lang), "%"], body, top=top + Inches(0.5), widths=width,
               size=13, left=left)
        top += Inches(0.5 + 0.32 * (len(body) + 1) + 0.15)
        if key == "best" and page.finished > len(rows):
            # Five units at 100 %: the three shown are a choice, say so.
            add_text(slide, t("deck_finished", lang, n=page.finished), left, top, Inches(3.3),
                  Inches(0.4), size=12, color=MUTED)
        top += Inches(0.9)


def _lagging(add, briefing: Briefing, lang: str, *, level: str) -> None:
    """The units that will miss the milestone at their pace, a slide per 12."""
    days = PACE_WINDOW_DAYS
    pace = briefing.pace
    if briefing.milestone is None:
        title = t("deck_unfinished", lang, level=level)
        rows = pace[pace["pct"] < 100]
    else:
        milestone = briefing.milestone.zh if lang == "zh" else briefing.milestone.en
        title = t("deck_lagging", lang, days=days, milestone=milestone, level=level)
        rows = pace[pace["lagging"]]
    if rows.empty:
        slide = add("lagging")
        add_title(slide, title, _subtitle(briefing, lang))
        add_text(slide, t("deck_lagging_none", lang, days=days, level=level), Inches(0.6),
              Inches(1.6), Inches(12), Inches(0.6), size=18)
        return
    header = [t("name", lang), t("overall_short", lang), t("deck_pace", lang, days=days),
              t("deck_needed", lang), t("deck_forecast", lang), t("deck_finish", lang),
              t("deck_late", lang)]
    for n, page in enumerate(_pages(rows, LAGGING_ROWS)):
        slide = add("lagging")
        add_title(slide, title + (t("deck_continued", lang) if n else ""),
                  _subtitle(briefing, lang))
        body = [[unit_name(r["name"], lang), fmt_pct(r["pct"]), fmt_number(r["pace_per_week"]),
                 fmt_number(r["needed_per_week"]), fmt_pct(r["forecast_pct"]), _finish(r, lang),
                 "—" if pd.isna(r["days_late"]) else str(int(r["days_late"]))]
                for _, r in page.iterrows()]
        table = add_table(slide, header, body, top=Inches(1.5),
                       widths=[3.0, 1.2, 2.2, 1.6, 1.3, 1.6, 1.3], size=14)
        for row in range(1, len(body) + 1):
            fill_row(table, row, LAG_FILL)


def _finish(row, lang: str) -> str:
    if not row["pace_known"]:
        return t("pace_unknown", lang)
    return row["finish"].isoformat() if row["finish"] else t("stalled", lang)


def _uncovered(slide, rows: pd.DataFrame, lang: str, *, level: str, continued: bool) -> None:
    add_title(slide, t("deck_uncovered", lang, level=level)
           + (t("deck_continued", lang) if continued else ""), "")
    header = [t("name", lang), t("deck_villages", lang), t("deck_uncovered_n", lang),
              t("deck_share", lang), t("deck_unreported", lang)]
    body = [[unit_name(r["name"], lang), f"{r['villages']:,}", f"{r['uncovered']:,}",
             fmt_pct(100 * r["uncovered"] / r["villages"]) if r["villages"] else "—",
             f"{r['unreported']:,}"] for _, r in rows.iterrows()]
    add_table(slide, header, body, top=Inches(1.3), widths=[3.4, 1.6, 1.8, 1.4, 2.0], size=13)


def _exit(slide, briefing: Briefing, rows: pd.DataFrame, lang: str, *, continued: bool):
    """The exit check: each unit's result, the criteria it fails, and each criterion's
    value against its line."""
    english = lang == "en"
    add_title(slide, t("deck_exit", lang, year=briefing.exit_year)
           + (t("deck_continued", lang) if continued else ""), _subtitle(briefing, lang))
    if rows.empty:
        add_text(slide, t("deck_exit_none", lang), Inches(0.6), Inches(1.5), Inches(12), Inches(1),
              size=20)
        return
    criteria = [c for c in CRITERIA_WORDS if c in rows.columns]
    header = [t("name", lang), t("deck_exit_result", lang), t("deck_exit_failing", lang)] \
        + [CRITERIA_WORDS[c][english] for c in criteria]
    body = [[unit_name(r["name"], lang), READINESS_WORDS[lang][r["readiness"]],
             "、".join(CRITERIA_WORDS[c][english] for c in r["failing"].split(",") if c),
             *(_against(r[c], r[f"{c}_line"], percent=c != "items") for c in criteria)]
            for _, r in rows.iterrows()]
    widths = [2.2, 1.2, 2.6] + [1.45] * len(criteria)
    table = add_table(slide, header, body, top=Inches(1.45), widths=widths, size=12,
                   header_size=12 if lang == "zh" else 10)
    for n, result in enumerate(rows["readiness"], start=1):
        if result == "far":
            fill_row(table, n, LAST_FILL, bold=True)
        elif result == "close":
            fill_row(table, n, LAG_FILL)


def _against(value, line, *, percent: bool) -> str:
    """``1.7 / 3`` (value against its line), ``—`` when unknown."""
    if value is None or pd.isna(value):
        return "—"
    unit = "%" if percent else ""
    return f"{float(value):.1f}{unit} / {float(line):g}{unit}"


def _quality(slide, briefing: Briefing, lang: str) -> None:
    quality = briefing.quality
    add_title(slide, t("deck_quality", lang), _subtitle(briefing, lang))
    interval = briefing.overview.programme.reporting_interval_days
    lines = [
        t("deck_stale", lang, days=interval, n=len(quality.stale)),
        t("deck_unmatched", lang, n=int(quality.unmatched["rows"].sum())),
        t("deck_bad_totals", lang, n=len(quality.bad_totals)),
        t("deck_disagreements", lang, n=len(quality.disagreements)),
    ]
    add_text(slide, "\n".join(lines), Inches(0.6), Inches(1.3), Inches(6.2), Inches(2.2), size=16)
    # The details beside, as far as a slide holds them: where to look first.
    top = Inches(1.3)
    if len(quality.stale):
        body = [[unit_name(r["name"], lang), "—" if pd.isna(r["as_of"]) else str(r["as_of"])]
                for _, r in quality.stale.head(6).iterrows()]
        top = _detail(slide, [t("name", lang), t("deck_last_report", lang)], body, top,
                      total=len(quality.stale), lang=lang)
    if len(quality.unmatched):
        body = [[str(r["file"]), f"{r['rows']:,}"] for _, r in quality.unmatched.head(4).iterrows()]
        top = _detail(slide, [t("file", lang), t("deck_rows", lang)], body, top,
                      total=len(quality.unmatched), lang=lang)
    if len(quality.bad_totals):
        body = [[f"{r['file']} {t('deck_row', lang)} {r['row']}", str(r["column"]),
                 fmt_number(r["stated"]), fmt_number(r["summed"])]
                for _, r in quality.bad_totals.head(4).iterrows()]
        top = _detail(slide, [t("file", lang), t("deck_column", lang), t("deck_stated", lang),
                              t("deck_summed", lang)], body, top,
                      total=len(quality.bad_totals), lang=lang)
    if len(quality.disagreements):
        programme = briefing.overview.programme
        body = [[unit_name(r["name"], lang),
                 t("overall_short", lang) if r["item"] == "overall"
                 else item_label(programme.item(r["item"]), lang), fmt_number(r["disagreement"])]
                for _, r in quality.disagreements.head(4).iterrows()]
        _detail(slide, [t("name", lang), t("project_item", lang), t("deck_difference", lang)],
                body, top, total=len(quality.disagreements), lang=lang)


def _detail(slide, header, body, top, *, total: int, lang: str):
    widths = [5.8 / len(header)] * len(header)
    add_table(slide, header, body, top=top, widths=widths, size=11, left=Inches(7.0))
    top += Inches(0.32 * (len(body) + 1))
    if total > len(body):
        add_text(slide, t("deck_more", lang, n=total - len(body)), Inches(7.0), top, Inches(5.8),
              Inches(0.3), size=10, color=MUTED)
        top += Inches(0.3)
    return top + Inches(0.3)


# -- pieces -----------------------------------------------------------------

def _subtitle(briefing: Briefing, lang: str) -> str:
    text = t("as_of_date", lang, d=briefing.as_of.isoformat())
    if briefing.milestone is not None:
        name = briefing.milestone.zh if lang == "zh" else briefing.milestone.en
        text += "  ·  " + t("days_to", lang, n=briefing.days_left, milestone=name)
    return text


def _movement(value) -> str:
    if value is None or pd.isna(value) or value == 0:
        return "–"
    return f"↑{int(value)}" if value > 0 else f"↓{-int(value)}"
