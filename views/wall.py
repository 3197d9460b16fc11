"""大屏: the command post's wall, read from 3–8 m away, left running all day.

Everything is sized in vh, so one layout fills 1920×1080 and 3840×2160
alike.  The page itself is drawn once; a fragment redraws the figures every
few seconds — the rotation step comes from the clock (so a data refresh
never resets it) and the map keeps its mount: only its feature group is
swapped.
"""

import time

import streamlit as st
from streamlit_folium import st_folium

from geo.i18n import item_label, level_label, t, unit_name
from geo.names import short_form
from geo.settings import Settings
from geo.store import Store
from geo.units import check_level_below, child_level, descendants
from geo.wall import FORECAST_CLASSES, wall_board
from layers.basemap import base_map, fit_zoom
from layers.escape import safe_text
from layers.wall_map import (CHANGE_COLOURS, CHANGE_STEPS, FORECAST_COLOURS, MODES,
                             VALUE_COLOURS, KioskMap, change_colour, value_colour,
                             wall_layer)
from ui import data
from ui.common import open_page, shown_errors
from ui.wall_style import WALL_CSS

# New figures reach the wall within this many seconds of an import.
REFRESH_S = 10
# A full page reload now and then: a browser left open for days grows.
RELOAD_AFTER_S = 6 * 3600
# The map's share of a 1920×1080 screen, for placing its labels.
MAP_PX = (1130, 900)
LABEL_PX, LABEL_CSS = 21, "1.95vh"
BOARD_ROWS = 12


@st.cache_resource(show_spinner=False, max_entries=8)
def board_of(path: str, version: tuple, *, level: str, region: str, as_of):
    return wall_board(data.map_source(path, version), level=level, region=region, as_of=as_of)


def wall_params() -> dict:
    params = st.query_params
    try:
        rotate = max(int(params.get("rotate", 0)), 0)
    except ValueError:
        rotate = 0
    mode = params.get("mode", "value")
    return {"rotate": rotate, "tour": params.get("tour") == "children",
            "mode": mode if mode in MODES else "value"}


page = open_page()
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
shapes = data.shapes(path, page.version, level)
children = shapes[shapes["code"].isin(descendants(units, region["code"])["code"])]
children = children.set_index("code", drop=False)
fmap = base_map(bounds=children.total_bounds, background="#1b1f27", size_px=MAP_PX,
                **Settings.from_env().basemap_options())
fmap.add_child(KioskMap(children.total_bounds))
zoom = fit_zoom(children.total_bounds, width_px=MAP_PX[0], height_px=MAP_PX[1])


def steps() -> list[str]:
    """What the wall rotates through: items (overall first), or the region's children."""
    if wall["tour"]:
        return list(children["code"])
    return ["overall", *programme.item_keys]


