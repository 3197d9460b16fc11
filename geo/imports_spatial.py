"""Boundary and site imports: polygons and points joined to the store's units.

Boundaries (``import_units``) merge into the units layer: a code already in
the store replaces that unit's geometry and name, other units stay.  Sites
(``import_sites``) are joined to the unit they lie in.  Both layers are
rewritten on a copy of the store that takes its place only when complete, so
a failed import leaves the store as it was.  Rows that do not join are kept
in the import's report (the ``imports`` table), never stored as units or
sites; with ``strict`` they refuse the whole file.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import STORE_CRS
from geo.errors import InputError, UsageError
from geo.imports import ImportReport, file_sha256
from geo.io import CODE_FIELDS, _code, _column, _read_vector, _rowlist, read_boundaries, read_sites
from geo.ledger_values import BadCell, read_number
from geo.names import join_aliases, known_aliases, name_keys, normalise, split_aliases, stem
from geo.programme import LEVELS, Programme
from geo.store import SITE_COLUMNS, UNIT_COLUMNS, ImportRecord, Store

POPULATION_FIELDS = ("人口", "总人口", "户籍人口", "常住人口", "POP", "POPULATION")
HOUSEHOLD_FIELDS = ("户数", "总户数", "HH", "HOUSEHOLDS")


def level_of_code(code) -> str | None:
    """The level a national 统计用区划代码 names, by its length; None otherwise.

    >>> level_of_code("150222100201"), level_of_code("150200"), level_of_code("150000")
    ('village', 'league', 'province')
    """
    if not isinstance(code, str) or not code.isdigit():
        return None
    if len(code) == 6:
        return "province" if code.endswith("0000") else "league" if code.endswith("00") else "county"
    return {9: "township", 12: "village"}.get(len(code))


def code_ancestors(code) -> list[str]:
    """The national codes above ``code``, nearest first.

    >>> code_ancestors("150222100201")
    ['150222100', '150222', '150200', '150000']
    """
    level = level_of_code(code)
    if level is None:
        return []
    chain = [code[:9], code[:6], code[:4] + "00", code[:2] + "0000"]
    start = {"village": 0, "township": 1, "county": 2, "league": 3, "province": 4}[level]
    return [c for c in dict.fromkeys(chain[start:]) if c != code]


# -- boundaries -----------------------------------------------------------

def import_units(store: Store, path, *, level: str | None = None,
                 encoding: str | None = None, crs: str | None = None,
                 code_field: str | None = None, name_field: str | None = None,
                 parent_field: str | None = None, dry_run: bool = False,
                 strict: bool = False, who: str = "") -> ImportReport:
    """Merge the units of a boundary file into the store.

    Parameters
    ----------
    store
        The store; its units are the parents and the region.
    path
        A boundary file :func:`geo.io.read_boundaries` reads.
    level
        The level of every row (``--level``); by default each row's code
        says it (12 digits village, 9 township, 6 county, ``..00`` league,
        ``..0000`` province), else the store's level for a known code.
    encoding, crs, code_field, name_field, parent_field
        As for :func:`geo.io.read_boundaries`.
    dry_run, strict
        Report only; refuse the whole file when any row is unmatched.
    who
        Recorded with the import.

    Returns
    -------
    ImportReport
        ``matched`` counts the units stored; ``unmatched`` the rows that
        found no parent or lie outside the store's region.

    Notes
    -----
    A unit's parent is its nearest national-code ancestor in the store or
    the file (a village whose township is absent hangs on its county, so the
    roll-up still counts it), else the parent field (a code, or a name one
    level up or higher), else the unit above that holds its representative
    point.  A replaced unit keeps its aliases, gains its old name as one,
    and keeps its population when the file has none.

    Raises
    ------
    InputError
        The file cannot be read, rows lack codes or a level, or (``strict``)
        some rows are unmatched.
    """
    if level is not None and level not in LEVELS:
        raise UsageError(f"--level {level!r} is not one of {', '.join(LEVELS)}")
    boundary = read_boundaries(path, encoding=encoding, crs=crs, code_field=code_field,
                               name_field=name_field, parent_field=parent_field)
    old = store.units(geometry=True)
    new, rows_read, problems = _rows_and_counts(boundary, path, code_field)
    known_level = dict(zip(old["code"], old["level"]))
    new["level"] = [level or level_of_code(c) or known_level.get(c) for c in new["code"]]
    _check_levels(new, Path(path).name)
    new = _carry_over(new, old)
    pool = _frame(pd.concat([_objects(old[~old["code"].isin(new["code"])]), _objects(new)],
                            ignore_index=True))
    points = new.geometry.representative_point().to_numpy()
    tops = _tops(old)
    region = _region(tops)
    inside = shapely.contains(tops.geometry.to_numpy()[:, None], points[None, :]).any(axis=0)
    finder = _Parents(pool, old_parent=dict(zip(old["code"], old["parent_code"])))
    parents, unmatched, skipped, misplaced = [], [], [], []
    for i, row in enumerate(new.itertuples(index=False)):
        parent, how, reason, candidates = (
            finder.find(row, points[i], parent_field is not None) if inside[i]
            else (None, "", f"lies outside the store's region ({region})", []))
        parents.append(parent)
        if parent is None:
            unmatched.append(_unmatched(row, reason, candidates))
            continue
        if how == "code" and LEVELS.index(pool.loc[parent, "level"]) < LEVELS.index(row.level) - 1:
            skipped.append((row.source_row, parent))
        if how != "place" and not pool.loc[parent, "geometry"].contains(points[i]):
            misplaced.append(f"row {row.source_row}: {row.code} {row.name} does not lie in "
                             f"its parent {parent} {pool.loc[parent, 'name']}")
    new["parent_code"] = pd.Series(parents, index=new.index, dtype=object)
    _cascade(new, unmatched)
    ok = new["parent_code"].notna().to_numpy()
    kept = old[~old["code"].isin(new.loc[ok, "code"])]
    units = _frame(pd.concat([_objects(kept), _objects(new[ok])], ignore_index=True))
    units = units.reset_index(drop=True)
    moved = _reparent(units, set(new.loc[ok, "code"]))

    warnings = list(boundary.warnings) + problems + misplaced
    if skipped:
        warnings.append(
            "levels missing from store and file: rows " + _rowlist([r for r, _ in skipped])
            + " hang on " + ", ".join(sorted({p for _, p in skipped}))
            + ", so the roll-up still counts them")
    if moved:
        warnings.append(f"{len(moved)} unit(s) already stored now hang on new units: "
                        + ", ".join(f"{c} → {p}" for c, p in moved[:10])
                        + (" …" if len(moved) > 10 else ""))
    report = ImportReport(
        file=str(path), kind="units", level=", ".join(lv for lv in LEVELS if lv in set(new["level"])),
        region=region, rows_read=rows_read, matched=int(ok.sum()),
        unmatched=sorted(unmatched, key=lambda u: u["source_row"]),
        warnings=warnings, dry_run=dry_run)
    _refuse_if_strict(report, strict, "parent")
    if not dry_run:
        record = ImportRecord(kind="units", file=str(path), sha256=file_sha256(path), as_of=None,
                              level=report.level, rows_read=rows_read, matched=report.matched,
                              report=report.as_dict(), who=who)
        report.import_id = store.replace_units(units, record, _unmatched_frame(report))
    return report


def _carry_over(new: gpd.GeoDataFrame, old: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Kind, aliases (plus a changed name) and counts a replaced unit keeps."""
    before = old.set_index("code").reindex(new["code"])
    known = known_aliases()
    new = new.copy()
    new["kind"] = before["kind"].fillna("admin").to_numpy(dtype=object)
    new["aliases"] = [
        join_aliases([*split_aliases(a), *known.get(c, ()),
                      was if isinstance(was, str) and was != name else None])
        for c, a, was, name in zip(new["code"], before["aliases"], before["name"], new["name"])]
    for column in ("population", "households"):
        new[column] = new[column].astype(object).where(
            new[column].notna(), before[column].to_numpy(dtype=object))
    return new


