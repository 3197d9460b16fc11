"""Supervision on the tiled map (``static/covermap/map.js``): the villages by the last
round that visited them, each village with problems as a dot coloured by its worst
(overdue, open, rectified, verified), and a team's route of numbered stops.

:func:`coverage_data`, :func:`problems_data` and :func:`route_data` return
:func:`layers.interactive.tiled.map_data`'s dict: the units as a colour table over the
store's tiles, dots and lines over them.  Their tooltips are plain text, which the
browser sets as text: a name read from a file never becomes markup.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.i18n import LANGS, t
from geo.supervision.coverage import last_round_counts
from geo.supervision.problems import STATUS_WORDS, category_word, worst_per_village
from geo.tiles import LevelTiles
from layers.interactive.tiled import map_data

# Red for what is late, orange for what is open, blues for what is done.
PROBLEM_COLOURS = {"overdue": "#d7191c", "open": "#fdae61", "rectified": "#abd9e9",
                   "verified": "#2c7bb6"}
# lang → {class: word, "title": the layer's name}.
PROBLEM_WORDS = {lang: {"overdue": t("problem_overdue", lang),
                        **{c: t(f"problem_status_{c}", lang)
                           for c in ("open", "rectified", "verified")},
                        "title": t("problems_found", lang)}
                 for lang in LANGS}
# Never visited stands out; the latest round darkest.
NEVER_COLOUR = "#e6550d"
ROUND_COLOURS = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
# The units under dots and routes: one light class, so the map says where they are
# (and counts them) without competing with what is drawn over them; their borders
# as folium drew them (the counties #555555, a route's villages #9a9a9a, weight 1).
GROUND = "g"
PROBLEMS_GROUND = {"palette": {GROUND: "#e3e1da"},
                   "paint": {"opacity": 0.6, "stroke": "#555555", "width": 1}}
ROUTE_GROUND = {"palette": {GROUND: "#d9d9d9"},
                "paint": {"opacity": 0.55, "stroke": "#9a9a9a", "width": 1}}
ROUTE_COLOUR, STOP_COLOUR = "#2b579a", "#d7191c"
# The counties' borders over the coverage map's villages, as folium drew them.
COUNTY_BORDER = {"colour": "#222222", "weight": 1.2}


def coverage_data(tiles: LevelTiles, url: str, coverage: pd.DataFrame, *, rounds: int,
                  never: int, lang: str = "zh", **options) -> dict:
    """The villages coloured by the last round that visited them (:func:`map_data`).

    Parameters
    ----------
    coverage
        One row per village drawn (:func:`geo.supervision.rounds.round_coverage`):
        ``code``, ``name`` in ``lang``, ``rounds`` (those that visited it) and
        ``last_round`` (missing: never visited).
    rounds
        The rounds held: the latest is darkest.
    never
        The region's villages never visited, for the legend (those without a shape
        too).
    options
        To :func:`map_data`: ``lines`` (the counties' borders), ``bounds``, ``view``…
    """
    codes = coverage["code"].astype(str)
    fills = pd.Series(coverage_fills(coverage["last_round"], max(rounds, 1)), index=codes)
    # Each colour a character of its own; older rounds may share the lightest shade.
    characters = {colour: chr(ord("A") + k) for k, colour in enumerate(dict.fromkeys(fills))}
    tips = pd.Series([coverage_tip(name, visited, lang)
                      for name, visited in zip(coverage["name"], coverage["rounds"])],
                     index=codes, dtype=object)
    rows = [[NEVER_COLOUR, f"{t('sup_never', lang)}  {never}", False]]
    rows += [[coverage_fills(pd.Series([n]), rounds)[0], f"{t('sup_round', lang, n=n)}  {count}",
              False] for n, count in last_round_counts(coverage["last_round"], rounds).items()]
    return map_data(tiles, url, fills.map(characters),
                    {c: colour for colour, c in characters.items()}, tips=tips,
                    legend={"title": t("sup_coverage", lang), "rows": rows, "notes": []},
                    lang=lang, labels=False, clickable=False, **options)


def coverage_tip(name: str, rounds: list[int], lang: str) -> str:
    """A village's tooltip on the coverage map, as text: its name, then the rounds that
    visited it (or that none did)."""
    visited = "、".join(t("sup_round", lang, n=r) for r in rounds) or t("sup_never", lang)
    return f"{name}\n{visited}"


def problems_data(tiles: LevelTiles, url: str, ground: pd.Series, villages: gpd.GeoDataFrame,
                  *, title: str, lang: str = "zh", **options) -> dict:
    """The villages with problems as dots over a light ground (:func:`map_data`).

    Parameters
    ----------
    ground
        Indexed by code: the units under the dots (the region's counties), each
        with its tooltip as plain text.
    villages
        :func:`villages_with_problems`, ``name`` in ``lang``.
    title
        The legend's title; its rows count the villages by their worst problem.
    """
    words = PROBLEM_WORDS["en" if lang == "en" else "zh"]
    worst = villages["worst"].value_counts()
    legend = {"title": title, "notes": [], "rows": [
        [colour, f"{words[k]}  {int(worst.get(k, 0))}", False]
        for k, colour in PROBLEM_COLOURS.items()]}
    return map_data(tiles, url, pd.Series(GROUND, index=ground.index, dtype=object),
                    PROBLEMS_GROUND["palette"], tips=ground, paint=PROBLEMS_GROUND["paint"],
                    sites=problem_sites(villages, lang=lang), legend=legend, lang=lang,
                    labels=False, clickable=False, **options)


def problem_sites(villages: gpd.GeoDataFrame, *, lang: str = "zh") -> list[dict]:
    """:func:`villages_with_problems` as the tiled map's dots: coloured by the worst
    problem, larger the more problems (up to five), the most urgent last so that they
    are drawn on top; each with its problems in a tooltip of text."""
    points = villages.geometry.representative_point()
    return [{"lat": round(p.y, 5), "lon": round(p.x, 5), "colour": PROBLEM_COLOURS[worst],
             "edge": "#333333", "radius": 5 + min(int(n), 5),
             "tip": problem_tip(name, problems, lang)}
            for p, worst, n, name, problems in zip(points, villages["worst"], villages["count"],
                                                   villages["name"], villages["problems"])]


def problem_tip(name: str, problems: pd.DataFrame, lang: str) -> str:
    """A village's problems as text: its name, then a line per problem (number,
    category, what was found, status and how late, deadline)."""
    return "\n".join([name, *(" · ".join(_cells(p, lang)) for p in problems.itertuples())])


def _cells(problem, lang: str) -> list[str]:
    """A problem as its tooltip lists it: number, category, description, status (and
    how late), deadline."""
    status = STATUS_WORDS[problem.status][lang == "en"]
    if problem.overdue:
        status += f" · {t('days_late_n', lang, n=int(problem.days_overdue))}"
    return [str(problem.problem_id), category_word(problem.category, lang),
            str(problem.description), status, str(problem.deadline)]


def route_data(tiles: LevelTiles, url: str, ground: pd.Series, stops: pd.DataFrame,
               **options) -> dict:
    """A team's route over its county's villages in light grey (:func:`map_data`).

    Parameters
    ----------
    ground
        Indexed by code: the county's villages, each with its tooltip (plain text).
    stops
        ``seq, name, lat, lon`` in visiting order: numbered stops joined by a line,
        each stop's tooltip ``seq · name``.
    """
    stops = stops.sort_values("seq")
    points = [[round(lat, 5), round(lon, 5)] for lat, lon in zip(stops["lat"], stops["lon"])]
    sites = [{"lat": lat, "lon": lon, "colour": STOP_COLOUR, "number": int(seq),
              "tip": f"{int(seq)} · {name}"}
             for (lat, lon), seq, name in zip(points, stops["seq"], stops["name"])]
    return map_data(tiles, url, pd.Series(GROUND, index=ground.index, dtype=object),
                    ROUTE_GROUND["palette"], tips=ground, paint=ROUTE_GROUND["paint"],
                    sites=sites, lines=[{"points": points, "colour": ROUTE_COLOUR, "weight": 3}],
                    legend=None, labels=False, clickable=False, **options)


def border_lines(shapes: gpd.GeoDataFrame, *, colour: str, weight: float) -> list[dict]:
    """The rings of ``shapes``' polygons as the tiled map's lines: borders drawn over
    the units (an outline would lie under them)."""
    lines = []
    for polygon in shapes.geometry.explode(index_parts=False):
        if polygon is None or polygon.geom_type != "Polygon":
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            lines.append({"points": [[round(y, 5), round(x, 5)] for x, y in ring.coords],
                          "colour": colour, "weight": weight})
    return lines


def villages_with_problems(status: pd.DataFrame, points: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per village with problems: ``code, name, geometry`` (a point inside it),
    ``worst`` (the most urgent class), ``count`` and ``problems`` (its rows)."""
    worst = worst_per_village(status).set_index("unit_code")
    of_village = dict(tuple(status.groupby("unit_code", sort=False)))
    worst["problems"] = [of_village[code] for code in worst.index]
    shown = points[points["code"].isin(worst.index)].copy()
    shown.geometry = shown.geometry.representative_point()
    return shown.join(worst, on="code")


def coverage_fills(last_round: pd.Series, rounds: int) -> list[str]:
    """A village's fill by the last round that visited it (of ``rounds``), or never."""
    shades = ROUND_COLOURS[-rounds:] if rounds <= len(ROUND_COLOURS) else ROUND_COLOURS
    first = rounds - len(shades) + 1

    def fill(n):
        if pd.isna(n):
            return NEVER_COLOUR
        return shades[max(int(n) - first, 0)]

    return [fill(n) for n in last_round]