def current_step() -> str:
    sequence = steps()
    if not wall["rotate"]:
        return view.item if not wall["tour"] else sequence[0]
    return sequence[int(time.time() // wall["rotate"]) % len(sequence)]


@st.fragment(run_every=min(wall["rotate"] or REFRESH_S, REFRESH_S))
def live_board():
    store_version = None
    try:
        store_version = Store(path).version
        board = board_of(path, store_version, level=level, region=region["code"],
                         as_of=view.as_of)
        st.session_state["wall_good"] = board
        lost = False
    except Exception:       # noqa: BLE001 — any failure to read keeps the last figures up
        board = st.session_state.get("wall_good")
        lost = True
        if board is None:
            st.markdown(f'<div class="wall-lost">{t("wall_unreadable", lang)}</div>',
                        unsafe_allow_html=True)
            return
    step = current_step()
    item = view.item if wall["tour"] else step
    _header(board, item, lost=lost)
    left, right = st.columns([0.6, 0.4], gap="small")
    with left:
        layer = _layer(board, item)
        st_folium(fmap, feature_group_to_add=layer, key="wall-map", height=MAP_PX[1],
                  use_container_width=True, returned_objects=[])
        st.markdown(_legend(item), unsafe_allow_html=True)
    with right:
        st.markdown(_kpis(board, item) + _ranking(board, item) + _items(board, item),
                    unsafe_allow_html=True)


def _header(board, item, *, lost: bool) -> None:
    words = t("overall", lang) if item == "overall" else item_label(programme.item(item), lang)
    title = f"{programme.name(lang)} · {unit_name(region['name'], lang)} · {words}"
    as_of = t("wall_as_of", lang, d=board.as_of.isoformat())
    notice = f'<span class="wall-lost">{t("wall_lost", lang)}</span>' if lost else ""
    if board.milestone is not None:
        name = board.milestone.zh if lang == "zh" else board.milestone.en
        countdown = (f'<div class="wall-countdown"><span class="wall-countdown-words">'
                     f'{safe_text(t("wall_days_to", lang, milestone=name))}</span>'
                     f'<span class="wall-countdown-days">{board.days_left}</span>'
                     f'<span class="wall-countdown-words">{t("wall_days", lang)}</span></div>')
    else:
        countdown = f'<div class="wall-countdown">{t("wall_no_milestone", lang)}</div>'
    st.markdown(f'<div class="wall-header"><div><div class="wall-title">{safe_text(title)}'
                f'</div><div class="wall-sub">{safe_text(as_of)} {notice}</div></div>'
                f'{countdown}</div>', unsafe_allow_html=True)


def _layer(board, item):
    shown = children.loc[children.index.isin(board.of("ranking", item)["code"])]
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
    names = shown.apply(lambda r: short_form(r["code"], r["name"]) if lang == "zh"
                        else unit_name(r["name"], lang), axis=1)
    fmt = "{:+.1f}" if mode == "change" else "{:.1f}%"
    texts = names + values.reindex(shown.index).map(
        lambda v: "" if v != v else "\n" + fmt.format(v))
    last = board.of("ranking", item).set_index("code")["last"].reindex(shown.index)
    return wall_layer(shown, fills, texts, zoom=zoom, font_px=LABEL_PX, font_css=LABEL_CSS,
                      first=last.fillna(False) | (values.reindex(shown.index)
                                                  < programme.lagging_below))


def _legend(item) -> str:
    mode = wall["mode"]
    if mode == "forecast":
        rows = [(FORECAST_COLOURS[k], t(f"wall_{k}", lang)) for k in FORECAST_CLASSES]
    elif mode == "change":
        bounds = [f"≤{CHANGE_STEPS[0]:g}"] + [
            f"{a:g}–{b:g}" for a, b in zip(CHANGE_STEPS, CHANGE_STEPS[1:])] + [
            f">{CHANGE_STEPS[-1]:g}"]
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
    overall = "—" if board.overall_pct != board.overall_pct else f"{board.overall_pct:.1f}%"
    tiles = [(t("wall_index", lang), overall),
             (t("wall_villages_covered", lang), covered)]
    return '<div class="wall-kpis">' + "".join(
        f'<div class="wall-kpi"><div class="wall-kpi-words">{safe_text(w)}</div>'
        f'<div class="wall-kpi-figure">{v}</div></div>' for w, v in tiles) + "</div>"


def _ranking(board, item) -> str:
    rows = board.of("ranking", item)
    forecast = board.of("forecast", item).set_index("code")
    shown = rows if len(rows) <= BOARD_ROWS else \
        rows.iloc[list(range(3)) + list(range(len(rows) - (BOARD_ROWS - 3), len(rows)))]
    html = [f'<div class="wall-board"><div class="wall-board-title">'
            f'{safe_text(t("wall_ranking", lang, level=level_label(programme, level, lang)))}'
            f'</div><table>']
    previous = -1
    for index, row in shown.iterrows():
        if index != previous + 1:
            html.append(f'<tr class="wall-gap"><td colspan="5">⋯ {len(rows)} ⋯</td></tr>')
        previous = index
        late = forecast["days_late"].get(row["code"])
        status = forecast["status"].get(row["code"], "no_data")
        if status == "on_time":
            verdict = t("wall_on_time", lang)
        elif late is None or late != late:
            verdict = t("wall_stalled", lang) if row["pct"] == row["pct"] else "—"
        else:
            verdict = t("wall_late_by", lang, n=int(late))
        move = row["movement"]
        arrow = ("" if move is None or move != move or move == 0
                 else f'<span class="up">▲{int(move)}</span>' if move > 0
                 else f'<span class="down">▼{-int(move)}</span>')
        name = unit_name(row["name"], lang)
        pct = "—" if row["pct"] != row["pct"] else f"{row['pct']:.1f}%"
        rank = "—" if row["rank"] != row["rank"] else int(row["rank"])
        html.append(f'<tr class="{"wall-last" if row["last"] else ""} status-{status}">'
                    f'<td>{rank}</td><td class="name">{safe_text(name)}</td><td>{pct}</td>'
                    f'<td>{arrow}</td><td class="verdict">{safe_text(verdict)}</td></tr>')
    html.append("</table></div>")
    return "".join(html)


def _items(board, item) -> str:
    tiles = []
    for key, pct in zip(board.items["item"], board.items["pct"]):
        words = item_label(programme.item(key), lang)
        figure = "—" if pct != pct else f"{pct:.0f}%"
        tiles.append(f'<div class="wall-item{" now" if key == item else ""}">'
                     f'<div>{safe_text(words)}</div><b>{figure}</b></div>')
    return f'<div class="wall-items">{"".join(tiles)}</div>'


live_board()
