"""Site imports: project points joined to the store's units and items.

A site joins the lowest unit it lies within and the programme item its
category names; matched sites are added after the store's own, with new
ids.  The sites layer is rewritten on a copy of the store that takes its
place only when complete, so a failed import leaves the store as it was.
Sites that do not join are never stored as sites: they are kept in the
import's report (the ``imports`` table) and in the store's ``unmatched``
table; with ``strict`` they refuse the whole file.
"""

from __future__ import annotations

import difflib

import geopandas as gpd
import pandas as pd

from geo.codes import code_ancestors
from geo.crs import STORE_CRS
from geo.i18n.errors import Phrase, Sentence
from geo.imports.common import (
    refuse_if_strict, region_label, typed_layer, unmatched_frame, unmatched_row,
)
from geo.imports.report import ImportReport, file_sha256
from geo.names import name_keys, normalise, split_aliases, stem
from geo.programme import LEVELS, Programme
from geo.sites import read_sites
from geo.store import SITE_COLUMNS, ImportRecord, Store


def import_sites(store: Store, path, *, encoding: str | None = None, crs: str | None = None,
                 sheet: str | None = None, dry_run: bool = False, strict: bool = False,
                 who: str = "") -> ImportReport:
    """Add the project sites of a table or point file to the store.

    Parameters
    ----------
    store
        The store; sites join its units and its programme's items.
    path, encoding, crs, sheet
        As for :func:`geo.sites.read_sites`.
    dry_run, strict
        Report only; refuse the whole file when any site is unmatched.
    who
        Recorded with the import.

    Returns
    -------
    ImportReport
        ``matched`` counts the sites stored; a site whose item is unknown or
        that lies in no unit is unmatched and not stored.

    Notes
    -----
    A site joins the lowest unit it lies within (villages first); its
    ``village_code``/``village_name`` columns are only checked against that
    place.  New sites get ids ``S000001``… after the store's highest.

    Raises
    ------
    InputError
        The file cannot be read, a coordinate is bad, or (``strict``) some
        sites are unmatched.
    """
    read = read_sites(path, encoding=encoding, crs=crs, sheet=sheet)
    sites = read.sites.to_crs(STORE_CRS)  # the store's CRS, checked before the join
    units = store.units(geometry=True)
    unit_code, candidates = _place(sites, units)
    names = dict(zip(units["code"], units["name"]))
    level = dict(zip(units["code"], units["level"]))
    keys = {c: name_keys(n, split_aliases(a))
            for c, n, a in zip(units["code"], units["name"], units["aliases"])}
    items = _item_words(store.programme)
    warnings, unmatched, matched = list(read.warnings), [], []
    for i, site in enumerate(sites.itertuples(index=False)):
        row, code = int(site.source_row), unit_code[i]
        reasons, hints = [], []
        if code is None:
            reasons.append(Phrase("site_in_several_units" if candidates[i]
                                  else "site_outside_units"))
            hints += [f"{c} {names[c]}" for c in candidates[i]]
        item, item_hints = _item_of(site.item_text, items)
        if item is None:
            reasons.append(
                Phrase("site_unknown_item", item=site.item_text,
                       programme=store.programme.name_zh)
                if site.item_text else Phrase("site_no_item"))
            hints += item_hints
        if reasons:
            reason = (Phrase("two_reasons", first=reasons[0], second=reasons[1])
                      if len(reasons) == 2 else reasons[0])
            unmatched.append(unmatched_row(row, name=site.name, code=code, reason=reason,
                                           candidates=hints))
            continue
        where = f"{code} {names[code]}"
        vc, vn = site.village_code, site.village_name
        if isinstance(vc, str) and vc != code and code not in code_ancestors(vc):
            warnings.append(Sentence("warn_site_village_code", row=row, code=vc, where=where))
        if isinstance(vn, str) and level[code] == "village" and stem(vn) not in keys[code]:
            warnings.append(Sentence("warn_site_village_name", row=row, name=vn, where=where))
        status = store.programme.status_of(site.status_text) if site.status_text else None
        if site.status_text and status is None:
            warnings.append(Sentence("warn_site_status_unknown", row=row,
                                     word=site.status_text))
        matched.append((i, item, status, code))
    old = store.sites()
    new = _new_sites(sites, matched, _next_id(old))
    report = ImportReport(
        file=str(path), kind="sites", rows_read=len(sites), matched=len(new),
        region=region_label(units), unmatched=unmatched,
        warnings=warnings, dry_run=dry_run)
    refuse_if_strict(report, strict, "unit_item")
    if not dry_run:
        everything = new if not len(old) else gpd.GeoDataFrame(
            pd.concat([_site_types(old), new], ignore_index=True),
            geometry="geometry", crs=STORE_CRS)
        record = ImportRecord(kind="sites", file=str(path), sha256=file_sha256(path),
                              as_of=None, level=None, rows_read=len(sites), matched=len(new),
                              report=report.as_dict(), who=who)
        report.import_id = store.replace_sites(everything, record, unmatched_frame(report))
    return report


