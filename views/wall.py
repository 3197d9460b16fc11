"""大屏: the command post's wall, read from 3–8 m away, left running all day.

Everything is sized in vh, so one layout fills 1920×1080 and 3840×2160
alike.  The page itself is drawn once; a fragment redraws the figures every
few seconds — the rotation step comes from the clock (so a data refresh
never resets it) and the map keeps its mount: only its feature group is
swapped.
"""

import time
from dataclasses import dataclass
from itertools import pairwise

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.exit.readiness import readiness_status
from geo.exit.criteria import CRITERIA_WORDS
from geo.i18n import item_label, level_label, t, unit_name
from geo.names import short_form
from geo.settings import Settings
from geo.store import store_version
from geo.units import check_level_below, child_level, descendants
from geo.wall import FORECAST_CLASSES, wall_board
from layers.interactive.basemap import base_map, fit_zoom
from layers.interactive.escape import safe_text
from layers.readiness_style import READINESS_WORDS
from layers.interactive.wall import (
    CHANGE_COLOURS,
    CHANGE_STEPS,
    EXIT_COLOURS,
    FORECAST_COLOURS,
    MODES,
    VALUE_COLOURS,
    KioskMap,
    change_colour,
    value_colour,
    wall_layer,
)
from ui import data
from ui.common import open_page, shown_errors
from ui.exit_view import has_exit_rules
from ui.wall.problems import problems_board, problems_check, problems_layer, problems_legend
from ui.wall.style import WALL_CSS, board_start, kpi_tiles

# New figures reach the wall within this many seconds of an import.
REFRESH_S = 10
# A full page reload now and then: a browser left open for days grows.
RELOAD_AFTER_S = 6 * 3600
# The map's size on a 1920×1080 screen (a little under it: labels placed for a
# zoom above the one Leaflet fits would be hidden), for placing its labels.
MAP_PX = (1100, 840)
# Labels are sized in the map frame's own vh, and the frame is 80 % of the
# screen's height (ui/wall/style.py): 2.5 vh there is 2 % of the screen.
LABEL_PX, LABEL_CSS = 22, "2.5vh"
# Rows the ranking board holds: the best three and the worst, the rest elided.
BOARD_ROWS = 9


@st.cache_resource(show_spinner=False, max_entries=8)
def board_of(path: str, version: tuple, *, level: str, region: str, as_of):
    return wall_board(data.map_source(path, version), level=level, region=region, as_of=as_of)


def store_version_of(path) -> tuple | None:
    """The store's version now; None when it cannot be read (a share gone, a file moved)."""
    try:
        return store_version(path)
    except Exception:       # noqa: BLE001 — whatever the reason, the wall keeps its figures
        return None


def wall_params() -> dict:
    params = st.query_params
    try:
        rotate = max(int(params.get("rotate", 0)), 0)
    except ValueError:
        rotate = 0
    mode = params.get("mode", "value")
    return {"rotate": rotate, "tour": params.get("tour") == "children",
            "mode": mode if mode in MODES else "value"}


# A store that cannot be read now (a share gone) must not turn the wall into
# an error page: the page last opened stays, with the last good figures.
if "wall_page" in st.session_state and store_version_of(data.store_path()) is None:
    page, opened_version = st.session_state["wall_page"]
else:
    page = open_page(chrome=False)
    opened_version = page.version
    st.session_state["wall_page"] = (page, opened_version)
view, units, region, lang = page.view, page.units, page.region, page.lang
programme, path = page.programme, page.path
wall = wall_params()
st.markdown(WALL_CSS, unsafe_allow_html=True)
st.iframe(f"<script>setTimeout(() => window.parent.location.reload(), "
          f"{RELOAD_AFTER_S * 1000});</script>", height=1)
level = view.level or child_level(units, region)
with shown_errors():
    if level is None:
        st.stop()
    check_level_below(region, level)
shapes = data.shapes(path, opened_version, level)
children = shapes[shapes["code"].isin(descendants(units, region["code"])["code"])]
children = children.set_index("code", drop=False)
fmap = base_map(bounds=children.total_bounds, background="#1b1f27", size_px=MAP_PX,
                **Settings.from_env().basemap_options())
fmap.add_child(KioskMap(children.total_bounds))
zoom = fit_zoom(children.total_bounds, width_px=MAP_PX[0], height_px=MAP_PX[1])


def steps() -> list[str]:
    """What the wall rotates through: items (overall first), or the region's children
    that have units of their own to show."""
    if wall["tour"]:
        parents = set(units["parent_code"].dropna())
        return [code for code in children["code"] if code in parents]
    return ["overall", *programme.item_keys]


