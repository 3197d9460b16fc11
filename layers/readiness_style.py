"""The exit check's colours and words, shared by the folium map, the static map and
the deck: blue for passing, orange and red for missing — apart for colour-blind
viewers too."""

READINESS_COLOURS = {"passes": "#2c7bb6", "close": "#fdae61", "far": "#d7191c",
                     "unknown": "#bdbdbd", "not_due": "#f4f4f4"}
READINESS_WORDS = {
    "zh": {"passes": "达标", "close": "接近", "far": "差距大", "unknown": "无法判断",
           "not_due": "本年不退出", "title": "{year}年退出检查"},
    "en": {"passes": "passes", "close": "close", "far": "far", "unknown": "unknown",
           "not_due": "not due this year", "title": "Exit check {year}"},
}