def _rows_and_counts(boundary, path, code_field) -> tuple[gpd.GeoDataFrame, int, list[str]]:
    """The units with their file row and population/households, rows read, problems.

    ``read_boundaries`` keeps neither the row numbers (it leaves out rows
    without geometry) nor other columns, so the attributes are read again
    and aligned on the code, which must be unique anyway.
    """
    file = Path(path).name
    raw, _, _, _ = _read_vector(path, layer=None, encoding=boundary.encoding,
                                want=("Polygon", "MultiPolygon"))
    columns = [c for c in raw.columns if c != "geometry"]
    code_col = _column(columns, CODE_FIELDS, code_field, "--code-field", file)
    if code_col is None:
        raise InputError(f"no code column (looked for {', '.join(CODE_FIELDS)}); the store "
                         f"keeps units by code — name the column with --code-field F", file=file)
    codes = raw[code_col].map(lambda v: _code(v, code_col))
    rows = np.arange(1, len(raw) + 1)
    missing = rows[codes.isna().to_numpy()]
    if len(missing):
        raise InputError(f"rows {_rowlist(missing)} have no code; every unit needs one "
                         f"(or name the code column with --code-field F)", file=file,
                         row=int(missing[0]), column=code_col)
    twice = codes[codes.duplicated(keep=False)]
    if len(twice):
        first = rows[twice.index[0]]
        raise InputError(f"code {twice.iloc[0]} is used by rows {_rowlist(rows[twice.index])}; "
                         "a code names one unit", file=file, row=int(first), column=code_col,
                         details=[f"code {c}: rows {_rowlist(rows[g.index])}"
                                  for c, g in twice.groupby(twice, sort=False)][1:])
    at = dict(zip(codes, range(len(raw))))
    units = boundary.units.rename(columns={"parent_code": "parent_text"})
    units["parent_code"] = None
    units["source_row"] = [int(rows[at[c]]) for c in units["code"]]
    problems = []
    for field, names in (("population", POPULATION_FIELDS), ("households", HOUSEHOLD_FIELDS)):
        col = _column(columns, names, None, "", file)
        values = raw[col].to_numpy() if col else np.full(len(raw), None)
        counts = []
        for code in units["code"]:
            try:
                counts.append(read_number(values[at[code]])[0])
            except BadCell:
                problems.append(f"{col} in row {rows[at[code]]} is not a number; left empty")
                counts.append(np.nan)
        units[field] = counts
    return units, len(raw), problems


