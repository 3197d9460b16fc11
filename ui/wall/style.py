"""The wall's look: dark, no page chrome, every size in vh so 1080p and 4K agree.

Sizes are shares of the screen's height: KPI figures 6.5 vh (the issue asks
at least 5 %), ranking and labels about 2 vh (at least 1.5 %, and at
1920×1080 never under 18 px: 1.7 vh is 18.4 px).
"""

from geo.i18n import t
from ui.wall.html import Html, fill, join

# Rows a board holds: the best three and the worst, the rest elided.
BOARD_ROWS = 9

WALL_CSS = """
<style>
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stSidebar"], footer { display: none !important; }
html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {
  background: #0f1218 !important; color: #e8eaed; overflow: hidden !important; }
[data-testid="stMainBlockContainer"], .block-container {
  padding: 1vh 1.2vw 0 1.2vw !important; max-width: 100% !important; }
[data-testid="stVerticalBlock"] { gap: 0.6vh !important; }
/* A fragment's rerun must not fade the wall. */
[data-stale="true"], .stale-element { opacity: 1 !important; transition: none !important; }
.covermap-map { border-radius: 0.6vh; overflow: hidden; }
[data-testid="stIFrame"]:has(iframe[srcdoc*="location.reload"]),
iframe[srcdoc*="location.reload"] { display: none !important; }
.wall-header { display: flex; justify-content: space-between; align-items: flex-end;
  height: 10vh; border-bottom: 0.25vh solid #2a3140; margin-bottom: 0.6vh; }
.wall-title { font-size: 4vh; font-weight: 700; color: #ffffff; line-height: 1.15; }
.wall-sub { font-size: 2.1vh; color: #aab2c0; }
.wall-lost { font-size: 1.8vh; color: #fdae61; }
.wall-countdown { display: flex; align-items: baseline; gap: 0.8vh; color: #fdae61; }
.wall-countdown-words { font-size: 2.6vh; }
.wall-countdown-days { font-size: 8vh; font-weight: 800; line-height: 1; }
.wall-legend { display: flex; flex-wrap: wrap; gap: 0.4vh 1.6vh; align-items: center;
  font-size: 1.8vh; color: #d0d5dd; margin-top: 0.4vh; }
.wall-note { color: #fdae61; }
.wall-key i { display: inline-block; width: 2.4vh; height: 1.6vh; margin-right: 0.6vh;
  vertical-align: middle; border: 1px solid #0f1218; }
.wall-kpis { display: flex; gap: 1.2vh; }
.wall-kpi { flex: 1; background: #1b2130; border-radius: 0.8vh; padding: 0.8vh 1.4vh; }
.wall-kpi-words { font-size: 2.1vh; color: #aab2c0; }
.wall-kpi-figure { font-size: 6.5vh; font-weight: 800; color: #ffffff; line-height: 1.1; }
.wall-kpi-figure small { font-size: 3vh; color: #aab2c0; font-weight: 600; }
.wall-board { margin-top: 1vh; }
.wall-board-title { font-size: 2.1vh; color: #aab2c0; margin-bottom: 0.3vh; }
.wall-board table { width: 100%; border-collapse: collapse; font-size: 2.3vh; }
.wall-board td { padding: 0.35vh 0.6vh; border: none; border-bottom: 1px solid #222a38;
  color: #e8eaed; white-space: nowrap; }
.wall-board td.name { width: 45%; overflow: hidden; text-overflow: ellipsis; max-width: 0; }
.wall-board .up { color: #74add1; } .wall-board .down { color: #f46d43; }
.wall-board tr.status-will_miss td.verdict { color: #f46d43; font-weight: 700; }
.wall-board tr.status-at_risk td.verdict { color: #fdae61; }
.wall-board tr.status-on_time td.verdict { color: #74add1; }
.wall-board tr.wall-last td { background: #5c1a1a; color: #ffffff; font-weight: 800; }
.wall-board tr.wall-gap td { text-align: center; color: #6b6f78; font-size: 1.8vh; }
.wall-items { display: grid; grid-template-columns: repeat(5, 1fr); gap: 0.6vh;
  margin-top: 1vh; }
.wall-item { background: #1b2130; border-radius: 0.6vh; padding: 0.4vh 0.8vh;
  font-size: 1.8vh; color: #aab2c0; overflow: hidden; white-space: nowrap; }
.wall-item b { display: block; font-size: 2.8vh; color: #ffffff; }
.wall-item.now { outline: 0.3vh solid #fdae61; }
</style>
"""


def kpi_tiles(tiles: list[tuple[str, Html]]) -> Html:
    """The wall's KPI tiles: (words, figure) each; the words escaped here."""
    return fill('<div class="wall-kpis">{tiles}</div>', tiles=join(
        fill('<div class="wall-kpi"><div class="wall-kpi-words">{words}</div>'
             '<div class="wall-kpi-figure">{figure}</div></div>', words=words, figure=figure)
        for words, figure in tiles))


def count_of(part: int, whole: int) -> Html:
    """A KPI figure "part / whole", the whole small."""
    return fill("{part}<small> / {whole}</small>", part=f"{part:,}", whole=f"{whole:,}")


def board(title: str, rows: list[Html]) -> Html:
    """A board: its title capitalised (an English one starts a line), then its rows."""
    return fill('<div class="wall-board"><div class="wall-board-title">{title}</div>'
                "<table>{rows}</table></div>", title=title[:1].upper() + title[1:],
                rows=join(rows))


def legend(title: str, keys: list[tuple[str, str]], *, dots: bool = False) -> Html:
    """The legend under the map: its title, then a swatch (a dot with ``dots``) and
    the words of each (colour, words)."""
    shape = ";border-radius:50%" if dots else ""
    return fill('<div class="wall-legend"><b>{title}</b>{cells}</div>', title=title,
                cells=join(fill('<span class="wall-key"><i style="background:{colour}{shape}">'
                                "</i>{words}</span>", colour=colour, shape=Html(shape),
                                words=words) for colour, words in keys))


def approximate_note(n: int, lang: str) -> Html:
    """Under the legend where ``n`` units are dots (no boundary): 位置示意（N个单位无边界）,
    beside a grey dot; nothing when none are."""
    if not n:
        return Html("")
    return fill('<div class="wall-legend wall-note"><span class="wall-key">'
                '<i style="background:#c8ccd4;border-radius:50%"></i>{words}</span></div>',
                words=t("approximate_location", lang, n=n))
