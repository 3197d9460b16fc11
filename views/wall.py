"""大屏: the command post's wall, read from 3–8 m away, left running all day.

Everything is sized in vh, so one layout fills 1920×1080 and 3840×2160
alike.  The page itself is drawn once; a fragment redraws the figures every
few seconds — the rotation step comes from the clock (so a data refresh
never resets it) and the map keeps its mount: only its feature group is
swapped.

This page reads the URL, calls and renders; each display mode is a module of
ui/wall/ and the rules they show (on time, late, stalled, who fails) are in
geo/wall.py and geo/wall_checks.py.
"""

import streamlit as st
from geo.units import check_level_within, child_level, units_at_level
from layers.interactive.wall import MODES
from ui import data, tiled_map as tiled
from ui.backdrop import framed, outline_under
from ui.common import shown_errors
from ui.wall.change import draw_change
from ui.wall.exit import draw_exit, exit_check
from ui.wall.forecast import draw_forecast
from ui.wall.header import header, items_strip, unreadable
from ui.wall.layer import Shown
from ui.wall.problems import draw_problems, problems_check
from ui.wall.progress import draw_progress
from ui.wall.store import latest_board, read_version, wall_page
from ui.wall.map import wall_map_data, wall_tiles
from ui.wall.style import WALL_CSS, approximate_note
from ui.wall.tour import current_step, shown_for, steps

# New figures reach the wall within this many seconds of an import.
REFRESH_S = 10
# A full page reload now and then: a browser left open for days grows.
RELOAD_AFTER_S = 6 * 3600
PROGRESS_MODES = {"value": draw_progress, "forecast": draw_forecast, "change": draw_change}


def wall_params() -> dict:
    """``rotate`` (seconds, 0: still), ``tour=children`` and ``mode`` from the URL."""
    params = st.query_params
    try:
        rotate = max(int(params.get("rotate", 0)), 0)
    except ValueError:
        rotate = 0
    mode = params.get("mode", "value")
    return {"rotate": rotate, "tour": params.get("tour") == "children",
            "mode": mode if mode in MODES else "value"}


page, opened_version, version = wall_page()
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
    # The region's own level shows the region alone, as the command line lists it.
    check_level_within(region, level)
children = data.shapes(path, opened_version, level)
children = children[children["code"].isin(units_at_level(units, region, level)["code"])]
children = children.set_index("code", drop=False)
# Dots (units without a boundary) sit on the polygon they were placed in.
outline = outline_under(children, path=path, version=opened_version, code=region["code"])
bounds = tuple(framed(children, outline, region["code"]))
whole = Shown(region, level, children, outline=outline, frame=bounds)
sequence = steps(programme, children, units, tour=wall["tour"])


@st.fragment(run_every=min(wall["rotate"] or REFRESH_S, REFRESH_S))
def ticker(sequence: list[str], *, rotate: int, tour: bool, item: str, path: str):
    """Reruns the page when the rotation moves on or the store changes.

    The page, not a fragment, draws the map: a full rerun keeps the map mounted
    and hands it a new colour table.
    """
    state = (current_step(sequence, rotate=rotate, tour=tour, item=item), read_version(path))
    if st.session_state.get("wall_state") not in (None, state):
        st.session_state["wall_state"] = state
        st.rerun(scope="app")
    st.session_state["wall_state"] = state


# An item the programme does not have falls back to the overall index, as on every
# page: a kiosk left on a mistyped link must still show the programme.
asked = view.item if view.item in ("overall", *programme.item_keys) else "overall"
ticker(sequence, rotate=wall["rotate"], tour=wall["tour"], item=asked, path=path)
step = current_step(sequence, rotate=wall["rotate"], tour=wall["tour"], item=asked)
shown = shown_for(step, whole, units, tour=wall["tour"], path=path, version=opened_version)
board, lost = latest_board(path, version, level=shown.level,
                           region=shown.region["code"], as_of=view.as_of)
if board is None:
    st.markdown(unreadable(lang), unsafe_allow_html=True)
    st.stop()
item = asked if wall["tour"] else step
drawn = None
if wall["mode"] == "problems":
    as_of = view.as_of or data.supervision_as_of(path, opened_version)
    problems = problems_check(path, opened_version, level=shown.level, region=shown.region,
                              units=units, as_of=as_of)
    if problems:
        drawn = draw_problems(problems, shown, programme=programme, lang=lang, path=path,
                              version=opened_version)
elif wall["mode"] == "exit":
    check = exit_check(programme, shown, path=path, version=opened_version)
    if check:
        drawn = draw_exit(check, shown, programme=programme, lang=lang)
if drawn is None:
    # Progress, forecast or change; also a check that does not apply here (no
    # problems in the region, no exit rules in the programme).
    drawn = PROGRESS_MODES.get(wall["mode"], draw_progress)(
        board, item, shown, programme=programme, lang=lang)
st.markdown(header(board, programme=programme, region=shown.region, words=drawn.title,
                   lang=lang, lost=lost), unsafe_allow_html=True)
left, right = st.columns([0.6, 0.4], gap="small")
with left:
    level_tiles, url = wall_tiles(path, opened_version, shown.level)
    tiled.tiled_map(wall_map_data(drawn.layer, shown, level_tiles, url, lang=lang,
                                  basemap=tiled.basemap()),
                    key="wall-map")
    st.markdown(drawn.legend + approximate_note(shown.approximate, lang),
                unsafe_allow_html=True)
with right:
    st.markdown(drawn.board + items_strip(board, item, programme=programme, lang=lang),
                unsafe_allow_html=True)
