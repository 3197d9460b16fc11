"""The wall's change mode (``mode=change``): each unit coloured and labelled by the
points it gained since the previous snapshot."""

from __future__ import annotations

from itertools import pairwise

from geo.i18n import t
from geo.programme import Programme
from geo.wall import WallBoard
from layers.interactive.wall import CHANGE_COLOURS, CHANGE_STEPS, change_colour
from ui.wall.layer import Drawn, Shown
from ui.wall.ranking import children_layer, item_words, ranking_board
from ui.wall.style import legend


def draw_change(wall: WallBoard, item: str, shown: Shown, *, programme: Programme,
                lang: str) -> Drawn:
    """Points gained per unit, more and more blue."""
    change = wall.of("change", item).set_index("code")["change"]
    bounds = [f"≤{CHANGE_STEPS[0]:g}"] + [
        f"{a:g}–{b:g}" for a, b in pairwise(CHANGE_STEPS)] + [f">{CHANGE_STEPS[-1]:g}"]
    keys = list(zip(CHANGE_COLOURS, [f"{b} {t('wall_points', lang)}" for b in bounds]))
    return Drawn(
        title=item_words(item, programme, lang),
        # As the page always did, the points gained (not the completion) are held
        # against the lagging line to choose the labels placed first.
        layer=children_layer(wall, item, shown, fills=change.map(change_colour),
                             values=change, figure="{:+.1f}", programme=programme,
                             lang=lang),
        legend=legend(t("wall_mode_change", lang), keys),
        board=ranking_board(wall, item, shown, programme=programme, lang=lang))
