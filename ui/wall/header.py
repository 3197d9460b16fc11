"""What every mode of the wall shows around its map and board: the title with the
data's date and the countdown to the next milestone, and the strip of items."""

from __future__ import annotations

import pandas as pd

from geo.i18n import item_label, t, unit_name
from geo.programme import Programme
from geo.wall import WallBoard
from ui.wall.html import Html, fill, join


def header(wall: WallBoard, *, programme: Programme, region: pd.Series, words: str,
           lang: str, lost: bool) -> Html:
    """The title (programme · region · ``words``), the data's date with the notice of a
    store that cannot be read (``lost``), and the days left to the next milestone."""
    title = f"{programme.name(lang)} · {unit_name(region['name'], lang)} · {words}"
    notice = (fill('<span class="wall-lost">{words}</span>', words=t("wall_lost", lang))
              if lost else Html(""))
    return fill('<div class="wall-header"><div><div class="wall-title">{title}</div>'
                '<div class="wall-sub">{as_of} {notice}</div></div>{countdown}</div>',
                title=title, as_of=t("wall_as_of", lang, d=wall.as_of.isoformat()),
                notice=notice, countdown=_countdown(wall, lang))


def _countdown(wall: WallBoard, lang: str) -> Html:
    if wall.milestone is None:
        return fill('<div class="wall-countdown">{words}</div>',
                    words=t("wall_no_milestone", lang))
    name = wall.milestone.zh if lang == "zh" else wall.milestone.en
    # 距全面验收 29 天 / 29 days to final assessment: words before and after the figure.
    before, after = t("wall_countdown", lang, milestone=name).split("{n}")
    return fill('<div class="wall-countdown"><span class="wall-countdown-words">{before}'
                '</span><span class="wall-countdown-days">{days}</span>'
                '<span class="wall-countdown-words">{after}</span></div>',
                before=before, days=wall.days_left, after=after)


def items_strip(wall: WallBoard, item: str, *, programme: Programme, lang: str) -> Html:
    """Each item's completion in the region, the one shown outlined."""
    return fill('<div class="wall-items">{tiles}</div>', tiles=join(
        fill('<div class="wall-item{now}"><div>{words}</div><b>{figure}</b></div>',
             now=" now" if key == item else "", words=item_label(programme.item(key), lang),
             figure="—" if pd.isna(pct) else f"{pct:.0f}%")
        for key, pct in zip(wall.items["item"], wall.items["pct"])))


def unreadable(lang: str) -> Html:
    """What the wall shows when its store cannot be read and it has no figures yet."""
    return fill('<div class="wall-lost">{words}</div>', words=t("wall_unreadable", lang))