def _place(sites: gpd.GeoDataFrame, units: gpd.GeoDataFrame):
    """Each site's unit (lowest level first) or None, and the units it is ambiguous among."""
    codes: list[str | None] = [None] * len(sites)
    ambiguous: list[list[str]] = [[] for _ in range(len(sites))]
    for level in reversed(LEVELS):
        layer = units[units["level"] == level]
        todo = [i for i in range(len(sites)) if codes[i] is None and not ambiguous[i]]
        if layer.empty or not todo:
            continue
        hits = gpd.sjoin(sites.iloc[todo].reset_index(drop=True)[["geometry"]],
                         layer[["code", "geometry"]], how="inner", predicate="within")
        for j, group in hits.groupby(level=0)["code"]:
            found = sorted(group)
            if len(found) == 1:
                codes[todo[j]] = found[0]
            else:
                ambiguous[todo[j]] = found
    return codes, ambiguous


def _item_words(programme: Programme) -> list[tuple[str, str]]:
    """(normalised word, item key), longest word first, so 卫生室建设 beats 卫生室."""
    words = {(normalise(w).lower(), item.key)
             for item in programme.items
             for w in (*item.headers, item.short_zh, item.zh, item.key)}
    return sorted(words, key=lambda wk: (-len(wk[0]), wk[0]))


def _item_of(text, words: list[tuple[str, str]]) -> tuple[str | None, list[str]]:
    """The item a site's category names, or None with the nearest words."""
    wanted = normalise(text).lower() if text else ""
    if not wanted:
        return None, []
    for word, key in words:
        if word and word in wanted:
            rest = wanted.replace(word, "|")
            others = sorted({k for w, k in words if k != key and w in rest})
            # Two items named in one cell (卫生室及文化室) is not one site's item: never guess.
            return (None, [key, *others]) if others else (key, [])
    near = difflib.get_close_matches(wanted, [w for w, _ in words], n=3, cutoff=0.4)
    return None, near


def _next_id(old: gpd.GeoDataFrame) -> int:
    """The number after the store's highest ``S…`` id (ids typed by hand are skipped)."""
    if not len(old):
        return 1
    numbers = old["site_id"].astype(object).dropna().astype(str).str.extract(r"^S(\d+)$")[0]
    numbers = pd.to_numeric(numbers, errors="coerce").dropna()
    return int(numbers.max()) + 1 if len(numbers) else 1


def _new_sites(sites: gpd.GeoDataFrame, matched, first_id: int) -> gpd.GeoDataFrame:
    """The matched sites in the store's columns, numbered from ``first_id``."""
    at = [i for i, _, _, _ in matched]
    chosen = sites.iloc[at]

    def iso(values):
        return [v.date().isoformat() if pd.notna(v) else None for v in values]

    frame = {
        "site_id": [f"S{first_id + n:06d}" for n in range(len(at))],
        "name": chosen["name"].to_numpy(dtype=object),
        "item": [m[1] for m in matched], "status": [m[2] for m in matched],
        "start_date": iso(chosen["start_date"]), "end_date": iso(chosen["end_date"]),
        "investment": [None if pd.isna(v) else float(v) for v in chosen["investment"]],
        "unit_code": [m[3] for m in matched], "import_id": [None] * len(at),
    }
    return _site_types(gpd.GeoDataFrame(frame, geometry=chosen.geometry.to_numpy(), crs=STORE_CRS))


def _site_types(sites: pd.DataFrame) -> gpd.GeoDataFrame:
    """Sites with the store's columns and one dtype each (see ``typed_layer``)."""
    return typed_layer(sites, SITE_COLUMNS, ("investment",))