def _check_levels(new: gpd.GeoDataFrame, file: str) -> None:
    unknown = new[new["level"].isna()]
    if len(unknown):
        raise InputError(
            f"rows {_rowlist(unknown['source_row'])} have codes that do not say their level "
            f"(e.g. {unknown['code'].iloc[0]!r}: national codes have 6, 9 or 12 digits); "
            "give --level", file=file, row=int(unknown["source_row"].iloc[0]))


class _Parents:
    """Finds a new unit's parent: by national code, parent field, or location."""

    def __init__(self, pool: gpd.GeoDataFrame, *, old_parent: dict):
        self.pool = pool
        self.old_parent = old_parent
        self.rank = pool["level"].map(LEVELS.index)
        self.tree = shapely.STRtree(pool.geometry.to_numpy())
        self.named: dict[tuple[str, str], set[str]] = {}  # (level, name or alias) -> codes
        for code, level, name, aliases in zip(pool.index, pool["level"], pool["name"],
                                              pool["aliases"]):
            for text in (name, *split_aliases(aliases)):
                self.named.setdefault((level, normalise(text)), set()).add(code)

    def find(self, row, point, has_field: bool):
        """(parent, how — code/field/place/kept, reason, candidates)."""
        rank = LEVELS.index(row.level)
        by_code = [c for c in code_ancestors(row.code)
                   if c in self.pool.index and self.rank[c] < rank]
        if by_code:
            return by_code[0], "code", "", []
        if has_field and isinstance(row.parent_text, str):
            parent, reason, candidates = self._by_field(row.parent_text, rank)
            return parent, "field", reason, candidates
        parent, reason, candidates = self._by_place(row.code, point, rank)
        if parent is None and isinstance(self.old_parent.get(row.code), str):
            return self.old_parent[row.code], "kept", "", []  # a replaced unit keeps its own
        return parent, "place", reason, candidates

    def _by_field(self, value: str, rank: int):
        if value in self.pool.index:
            if self.rank[value] < rank:
                return value, "", []
            return None, f"parent {value} is not above this unit's level", [self._label(value)]
        wanted = normalise(value)
        for level in reversed(LEVELS[:rank]):  # one level up first, then higher
            found = sorted(self.named.get((level, wanted), ()))
            if len(found) == 1:
                return found[0], "", []
            if found:
                return None, f"parent {value!r} names several units", list(map(self._label, found))
        near = difflib.get_close_matches(wanted, list(self.pool["name"]), n=3, cutoff=0.4)
        names = dict(zip(self.pool["name"], self.pool.index))
        return None, f"parent {value!r} is not a unit above this one", [
            self._label(names[n]) for n in near]

    def _by_place(self, code: str, point, rank: int):
        hits = [self.pool.index[i] for i in self.tree.query(point, predicate="within")]
        hits = [c for c in hits if c != code and self.rank[c] < rank]
        if not hits:
            return None, "not a national code, no parent field, and in no unit above it", []
        nearest = max(self.rank[c] for c in hits)
        hits = sorted(c for c in hits if self.rank[c] == nearest)
        if len(hits) > 1:
            return None, "lies in several units above it", list(map(self._label, hits))
        return hits[0], "", []

    def _label(self, code: str) -> str:
        return f"{code} {self.pool.loc[code, 'name']}"


