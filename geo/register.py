"""Registers of units (统计用区划代码): the townships and villages a programme covers.

There are no public village boundaries.  An office has its village list: the
bureau's 统计用区划代码 as published (code, 城乡分类代码, name), or a sheet of
its own with codes, names and perhaps population.  covermap ships the bureau's
2016 list for all of China (``data/register/``) and reads any such table into
one frame, ``REGISTER_COLUMNS``, with 12-digit codes; :func:`covered_units`
then keeps what the programme covers and gives the store's units, without
geometry.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from geo.codes import (
    code_ancestors, code_as_written, level_of_code, lost_digits, national_code, national_code_12,
    village_code_of_zldwdm,
)
from geo.crs import gcj02_to_wgs84_points
from geo.errors import InputError
from geo.ledger.values import BadCell, header_key, header_words, read_number
from geo.programme import Programme

REGISTER_FILE = Path(__file__).resolve().parent.parent / "data" / "register" / "nbs-2016.csv.gz"
REGISTER_NAME = "统计用区划代码 2016"
REGISTER_DATE = dt.date(2016, 7, 31)
REGISTER_COLUMNS = ["source_row", "code", "parent_code", "name", "rank", "urban_rural_code",
                    "dummy", "lon", "lat", "population", "households"]
# Register ranks, as the bureau numbers them, and the store's level of each.
RANK_LEVELS = {1: "province", 2: "league", 3: "county", 4: "township", 5: "village"}
LEVEL_RANKS = {level: rank for rank, level in RANK_LEVELS.items()}

# The words a register's columns answer to beyond the ledgers' (data/words/headers.toml:
# code, population, households, and the unit's name at any level): the bureau's file's
# own column names and the words of its web pages.
REGISTER_WORDS = {
    "code": ("code", "村代码", "嘎查村代码"),
    "name": ("name", "村名", "村名称", "村委会"),
    "parent_code": ("parent_code", "parent", "上级代码", "上级区划代码"),
    "urban_rural_code": ("urban_rural_code", "城乡分类代码", "城乡分类"),
    "population": ("population",),
    "households": ("households",),
    "rank": ("rank",),
    "dummy": ("dummy",),
    "lon": ("longitude_gcj02",),
    "lat": ("latitude_gcj02",),
}


def shipped_register(prefixes=None) -> pd.DataFrame:
    """The shipped 2016 list (``REGISTER_COLUMNS``), only the codes under ``prefixes``
    (``"15"``, ``"150222"``) when given."""
    raw = _shipped()
    if prefixes is not None:
        raw = raw[raw["code"].str.startswith(tuple(prefixes))]
    raw = raw.rename(columns={"longitude_gcj02": "lon", "latitude_gcj02": "lat"})
    return _register_frame(raw, source_rows=raw.index.to_numpy() + 2)


@lru_cache(maxsize=1)
def _shipped() -> pd.DataFrame:
    """The shipped file's text, read once a process (0.6 s)."""
    return pd.read_csv(REGISTER_FILE, dtype=str, keep_default_na=False, engine="pyarrow")


def seats(codes) -> dict:
    """The seat (a WGS84 point) the shipped register gives each county or township
    code that has one."""
    codes = [str(c) for c in codes]
    if not codes:
        return {}
    raw = _shipped()
    rows = raw[raw["code"].isin({national_code_12(c) for c in codes})]
    rows = rows[(rows["longitude_gcj02"] != "") & (rows["latitude_gcj02"] != "")]
    if rows.empty:
        return {}
    xy = gcj02_to_wgs84_points(rows[["longitude_gcj02", "latitude_gcj02"]].astype(float))
    return {national_code(c): shapely.Point(x, y) for c, (x, y) in zip(rows["code"], xy)}


def is_shipped(path) -> bool:
    return Path(path).resolve() == REGISTER_FILE


