"""GeoJSON for folium layers: only the properties a map needs, ~1 m coordinates."""

from __future__ import annotations

import json

import folium
import geopandas as gpd
import numpy as np
import shapely

# ~1 m: finer digits only make the page bigger.
COORD_DECIMALS = 5


# A unit without a boundary (geo.placement) is a dot: Leaflet's default pin needs an
# image from a CDN, and a dot takes the fill of its class like a polygon.
APPROXIMATE_DOT = folium.CircleMarker(radius=7, weight=1, fill=True, fill_opacity=0.9)


def feature_collection(geometry: gpd.GeoSeries, properties: dict[str, list]) -> dict:
    """A GeoJSON FeatureCollection with only ``properties``, coordinates rounded.

    Rows without a geometry (or with an empty one) are left out.
    """
    rounded = shapely.transform(np.asarray(geometry.values),
                                lambda xy: np.round(xy, COORD_DECIMALS))
    keys = list(properties)
    features = [
        {"type": "Feature",
         "geometry": json.loads(shapely.to_geojson(geom)),
         "properties": {key: properties[key][i] for key in keys}}
        for i, geom in enumerate(rounded)
        if geom is not None and not geom.is_empty
    ]
    return {"type": "FeatureCollection", "features": features}