def _unmatched(row, reason: str, candidates: list[str]) -> dict:
    parent = getattr(row, "parent_text", None)
    return {"source_row": int(row.source_row), "code": row.code, "name": row.name,
            "parent_name": parent if isinstance(parent, str) else None,
            "reason": reason, "candidates": "; ".join(candidates)}


def _cascade(new: gpd.GeoDataFrame, unmatched: list[dict]) -> None:
    """A unit whose parent is an unmatched row of the file is unmatched too."""
    while True:
        lost = set(new.loc[new["parent_code"].isna(), "code"])
        orphans = new["parent_code"].isin(lost)
        if not orphans.any():
            return
        for row in new[orphans].itertuples(index=False):
            unmatched.append(_unmatched(row, f"its parent {row.parent_code} (in this file) "
                                             "is unmatched", []))
        new.loc[orphans, "parent_code"] = None


def _reparent(units: gpd.GeoDataFrame, arrived: set[str]) -> list[tuple[str, str]]:
    """Hang stored units on newly arrived nearer ancestors (villages on new townships)."""
    codes, moved = set(units["code"]), []
    for i, (code, parent) in enumerate(zip(units["code"], units["parent_code"])):
        chain = [c for c in code_ancestors(code) if c in codes]
        if code in arrived or not chain or chain[0] not in arrived or chain[0] == parent:
            continue
        # Only a move down the code's own chain: a parent set by hand or place stays.
        if parent is None or parent in chain[1:]:
            units.iloc[i, units.columns.get_loc("parent_code")] = chain[0]
            moved.append((code, chain[0]))
    return moved


def _typed(frame: pd.DataFrame, columns: list[str], numbers=()) -> gpd.GeoDataFrame:
    """``columns`` and geometry: ``numbers`` as floats, the rest objects with None.

    One dtype per column whatever the source (pyogrio, pandas' str), so that
    a concat never meets an all-NA column of another dtype (deprecated in
    pandas) and amounts are not written as text.
    """
    out = gpd.GeoDataFrame(frame[columns + ["geometry"]].copy(), geometry="geometry",
                           crs=STORE_CRS)
    for column in columns:
        if column in numbers:
            out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
        else:
            values = out[column].astype(object)
            out[column] = values.where(values.notna(), None).astype(object)
    return out


def _objects(units: pd.DataFrame) -> gpd.GeoDataFrame:
    return _typed(units, UNIT_COLUMNS, ("population", "households"))


def _frame(units: pd.DataFrame) -> gpd.GeoDataFrame:
    units = _objects(units)
    return units.set_index(units["code"].rename(None), drop=False)