def read_register(path, *, sheet: str | None = None) -> pd.DataFrame:
    """A register table (csv, csv.gz, xlsx, xls) as ``REGISTER_COLUMNS``.

    The header is the first of the top rows that has a code column and a name
    column; rows without a code (notes, totals, blank rows) are left out.

    Raises
    ------
    InputError
        The file cannot be read, has no code or name column, or holds a code
        Excel turned into a number in scientific notation (its digits are lost).
    """
    if is_shipped(path):
        return shipped_register()
    file = Path(path).name
    cells = _read_cells(path, sheet)
    header_at, columns = _find_header(cells, file)
    body = cells.iloc[header_at + 1:]
    raw = pd.DataFrame({role: body.iloc[:, i].to_numpy() for role, i in columns.items()})
    source_rows = np.arange(header_at + 2, header_at + 2 + len(body))
    codes = [_code_text(v, file, row, columns_label(cells, header_at, columns["code"]))
             for v, row in zip(raw["code"], source_rows)]
    raw["code"] = codes
    keep = raw["code"].notna().to_numpy()
    raw, source_rows = raw[keep], source_rows[keep]
    for role in ("population", "households"):
        if role in raw:
            raw[role] = [_count(v, file, row, role) for v, row in zip(raw[role], source_rows)]
    if "parent_code" in raw:
        raw["parent_code"] = [_code_text(v, file, row, "parent_code")
                              for v, row in zip(raw["parent_code"], source_rows)]
    return _register_frame(raw, source_rows=source_rows)


def code_prefix(code: str) -> str:
    """The digits every code under a unit starts with: 15 for 150000, 1502 for 150200.

    >>> code_prefix("150000"), code_prefix("150200"), code_prefix("150222"), code_prefix("150222102")
    ('15', '1502', '150222', '150222102')
    """
    code = str(code)
    if len(code) == 6 and code.endswith("0000"):
        return code[:2]
    if len(code) == 6 and code.endswith("00"):
        return code[:4]
    return code


def not_covered(region_code: str, programme: Programme) -> pd.DataFrame:
    """The townships and villages of the shipped register under ``region_code`` that the
    programme does not cover (urban 居委会, placeholders): ``code, name, aliases`` with
    store codes, so that a ledger row naming one is told so, not "unknown"."""
    register = shipped_register([code_prefix(region_code)])
    kept, _ = covered_units(register, programme)
    rows = register[(register["rank"] >= 4) & ~register["code"].map(national_code).isin(
        kept["code"])]
    return pd.DataFrame({"code": rows["code"].map(national_code).to_numpy(),
                         "name": rows["name"].to_numpy(), "aliases": ""})


def covered_units(register: pd.DataFrame, programme: Programme) -> tuple[pd.DataFrame, dict]:
    """The units of ``register`` the programme covers, as the store keeps them.

    Village-level units are the village committees (code part 200–399 by
    default: 村委会, 嘎查) and every unit of a farm township (农场/牧场/林场);
    townships are kept when they hold one of those, are farms, or have no village
    listed at all (a list of townships); counties are
    all kept but an empty placeholder (a 市辖区 with nothing under it), so that
    every county keeps its place in rankings.  Statistical placeholders
    (``dummy``) never.

    Returns
    -------
    (DataFrame, dict)
        ``code, name, level, kind, parent_code, aliases, population,
        households, lon, lat`` with store codes (6 digits up to a county, 9
        for a township, 12 for a village) and lon/lat in WGS84; and the count
        of units left out, by why (``urban``, ``placeholder``, ``other``).
    """
    cover = programme.register
    reg = register[~register["dummy"]]
    rank = reg["rank"]
    farm_words = tuple(cover["farm_words"])
    farm_towns = set(reg.loc[(rank == 4) & reg["name"].map(lambda n: any(w in n for w in farm_words)),
                             "code"])
    part = reg["code"].str[9:].astype(int)
    low, high = cover["village_codes"]
    villages = (rank == 5) & (part.between(low, high) | reg["parent_code"].isin(farm_towns))
    # A township is left out when its villages are listed and none is covered (a
    # subdistrict of 居委会 only); a list of townships alone keeps them all.
    listed = set(register.loc[register["rank"] == 5, "parent_code"])
    towns = (rank == 4) & (reg["code"].isin(reg.loc[villages, "parent_code"])
                           | reg["code"].isin(farm_towns) | ~reg["code"].isin(listed))
    has_children = reg["code"].isin(register.loc[register["rank"] > 3, "code"].str[:6] + "000000")
    counties = (rank == 3) & has_children
    above = rank < 3
    kept = reg[villages | towns | counties | above]
    left_out = {
        "urban": int(((rank == 5) & ~villages & (part < 200)).sum()),
        "placeholder": int(register["dummy"].sum() + ((rank == 3) & ~has_children).sum()),
    }
    left_out["other"] = int((register["rank"] >= 3).sum() - (kept["rank"] >= 3).sum()
                            - left_out["urban"] - left_out["placeholder"])
    units = pd.DataFrame({
        "code": kept["code"].map(national_code).to_numpy(),
        "name": kept["name"].to_numpy(),
        "level": kept["rank"].map(RANK_LEVELS).to_numpy(),
        "kind": np.where(kept["code"].isin(farm_towns) | kept["parent_code"].isin(farm_towns),
                         "farm", "admin"),
        "parent_code": kept["parent_code"].map(national_code).to_numpy(),
        "aliases": _without_ancestor_names(kept, register),
        "population": kept["population"].to_numpy(dtype=float),
        "households": kept["households"].to_numpy(dtype=float),
        "lon": kept["lon"].to_numpy(), "lat": kept["lat"].to_numpy(),
        "source_row": kept["source_row"].to_numpy(),
    })
    return units, left_out


