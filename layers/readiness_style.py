"""The exit check's colours and words, shared by the folium map, the static map and
the deck: blue for passing, orange and red for missing — apart for colour-blind
viewers too.  The words are the vocabulary's (``readiness_*``, ``exit_check_year``)."""

from geo.i18n import LANGS, t

READINESS_COLOURS = {"passes": "#2c7bb6", "close": "#fdae61", "far": "#d7191c",
                     "unknown": "#bdbdbd", "not_due": "#f4f4f4"}
# lang → {result: word, "title": "{year}年退出检查"} (the title a format string).
READINESS_WORDS = {lang: {**{result: t(f"readiness_{result}", lang)
                             for result in READINESS_COLOURS},
                          "title": t("exit_check_year", lang)}
                   for lang in LANGS}
