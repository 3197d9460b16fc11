"""The wall's forecast mode (``mode=forecast``): each unit coloured by whether it
finishes by the next milestone at its pace (on time, at risk, will miss)."""

from __future__ import annotations

from geo.i18n import t
from geo.programme import Programme
from geo.wall import FORECAST_CLASSES, WallBoard
from layers.interactive.wall import FORECAST_COLOURS
from ui.wall.layer import Drawn, Shown
from ui.wall.ranking import children_layer, item_words, ranking_board
from ui.wall.style import legend

_CLASS_KEYS = {"on_time": "wall_on_time", "at_risk": "wall_at_risk",
               "will_miss": "wall_will_miss", "no_data": "wall_no_data"}


def draw_forecast(wall: WallBoard, item: str, shown: Shown, *, programme: Programme,
                  lang: str) -> Drawn:
    """Forecast class per unit, labelled with its completion."""
    status = wall.of("forecast", item).set_index("code")["status"]
    values = wall.of("ranking", item).set_index("code")["pct"]
    keys = [(FORECAST_COLOURS[k], t(_CLASS_KEYS[k], lang)) for k in FORECAST_CLASSES]
    return Drawn(
        title=item_words(item, programme, lang),
        layer=children_layer(wall, item, shown, fills=status.map(FORECAST_COLOURS),
                             values=values, figure="{:.1f}%", programme=programme,
                             lang=lang),
        legend=legend(t("wall_mode_forecast", lang), keys),
        board=ranking_board(wall, item, shown, programme=programme, lang=lang))
