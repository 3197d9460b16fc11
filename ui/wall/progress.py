"""The wall's progress mode (``/wall``, ``mode=value``): each unit coloured by its
completion, beside the region's KPI tiles and the ranking of its units."""

from __future__ import annotations

from geo.i18n import t
from geo.programme import Programme
from geo.wall import WallBoard
from layers.interactive.wall import VALUE_COLOURS, value_colour
from ui.wall.layer import Drawn, Shown
from ui.wall.ranking import children_layer, item_words, ranking_board
from ui.wall.style import legend


def draw_progress(wall: WallBoard, item: str, shown: Shown, *, programme: Programme,
                  lang: str) -> Drawn:
    """Completion per unit, coloured in the programme's classes."""
    values = wall.of("ranking", item).set_index("code")["pct"]
    keys = [(VALUE_COLOURS[min(n, len(VALUE_COLOURS) - 1)], cls.label())
            for n, cls in enumerate(programme.legend)]
    return Drawn(
        title=item_words(item, programme, lang),
        layer=children_layer(wall, item, shown, fills=values.map(
            lambda p: value_colour(p, programme)), values=values, figure="{:.1f}%",
            programme=programme, lang=lang),
        legend=legend(t("wall_mode_value", lang), keys),
        board=ranking_board(wall, item, shown, programme=programme, lang=lang))