def _refuse_if_strict(report: ImportReport, strict: bool, what: str) -> None:
    if strict and report.unmatched:
        first = report.unmatched[0]
        raise InputError(
            f"{len(report.unmatched)} row(s) do not join a {what} and --strict refuses the "
            f"file: {first.get('name') or first.get('code')!r} — {first['reason']}",
            file=Path(report.file).name, row=first["source_row"], details=report.lines()[1:])


# -- sites ----------------------------------------------------------------

def import_sites(store: Store, path, *, encoding: str | None = None, crs: str | None = None,
                 sheet: str | None = None, dry_run: bool = False, strict: bool = False,
                 who: str = "") -> ImportReport:
    """Add the project sites of a table or point file to the store.

    Parameters
    ----------
    store
        The store; sites join its units and its programme's items.
    path, encoding, crs, sheet
        As for :func:`geo.io.read_sites`.
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
            reasons.append("lies in several units" if candidates[i]
                           else "lies outside every unit of the store")
            hints += [f"{c} {names[c]}" for c in candidates[i]]
        item, item_hints = _item_of(site.item_text, items)
        if item is None:
            reasons.append(f"item {site.item_text!r} is not one of {store.programme.name_zh}'s"
                           if site.item_text else "no item (项目类别)")
            hints += item_hints
        if reasons:
            unmatched.append({"source_row": row, "name": site.name, "code": code,
                              "reason": "; ".join(reasons), "candidates": "; ".join(hints)})
            continue
        where = f"{code} {names[code]}"
        vc, vn = site.village_code, site.village_name
        if isinstance(vc, str) and vc != code and code not in code_ancestors(vc):
            warnings.append(f"row {row}: 村代码 {vc} but the site lies in {where}")
        if isinstance(vn, str) and level[code] == "village" and stem(vn) not in keys[code]:
            warnings.append(f"row {row}: 所在村 {vn!r} but the site lies in {where}")
        status = store.programme.status_of(site.status_text) if site.status_text else None
        if site.status_text and status is None:
            warnings.append(f"row {row}: status {site.status_text!r} is not a known status word; "
                            "left empty")
        matched.append((i, item, status, code))
    old = store.sites()
    new = _new_sites(sites, matched, _next_id(old))
    report = ImportReport(
        file=str(path), kind="sites", rows_read=len(sites), matched=len(new),
        region=_region(_tops(units)), unmatched=unmatched,
        warnings=warnings, dry_run=dry_run)
    _refuse_if_strict(report, strict, "unit and item")
    if not dry_run:
        everything = new if not len(old) else gpd.GeoDataFrame(
            pd.concat([_site_types(old), new], ignore_index=True),
            geometry="geometry", crs=STORE_CRS)
        record = ImportRecord(kind="sites", file=str(path), sha256=file_sha256(path), as_of=None,
                              level=None, rows_read=len(sites), matched=len(new),
                              report=report.as_dict(), who=who)
        report.import_id = store.replace_sites(everything, record, _unmatched_frame(report))
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
    if not len(old):
        return 1
    numbers = old["site_id"].astype(object).dropna().astype(str).str.extract(r"^S(\d+)$")[0]
    numbers = pd.to_numeric(numbers, errors="coerce").dropna()
    return int(numbers.max()) + 1 if len(numbers) else 1


def _new_sites(sites: gpd.GeoDataFrame, matched, first_id: int) -> gpd.GeoDataFrame:
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
    return _typed(sites, SITE_COLUMNS, ("investment",))


def _tops(units: pd.DataFrame) -> pd.DataFrame:
    return units[units["parent_code"].isna() | ~units["parent_code"].isin(units["code"])]


def _region(tops: pd.DataFrame) -> str:
    return "; ".join(f"{c} {n}" for c, n in zip(tops["code"], tops["name"]))


def _unmatched_frame(report) -> pd.DataFrame:
    """The report's unmatched rows as the store keeps them: never dropped."""
    frame = pd.DataFrame(report.unmatched)
    return frame.reindex(columns=["source_row", "name", "parent_name", "code",
                                  "reason", "candidates"])