@dataclass(frozen=True)
class Shown:
    """The region a step shows, the level of its units, their shapes and the labels' zoom."""

    region: pd.Series
    level: str
    shapes: pd.DataFrame
    zoom: float
    fit: tuple | None = None
    """Bounds the map pans to (a child on a tour); None keeps the whole region."""


def shown_for(step: str) -> Shown:
    if not wall["tour"]:
        return Shown(region, level, children, zoom)
    child = units.set_index("code", drop=False).loc[step]
    below = child_level(units, child)
    inside = data.shapes(path, opened_version, below)
    inside = inside[inside["code"].isin(descendants(units, step)["code"])]
    inside = inside.set_index("code", drop=False)
    bounds = tuple(inside.total_bounds)
    return Shown(child, below, inside,
                 fit_zoom(bounds, width_px=MAP_PX[0], height_px=MAP_PX[1]), fit=bounds)


def current_step() -> str:
    sequence = steps()
    if not wall["rotate"]:
        return view.item if not wall["tour"] else sequence[0]
    return sequence[int(time.time() // wall["rotate"]) % len(sequence)]


EVERY = min(wall["rotate"] or REFRESH_S, REFRESH_S)


def current_version():
    return store_version_of(path)


@st.fragment(run_every=EVERY)
def ticker():
    """Reruns the page when the rotation moves on or the store changes.

    The page, not a fragment, draws the map: streamlit-folium remounts a map
    drawn inside a fragment on every fragment run (a blank frame each time),
    while a full rerun keeps it mounted and swaps only its feature group.
    """
    state = (current_step(), current_version())
    if st.session_state.get("wall_state") not in (None, state):
        st.session_state["wall_state"] = state
        st.rerun(scope="app")
    st.session_state["wall_state"] = state


def latest_board(version, shown: Shown):
    """The board of the store as it is now; the last good one (and True) when it cannot be read."""
    try:
        if version is None:
            raise OSError("store unreadable")
        board = board_of(path, version, level=shown.level, region=shown.region["code"],
                         as_of=view.as_of)
    except Exception:       # noqa: BLE001 — any failure to read keeps the last figures up
        return st.session_state.get("wall_good"), True
    st.session_state["wall_good"] = board
    return board, False


def _header(board, item, *, lost: bool, check=None, problems=None) -> None:
    words = t("overall", lang) if item == "overall" else item_label(programme.item(item), lang)
    if check:
        words = t("wall_mode_exit", lang, year=check[0])
    if problems:
        words = t("wall_problems_title", lang)
    title = f"{programme.name(lang)} · {unit_name(shown.region['name'], lang)} · {words}"
    as_of = t("wall_as_of", lang, d=board.as_of.isoformat())
    notice = f'<span class="wall-lost">{t("wall_lost", lang)}</span>' if lost else ""
    if board.milestone is not None:
        name = board.milestone.zh if lang == "zh" else board.milestone.en
        # 距全面验收 29 天 / 29 days to final assessment: words before and after the figure.
        before, after = t("wall_countdown", lang, milestone=name).split("{n}")
        countdown = (f'<div class="wall-countdown"><span class="wall-countdown-words">'
                     f'{safe_text(before)}</span>'
                     f'<span class="wall-countdown-days">{board.days_left}</span>'
                     f'<span class="wall-countdown-words">{safe_text(after)}</span></div>')
    else:
        countdown = f'<div class="wall-countdown">{t("wall_no_milestone", lang)}</div>'
    st.markdown(f'<div class="wall-header"><div><div class="wall-title">{safe_text(title)}'
                f'</div><div class="wall-sub">{safe_text(as_of)} {notice}</div></div>'
                f'{countdown}</div>', unsafe_allow_html=True)


def exit_check():
    """The exit check of the units shown, in a poverty-exit store: (year, readiness) with
    each unit's status (villages not due this year apart); None where it does not apply."""
    if wall["mode"] != "exit" or not has_exit_rules(programme) \
            or shown.level not in ("village", "county"):
        return None
    households = data.village_figures(path, opened_version, "households")
    if households.empty:
        return None
    year = int(households["year"].max())
    readiness = data.readiness(path, opened_version, level=shown.level,
                               region=shown.region["code"], year=year)
    return year, readiness, readiness_status(readiness, programme)


def _exit_layer(check):
    year, readiness, status = check
    drawn = shown.shapes.loc[shown.shapes.index.isin(status.index)]
    failing = readiness.verdicts.set_index("code")["failing"]
    english = lang == "en"
    names = drawn.apply(lambda r: short_form(r["code"], r["name"]) if lang == "zh"
                        else unit_name(r["name"], lang), axis=1)
    # A failing unit's label says what holds it back: 色达县 / 贫困发生率.
    texts = names + failing.reindex(drawn.index).map(
        lambda f: "" if not isinstance(f, list) or not f else
        "\n" + "、".join(CRITERIA_WORDS[c][english] for c in f))
    stuck = status.reindex(drawn.index).isin(["far", "close"])
    return wall_layer(drawn, status.reindex(drawn.index).map(EXIT_COLOURS), texts,
                      zoom=shown.zoom, font_px=LABEL_PX, font_css=LABEL_CSS, fit=shown.fit,
                      first=stuck)


def _exit_legend(check) -> str:
    year, _, status = check
    words = READINESS_WORDS["en" if lang == "en" else "zh"]
    keys = [k for k in EXIT_COLOURS if k != "not_due" or (status == "not_due").any()]
    cells = "".join(f'<span class="wall-key"><i style="background:{EXIT_COLOURS[k]}"></i>'
                    f"{safe_text(words[k])}</span>" for k in keys)
    title = t("wall_mode_exit", lang, year=year)
    return f'<div class="wall-legend"><b>{safe_text(title)}</b>{cells}</div>'


def _exit_board(check) -> str:
    """KPI tiles (passing of tested) and the units that fail, worst first, each with
    its failing criteria against their lines."""
    year, readiness, status = check
    tested = status[status != "not_due"]
    passing = f'{int((tested == "passes").sum()):,}<small> / {len(tested):,}</small>'
    title = t("wall_exit_board", lang, level=level_label(programme, shown.level, lang))
    html = [kpi_tiles([(t("wall_mode_exit", lang, year=year), passing)]), board_start(title)]
    verdicts = readiness.verdicts.set_index("code")
    failing = tested[tested.isin(["far", "close"])]
    order = failing.map({"far": 0, "close": 1}).sort_values(kind="stable").index
    values = readiness.tests.set_index(["code", "criterion"])
    english = lang == "en"
    for code in list(order)[:BOARD_ROWS]:
        row = verdicts.loc[code]
        why = "；".join(
            f"{CRITERIA_WORDS[c][english]} {values.loc[(code, c), 'value']:.1f}"
            + ("" if c == "items" else "%") + f" / {values.loc[(code, c), 'line']:g}"
            + ("" if c == "items" else "%")
            for c in row["failing"])
        html.append(f'<tr class="{"wall-last" if status[code] == "far" else ""}">'
                    f'<td class="name">{safe_text(unit_name(row["name"], lang))}</td>'
                    f'<td class="verdict">{safe_text(why)}</td></tr>')
    if not len(order):
        html.append(f'<tr><td class="name">{safe_text(t("wall_exit_none", lang))}</td></tr>')
    html.append("</table></div>")
    return "".join(html)


def _layer(board, item):
    drawn = shown.shapes.loc[shown.shapes.index.isin(board.of("ranking", item)["code"])]
    mode = wall["mode"]
    values = board.of("ranking", item).set_index("code")["pct"]
    if mode == "forecast":
        status = board.of("forecast", item).set_index("code")["status"]
        fills = status.map(FORECAST_COLOURS)
    elif mode == "change":
        change = board.of("change", item).set_index("code")["change"]
        fills = change.map(change_colour)
        values = change
    else:
        fills = values.map(lambda p: value_colour(p, programme))
    names = drawn.apply(lambda r: short_form(r["code"], r["name"]) if lang == "zh"
                        else unit_name(r["name"], lang), axis=1)
    fmt = "{:+.1f}" if mode == "change" else "{:.1f}%"
    texts = names + values.reindex(drawn.index).map(
        lambda v: "" if pd.isna(v) else "\n" + fmt.format(v))
    last = board.of("ranking", item).set_index("code")["last"].reindex(drawn.index)
    return wall_layer(drawn, fills, texts, zoom=shown.zoom, font_px=LABEL_PX,
                      font_css=LABEL_CSS, fit=shown.fit,
                      first=last.fillna(False) | (values.reindex(drawn.index)
                                                  < programme.lagging_below))


def _legend(item) -> str:
    mode = wall["mode"]
    if mode == "forecast":
        rows = [(FORECAST_COLOURS[k], t(f"wall_{k}", lang)) for k in FORECAST_CLASSES]
    elif mode == "change":
        bounds = [f"≤{CHANGE_STEPS[0]:g}"] + [
            f"{a:g}–{b:g}" for a, b in pairwise(CHANGE_STEPS)] + [f">{CHANGE_STEPS[-1]:g}"]
        rows = list(zip(CHANGE_COLOURS, [f"{b} {t('wall_points', lang)}" for b in bounds]))
    else:
        rows = [(VALUE_COLOURS[min(n, len(VALUE_COLOURS) - 1)], cls.label())
                for n, cls in enumerate(programme.legend)]
    title = t(f"wall_mode_{mode}", lang)
    cells = "".join(f'<span class="wall-key"><i style="background:{c}"></i>{safe_text(w)}</span>'
                    for c, w in rows)
    return f'<div class="wall-legend"><b>{safe_text(title)}</b>{cells}</div>'


def _kpis(board, item) -> str:
    covered = f"{board.villages_covered:,}<small> / {board.villages:,}</small>"
    overall = "—" if pd.isna(board.overall_pct) else f"{board.overall_pct:.1f}%"
    return kpi_tiles([(t("wall_index", lang), overall),
                      (t("wall_villages_covered", lang), covered)])


def _ranking(board, item) -> str:
    rows = board.of("ranking", item)
    forecast = board.of("forecast", item).set_index("code")
    listed = rows if len(rows) <= BOARD_ROWS else \
        rows.iloc[list(range(3)) + list(range(len(rows) - (BOARD_ROWS - 3), len(rows)))]
    html = [board_start(t("wall_ranking", lang,
                          level=level_label(programme, shown.level, lang)))]
    previous = -1
    for index, row in listed.iterrows():
        if index != previous + 1:
            html.append(f'<tr class="wall-gap"><td colspan="5">⋯ {len(rows)} ⋯</td></tr>')
        previous = index
        late = forecast["days_late"].get(row["code"])
        finish = forecast["finish"].get(row["code"])
        status = forecast["status"].get(row["code"], "no_data")
        if status == "on_time":
            verdict = t("wall_on_time", lang)
        elif pd.isna(row["pct"]):
            verdict = "—"
        elif not forecast["pace_known"].get(row["code"], False):
            verdict = t("wall_pace_unknown", lang)
        elif late is None or pd.isna(late):
            verdict = t("wall_stalled", lang)
        else:
            # The day it finishes at its pace, and how late that is.
            verdict = f'{finish:%m-%d} · {t("wall_late_by", lang, n=int(late))}'
        move = row["movement"]
        arrow = ("" if move is None or pd.isna(move) or move == 0
                 else f'<span class="up">▲{int(move)}</span>' if move > 0
                 else f'<span class="down">▼{-int(move)}</span>')
        name = unit_name(row["name"], lang)
        pct = "—" if pd.isna(row["pct"]) else f"{row['pct']:.1f}%"
        rank = "—" if pd.isna(row["rank"]) else int(row["rank"])
        html.append(f'<tr class="{"wall-last" if row["last"] else ""} status-{status}">'
                    f'<td>{rank}</td><td class="name">{safe_text(name)}</td><td>{pct}</td>'
                    f'<td>{arrow}</td><td class="verdict">{safe_text(verdict)}</td></tr>')
    html.append("</table></div>")
    return "".join(html)


def _items(board, item) -> str:
    tiles = []
    for key, pct in zip(board.items["item"], board.items["pct"]):
        words = item_label(programme.item(key), lang)
        figure = "—" if pd.isna(pct) else f"{pct:.0f}%"
        tiles.append(f'<div class="wall-item{" now" if key == item else ""}">'
                     f'<div>{safe_text(words)}</div><b>{figure}</b></div>')
    return f'<div class="wall-items">{"".join(tiles)}</div>'


ticker()
step = current_step()
shown = shown_for(step)
board, lost = latest_board(current_version(), shown)
if board is None:
    st.markdown(f'<div class="wall-lost">{t("wall_unreadable", lang)}</div>',
                unsafe_allow_html=True)
    st.stop()
item = view.item if wall["tour"] else step
check = exit_check()
problems = None
if wall["mode"] == "problems":
    problems = problems_check(path, opened_version, level=shown.level, region=shown.region,
                              units=units,
                              as_of=view.as_of or data.data_as_of(path, opened_version))
_header(board, item, lost=lost, check=check, problems=problems)
left, right = st.columns([0.6, 0.4], gap="small")
with left:
    if problems:
        layer = problems_layer(problems, shown, lang=lang, path=path, version=opened_version,
                               font_px=LABEL_PX, font_css=LABEL_CSS)
        legend = problems_legend(problems, lang)
    elif check:
        layer, legend = _exit_layer(check), _exit_legend(check)
    else:
        layer, legend = _layer(board, item), _legend(item)
    st_folium(fmap, feature_group_to_add=layer, key="wall-map",
              height=MAP_PX[1], use_container_width=True, returned_objects=[])
    st.markdown(legend, unsafe_allow_html=True)
with right:
    if problems:
        board_html = problems_board(problems, programme, shown, lang=lang, rows=BOARD_ROWS)
    elif check:
        board_html = _exit_board(check)
    else:
        board_html = _kpis(board, item) + _ranking(board, item)
    st.markdown(board_html + _items(board, item), unsafe_allow_html=True)