def _without_ancestor_names(units: pd.DataFrame, register: pd.DataFrame) -> list[str]:
    """Each unit's name without its county's or parent's name in front, where the
    register writes it so (四子王旗红格尔苏木 is written 红格尔苏木, 江滨农场第一管理区
    第一管理区): an alias to find it by; "" for the rest."""
    names = dict(zip(register["code"], register["name"]))
    out = []
    for code, parent, name in zip(units["code"], units["parent_code"], units["name"]):
        county = names.get(code[:6] + "000000", "")
        prefixes = [p for p in (names.get(parent, ""), county) if len(p) >= 2]
        rest = next((name[len(p):] for p in prefixes if name.startswith(p)), "")
        # A name of its own (红格尔苏木, 第一管理区), never a bare word (村委会, 场部).
        out.append(rest if rest.endswith(_OWN_NAME_ENDINGS) and len(rest) >= 3 else "")
    return out


# What a unit's own name ends in, once its county's or parent's name is cut off.
_OWN_NAME_ENDINGS = ("苏木", "镇", "乡", "街道", "嘎查", "村", "社区", "分场", "管理区",
                     "作业区", "农场", "牧场", "林场")


def rank_of_code(code12: str) -> int:
    """The register rank a 12-digit code names (:func:`geo.codes.level_of_code`).

    >>> rank_of_code("150000000000"), rank_of_code("150222100000"), rank_of_code("150201000000")
    (1, 4, 3)
    """
    return LEVEL_RANKS[level_of_code(national_code(code12))]


def parent_of_code(code12: str) -> str | None:
    """The 12-digit code of the unit above, by the code alone."""
    above = code_ancestors(national_code(code12))
    return national_code_12(above[0]) if above else None


def _register_frame(raw: pd.DataFrame, *, source_rows) -> pd.DataFrame:
    """``REGISTER_COLUMNS`` from a table with at least ``code`` and ``name``."""
    n = len(raw)
    code = raw["code"].astype(str).map(national_code_12)
    given_rank = pd.to_numeric(raw["rank"], errors="coerce") if "rank" in raw else None
    rank = code.map(rank_of_code)
    if given_rank is not None:
        rank = given_rank.fillna(rank).astype(int)
    parent = code.map(parent_of_code)
    if "parent_code" in raw:
        given = raw["parent_code"].map(lambda c: national_code_12(c) if isinstance(c, str) and c else None)
        parent = given.where(given.notna() & (given != code), parent)
    lon, lat = _wgs84(raw.get("lon"), raw.get("lat"), n)
    frame = pd.DataFrame({
        "source_row": np.asarray(source_rows, dtype=int),
        "code": code.to_numpy(),
        "parent_code": parent.to_numpy(),
        "name": raw["name"].map(_name).to_numpy(),
        "rank": rank.to_numpy(dtype=int),
        "urban_rural_code": _column(raw, "urban_rural_code", n),
        "dummy": (_column(raw, "dummy", n) == "t"),
        "lon": lon, "lat": lat,
        "population": pd.to_numeric(_column(raw, "population", n), errors="coerce"),
        "households": pd.to_numeric(_column(raw, "households", n), errors="coerce"),
    })
    return frame[frame["rank"].between(1, 5)].reset_index(drop=True)


