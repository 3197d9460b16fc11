"""Villages as points: an office's point file says where units without a boundary lie.

固阳县 (150222) from ``init``: 72 village committees from the 2016 register, none
with a polygon.  The points are placed by hand inside the county, away from its
edge; 小三分子村 has its code in the file, the others only a name.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from geo.placement import units_to_draw
from geo.store import Store


@pytest.fixture(scope="module")
def guyang(tmp_path_factory):
    import cli

    path = tmp_path_factory.mktemp("points") / "gy.gpkg"
    assert cli.main(["init", "--store", str(path), "--region", "150222"]) == 0
    return path


def _points_file(path, county, rows):
    """``rows``: (code, name, dx, dy) — the point ``dx, dy`` degrees from a point well
    inside the county."""
    c = county.representative_point()
    frame = gpd.GeoDataFrame(
        {"代码": [r[0] for r in rows], "村名": [r[1] for r in rows]},
        geometry=[shapely.Point(c.x + r[2], c.y + r[3]) for r in rows], crs=4326)
    frame.to_file(path, driver="GeoJSON")
    return c


def test_a_point_file_puts_villages_where_they_lie_and_can_be_undone(guyang, tmp_path, run):
    store = tmp_path / "gy.gpkg"
    store.write_bytes(guyang.read_bytes())
    county = Store(store).units(level="county", geometry=True).geometry.iloc[0]
    c = _points_file(tmp_path / "村委会点位.geojson", county, [
        ("150222102212", "小三分子村", 0.01, 0.0), (None, "昔连脑包村", 0.0, 0.01),
        (None, "壕口村", -0.01, 0.0), (None, "不存在村", 0.0, -0.01)])
    code, out, err = run("import", tmp_path / "村委会点位.geojson", "--kind", "units",
                         "--store", store)
    assert code == 0, err
    assert "4 rows read, 3 matched, 1 unmatched" in out and "不存在村" in out
    drawn = units_to_draw(Store(store), "village").set_index("code")
    placed = drawn.loc[["150222102212", "150222102213", "150222106221"]]
    assert list(placed.geometry.x.round(6)) == [round(c.x + 0.01, 6), round(c.x, 6),
                                                 round(c.x - 0.01, 6)]
    assert not placed["approximate"].any()
    assert drawn["approximate"].sum() == 69
    # The units themselves are as they were: no boundary, no new unit.
    assert len(Store(store).units()) == 79
    import_id = int(Store(store).imports()["import_id"].max())
    assert run("undo", str(import_id), "--store", store)[0] == 0
    assert units_to_draw(Store(store), "village")["approximate"].all()


def test_a_point_outside_the_region_joins_nothing(guyang, tmp_path, run):
    """A point just east of 固阳县 for 小三分子村, by its code: it lies outside the
    store's region, so it is reported, never given to the village; a row without a
    point is said to have none."""
    store = tmp_path / "gy.gpkg"
    store.write_bytes(guyang.read_bytes())
    county = Store(store).units(level="county", geometry=True).geometry.iloc[0]
    east = county.bounds[2] + 0.02
    frame = gpd.GeoDataFrame({"代码": ["150222102212", "150222102213"],
                              "村名": ["小三分子村", "昔连脑包村"]},
                             geometry=[shapely.Point(east, county.centroid.y), None], crs=4326)
    frame.to_file(tmp_path / "点位.geojson", driver="GeoJSON")
    code, out, err = run("import", tmp_path / "点位.geojson", "--kind", "units", "--store", store)
    assert code == 0, err
    assert "1 rows read, 0 matched, 1 unmatched" in out
    assert "lies outside the store's region (150222 固阳县)" in out
    assert "rows [2] have no geometry" in out or "rows 2 have no geometry" in out
    assert units_to_draw(Store(store), "village")["approximate"].all()
