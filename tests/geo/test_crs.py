"""CRS detection, reprojection to the store's CRS and the China check.

Expected values are worked out by hand: a point on a Gauss-Krüger zone's
central meridian has easting exactly 500 000 m (plus zone × 10⁶ where the
zone is in the easting) and its longitude is the central meridian.
"""

import geopandas as gpd
import numpy as np
import prcoords
import pyproj
import pytest
import shapely

from geo.crs import (check_in_china, crs_name, detect_crs, gcj02_to_wgs84,
                     to_store_crs)
from geo.errors import InputError, UsageError
from geo.i18n.errors import detail_lines

# 固阳县 (Guyang, Baotou) lies around 110.0–110.5 E, 41.0 N: CGCS2000
# 3-degree zone 37 (central meridian 3 × 37 = 111 E).
GUYANG = (110.05, 41.03)

# An ESRI-style .prj as some Chinese survey packages write it: the datum
# spelt D_CGCS_2000, which no database knows, central meridian 111 E.
CUSTOM_GK_CM111 = (
    'PROJCS["GK_CGCS2000_111E_county_survey",GEOGCS["GCS_CGCS_2000",'
    'DATUM["D_CGCS_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],'
    'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],'
    'PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",{fe}],'
    'PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",111.0],'
    'PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],'
    'UNIT["Meter",1.0]]')


@pytest.mark.parametrize("bounds, expected", [
    ((109.9, 40.9, 110.5, 41.4), "EPSG:4490"),                 # lon/lat in China
    ((37_420_000, 4_540_000, 37_460_000, 4_580_000), "EPSG:4525"),  # zone 37
    ((25_400_000, 4_000_000, 25_600_000, 4_100_000), "EPSG:4513"),  # zone 25, 75 E
    ((45_400_000, 4_800_000, 45_600_000, 4_900_000), "EPSG:4533"),  # zone 45, 135 E
    ((19_420_000, 4_540_000, 19_460_000, 4_580_000), "EPSG:4497"),  # 6-degree zone 19
])
def test_detect_crs_from_coordinates(bounds, expected):
    assert detect_crs(bounds) == expected


def test_detected_codes_are_the_zones_named():
    assert pyproj.CRS(detect_crs((37_420_000, 4.54e6, 37_460_000, 4.58e6))).name == \
        "CGCS2000 / 3-degree Gauss-Kruger zone 37"
    assert pyproj.CRS(crs_name("EPSG:4546")).name == "CGCS2000 / 3-degree Gauss-Kruger CM 111E"


def test_six_digit_eastings_without_prj_ask_for_crs():
    with pytest.raises(InputError) as err:
        detect_crs((420_000, 4_540_000, 460_000, 4_580_000))
    assert (err.value.reason, err.value.param) == ("gauss_kruger_no_zone", "crs")
    assert "give it with CRS EPSG:N" in str(err.value)
    assert "4534 + (meridian − 75) / 3" in str(err.value)


@pytest.mark.parametrize("false_easting, expected", [
    (500000.0, "EPSG:4546"),       # 4534 + (111 - 75) / 3
    (37500000.0, "EPSG:4525"),     # 4513 + 37 - 25
])
def test_custom_gauss_kruger_prj_is_recognised(false_easting, expected):
    declared = pyproj.CRS(CUSTOM_GK_CM111.format(fe=false_easting))
    assert declared.to_epsg(min_confidence=20) is None  # pyproj alone cannot name it
    x = false_easting - 40_000
    assert detect_crs((x, 4.54e6, x + 30_000, 4.58e6), declared=declared) == expected


def test_local_crs_counts_as_none():
    local = 'LOCAL_CS["cad",LOCAL_DATUM["none",0],UNIT["Meter",1],AXIS["X",EAST],AXIS["Y",NORTH]]'
    assert detect_crs((37_420_000, 4.54e6, 37_460_000, 4.58e6), declared=local) == "EPSG:4525"


def test_degrees_declared_but_metres_given_names_the_zone():
    with pytest.raises(InputError) as err:
        detect_crs((37_420_000, 4.54e6, 37_460_000, 4.58e6), declared="EPSG:4326")
    assert (err.value.reason, err.value.param, err.value.fields["guess"]) == (
        "crs_says_degrees_fits", "crs", "EPSG:4525")
    assert str(err.value).endswith("they fit EPSG:4525: give CRS EPSG:4525")