def _column(raw: pd.DataFrame, role: str, n: int) -> np.ndarray:
    if role not in raw:
        return np.full(n, None, dtype=object)
    return raw[role].map(lambda v: v if v != "" else None).to_numpy(dtype=object)


def _wgs84(lon, lat, n: int) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 points as WGS84 longitude and latitude (NaN where none)."""
    if lon is None or lat is None:
        return np.full(n, np.nan), np.full(n, np.nan)
    x = pd.to_numeric(lon, errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(lat, errors="coerce").to_numpy(dtype=float)
    has = ~(np.isnan(x) | np.isnan(y))
    out = np.column_stack([x, y])
    if has.any():
        out[has] = gcj02_to_wgs84_points(out[has])
    return out[:, 0], out[:, 1]


def _name(value) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip() if value is not None else ""


def _read_cells(path, sheet) -> pd.DataFrame:
    suffixes = "".join(Path(path).suffixes[-2:]).lower()
    if suffixes.endswith((".csv", ".csv.gz", ".txt")):
        return _read_csv(path)
    try:
        return pd.read_excel(path, sheet_name=sheet or 0, header=None, dtype=object)
    except (OSError, ValueError) as error:
        raise InputError(reason="cannot_read_register", param="file", file=Path(path).name,
                         detail=str(error)) from error


def _read_csv(path) -> pd.DataFrame:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(path, header=None, dtype=str, keep_default_na=False,
                               encoding=encoding)
        except UnicodeDecodeError:
            continue
        except (OSError, ValueError) as error:
            raise InputError(reason="cannot_read_register", param="file",
                             file=Path(path).name, detail=str(error)) from error
    raise InputError(reason="cannot_read_register", param="file", file=Path(path).name,
                     detail="encoding")


def _find_header(cells: pd.DataFrame, file: str) -> tuple[int, dict[str, int]]:
    """The header row (within the first 15) and the column of each role it names."""
    words = column_words()
    for at in range(min(15, len(cells))):
        keys = [header_key(v) if v is not None else "" for v in cells.iloc[at]]
        columns = {}
        for role, wanted in words.items():
            for i, key in enumerate(keys):
                if key in wanted and i not in columns.values():
                    columns[role] = i
                    break
        if "code" in columns and "name" in columns:
            return at, columns
    raise InputError(reason="register_no_header", param="file", file=file,
                     code_words=sorted(words["code"])[:4], name_words=["名称", "单位名称"])


@lru_cache(maxsize=1)
def column_words() -> dict[str, set[str]]:
    """Each role's words, as :func:`geo.ledger.values.header_key` makes them."""
    ledger = header_words()
    shared = {"code": ledger["code"]["words"], "population": ledger["population"]["words"],
              "households": ledger["households"]["words"],
              "name": (*ledger["unit"]["words"], *ledger["village"]["words"],
                       *ledger["township"]["words"])}
    return {role: {header_key(w) for w in own} | set(shared.get(role, ()))
            for role, own in REGISTER_WORDS.items()}


def columns_label(cells: pd.DataFrame, header_at: int, column: int) -> str:
    return str(cells.iat[header_at, column])


def _code_text(value, file: str, row: int, column: str) -> str | None:
    """A code cell as digits (:func:`geo.codes.code_as_written`); None for an empty
    cell or words (a note row).

    Raises
    ------
    InputError
        Excel kept the code as a rounded number (1.50222E+11), or it has a length no
        national code has.
    """
    text = code_as_written(value)
    if lost_digits(text):
        raise InputError(reason="code_lost_digits", param="file", file=file, row=int(row),
                         column=column, value=text)
    if not text or sum(c.isdigit() for c in text) < 6:
        return None            # a note, a total's label, a blank
    if not text.isdigit():     # 15022210221O: a code mistyped, never a note to pass over
        raise InputError(reason="code_length", param="file", file=file, row=int(row),
                         column=column, value=text)
    text = village_code_of_zldwdm(text)
    if len(text) not in (6, 9, 12):
        raise InputError(reason="code_length", param="file", file=file, row=int(row),
                         column=column, value=text)
    return text


def _count(value, file: str, row: int, column: str) -> float:
    try:
        return read_number(value)[0]
    except BadCell as error:
        raise InputError(reason="register_count_not_number", param="file", file=file,
                         row=int(row), column=column, value=str(value)) from error


