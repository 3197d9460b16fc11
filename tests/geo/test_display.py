"""Boundaries for the browser map: budgets, shared borders, no unit lost."""

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import box

from geo.display import DISPLAY_CRS, display_units, geojson_size
from geo.errors import UsageError

COUNTIES_BUDGET = 500_000     # the province's 103 counties (DESIGN, issue 3)
LEAGUE_VILLAGES_BUDGET = 3_000_000
SHOWN = ["code", "name", "pct"]


@pytest.fixture(scope="module")
def units():
    from geo.demo import demo_store
    return demo_store(progress=False).units(geometry=True)


@pytest.fixture(scope="module")
def counties(units):
    return display_units(units, level="county")


@pytest.fixture(scope="module")
def villages(units):
    return display_units(units, level="village")


def _with_pct(gdf):
    # A completion like the map's, with two decimals.
    return gdf.assign(pct=np.round(np.linspace(40, 100, len(gdf)), 2))


def _areas(gdf):
    return gdf.to_crs(DISPLAY_CRS).area.to_numpy()


def test_counties_fit_the_budget(units, counties):
    assert len(counties) == 103
    raw = units[units["level"] == "county"]
    assert geojson_size(_with_pct(raw), SHOWN) > 10 * COUNTIES_BUDGET
    assert geojson_size(_with_pct(counties), SHOWN) <= COUNTIES_BUDGET


# 包头市; 赤峰市, the real league with the most villages; 乌兰察布市, the
# demo's (1,554).
@pytest.mark.parametrize("league", ["150200", "150400", "150900"])
def test_one_leagues_villages_fit_the_budget(villages, league):
    mine = villages[villages["code"].str.startswith(league[:4])]
    assert len(mine) > 400
    assert geojson_size(_with_pct(mine), SHOWN) <= LEAGUE_VILLAGES_BUDGET


@pytest.mark.parametrize("level", ["league", "county", "township", "village"])
def test_every_unit_kept_valid_and_close_in_area(units, level):
    raw = units[units["level"] == level].reset_index(drop=True)
    shown = display_units(units, level=level)
    assert shown.crs == "EPSG:4326"
    assert shown["code"].tolist() == raw["code"].tolist()
    assert shown.is_valid.all() and not shown.is_empty.any()
    assert set(shown.geom_type) <= {"Polygon", "MultiPolygon"}
    # Neighbours share their borders: no overlap, vertices matched.
    assert shapely.coverage_is_valid(shown.geometry.to_numpy())
    change = np.abs(_areas(shown) / _areas(raw) - 1)
    assert change.max() < 0.02, raw["name"][change.argmax()]
    # Real boundaries are simplified; the demo's synthetic townships and
    # villages are coarse Voronoi cells already, and cleaning their coverage
    # adds the odd node where two counties' cells meet.
    before = shapely.get_num_coordinates(raw.geometry.to_numpy()).sum()
    after = shapely.get_num_coordinates(shown.geometry.to_numpy()).sum()
    assert after < (0.2 if level in ("league", "county") else 1.05) * before


def _holes_km2(geom):
    polygons = shapely.get_parts(geom)
    holes = [shapely.Polygon(ring) for p in polygons for ring in p.interiors]
    return sum(h.area for h in holes) / 1e6


def test_baotous_counties_still_share_their_borders(counties):
    baotou = counties[counties["code"].str.startswith("1502")].to_crs(DISPLAY_CRS)
    assert len(baotou) == 9
    union = shapely.union_all(baotou.geometry.to_numpy())
    assert _holes_km2(union) < 0.01
    overlap = baotou.area.sum() - union.area
    assert overlap / 1e6 < 0.01
    assert shapely.coverage_is_valid(counties.geometry.to_numpy())


def test_villages_share_borders_across_counties(villages):
    # The demo's counties' villages meet along slightly different lines;
    # after display there is neither a gap nor an overlap between them.
    baotou = villages[villages["code"].str.startswith("1502")].to_crs(DISPLAY_CRS)
    union = shapely.union_all(baotou.geometry.to_numpy())
    assert _holes_km2(union) < 0.01
    assert (baotou.area.sum() - union.area) / 1e6 < 0.01


def test_overlapping_units_are_cleaned():
    # Two 1 km squares overlapping by a 40 m strip, and a third beside them.
    squares = gpd.GeoDataFrame({
        "code": ["1", "2", "3"], "name": ["甲", "乙", "丙"], "level": "village",
    }, geometry=[box(0, 0, 1000, 1000), box(960, 0, 1960, 1000),
                 box(0, 1000, 1960, 2000)], crs=DISPLAY_CRS)
    given = squares.to_crs("EPSG:4326")
    before = given.copy()
    shown = display_units(given, level="village").to_crs(DISPLAY_CRS)
    assert given.geom_equals_exact(before, tolerance=0).all()  # input untouched
    assert len(shown) == 3
    overlap = shown.geometry[0].intersection(shown.geometry[1]).area
    assert overlap < 1.0  # m²: at most rounding, down from 40,000
    assert shown.area.sum() == pytest.approx(1960 * 2000, rel=1e-3)


def test_a_unit_smaller_than_the_grid_is_kept():
    # 0.5 m wide: rounding to ~1 m would collapse it.
    tiny = gpd.GeoDataFrame({
        "code": ["1", "2"], "name": ["大", "小"], "level": "village",
    }, geometry=[box(111.0, 41.0, 111.01, 41.01), box(111.02, 41.0, 111.020005, 41.000005)],
        crs="EPSG:4326")
    shown = display_units(tiny, level="village")
    assert len(shown) == 2
    assert shown.is_valid.all() and not shown.is_empty.any()


def test_unknown_level_or_crs_is_refused(units):
    with pytest.raises(UsageError, match="'banner'"):
        display_units(units, level="banner")
    with pytest.raises(UsageError, match="CRS"):
        display_units(units.set_crs(None, allow_override=True), level="county")


def test_geojson_size_counts_only_the_properties_asked():
    one = gpd.GeoDataFrame({"code": ["1"], "name": ["x"]},
                           geometry=[shapely.Point(1.5, 2.0)], crs="EPSG:4326")
    text = ('{"type": "FeatureCollection", "features": [{"id": "0", "type": "Feature", '
            '"properties": {"code": "1"}, "geometry": {"type": "Point", '
            '"coordinates": [1.5, 2.0]}}]}')
    assert geojson_size(one, ["code"]) == len(text)
    assert geojson_size(one, ["code", "name"]) == len(text) + len(', "name": "x"')