def test_to_store_crs_on_the_central_meridian():
    # Easting 500 000 (+ zone) lies on the central meridian: lon = 111 exactly.
    northing = 4_540_000.0
    zoned = gpd.GeoDataFrame(geometry=[shapely.Point(37_500_000, northing)])
    out = to_store_crs(zoned)
    assert out.crs == "EPSG:4326"
    assert out.geometry.x[0] == pytest.approx(111.0, abs=1e-12)
    assert 40.9 < out.geometry.y[0] < 41.1
    plain = gpd.GeoDataFrame(geometry=[shapely.Point(500_000, northing)], crs="EPSG:4546")
    assert to_store_crs(plain).geometry.y[0] == pytest.approx(out.geometry.y[0], abs=1e-12)
    # The user's --crs wins over the file's: the same numbers at 102 E.
    user = to_store_crs(plain, crs="EPSG:4543")
    assert user.geometry.x[0] == pytest.approx(102.0, abs=1e-12)
    assert plain.crs == "EPSG:4546"  # input untouched


def test_to_store_crs_takes_gcj02():
    wgs = prcoords.Coords(GUYANG[1], GUYANG[0])
    gcj = prcoords.wgs_gcj(wgs)
    out = to_store_crs(gpd.GeoDataFrame(geometry=[shapely.Point(gcj.lon, gcj.lat)]),
                       crs="GCJ-02")
    back = prcoords.Coords(out.geometry.y[0], out.geometry.x[0])
    assert back.distance(wgs) < 0.01


def test_unknown_user_crs_is_a_usage_error():
    with pytest.raises(UsageError, match="EPSG:99999"):
        crs_name("EPSG:99999")


def test_swapped_lat_lon_refused_with_row():
    gdf = gpd.GeoDataFrame(
        geometry=[shapely.Point(110.05, 41.03), shapely.Point(41.10, 110.20),
                  shapely.Point(41.2, 110.3)], crs="EPSG:4490")
    with pytest.raises(InputError) as err:
        check_in_china(gdf, file="sites.geojson")
    e = err.value
    assert (e.file, e.row) == ("sites.geojson", 2)
    assert "lon 41.100000, lat 110.200000" in str(e) and "swapped" in str(e)
    assert detail_lines(e) == [
        "row 3: lon 41.200000, lat 110.300000 — latitude and longitude look swapped"]


def test_metres_read_as_degrees_refused():
    gdf = gpd.GeoDataFrame(geometry=[shapely.Point(37_450_000, 4_550_000)])
    with pytest.raises(InputError, match="metres read as degrees") as err:
        to_store_crs(gdf, crs="EPSG:4490", file="v.shp", rows=[7])
    assert err.value.row == 7


# -- GCJ-02 ------------------------------------------------------------------

@pytest.mark.parametrize("lon, lat", [(110.05, 41.03), (116.391248, 39.907501),
                                      (121.4737, 31.2304), (87.6168, 43.8256)])
def test_gcj02_round_trip_within_a_centimetre(lon, lat):
    gcj = prcoords.wgs_gcj(prcoords.Coords(lat, lon))
    back = gcj02_to_wgs84(shapely.Point(gcj.lon, gcj.lat))
    assert prcoords.Coords(back.y, back.x).distance(prcoords.Coords(lat, lon)) < 0.01


def test_gcj02_against_other_implementations():
    # wandergis/coordtransform (JavaScript), test/app.js: wgs84togcj02(116.404,
    # 39.915) -> [116.41024449916938, 39.91640428150164].
    back = gcj02_to_wgs84(shapely.Point(116.41024449916938, 39.91640428150164))
    assert (back.x, back.y) == pytest.approx((116.404, 39.915), abs=1e-7)
    # hujiulong/gcoord, test/unit/crs/GCJ02.spec.js: GCJ02 -> WGS84 of
    # (123, 45) is (122.99395597, 44.99804071) to 5 decimals (~1 m).
    back = gcj02_to_wgs84(shapely.Point(123, 45))
    assert (back.x, back.y) == pytest.approx((122.99395597, 44.99804071), abs=1e-5)


def test_gcj02_offset_in_inner_mongolia_is_hundreds_of_metres():
    gcj = shapely.Point(*GUYANG)
    wgs = gcj02_to_wgs84(gcj)
    metres = prcoords.Coords(gcj.y, gcj.x).distance(prcoords.Coords(wgs.y, wgs.x))
    assert 300 < metres < 700


def test_gcj02_converts_polygons_vertex_by_vertex():
    square = shapely.box(110.0, 41.0, 110.02, 41.02)
    out = gcj02_to_wgs84(np.array([square]))[0]
    assert len(shapely.get_coordinates(out)) == 5
    for (x, y), (gx, gy) in zip(shapely.get_coordinates(out),
                                shapely.get_coordinates(square)):
        corner = gcj02_to_wgs84(shapely.Point(gx, gy))
        assert (x, y) == (corner.x, corner.y)
        assert 0.004 < gx - x < 0.008  # WGS84 lies ~500 m west of GCJ-02 here
