"""Household records (建档立卡) as offices export them, read without keeping a
single personal detail.

An extract has a title row or two, then a header (sometimes two levels:
两不愁 over 不愁吃/不愁穿, 三保障 over its three), then one row per household
— or one per person, with the household's number repeated.  Names, ID
numbers, phones and addresses are dropped as the file is read, before
anything is joined, reported or kept; an ID number may leave only as an
HMAC under a key kept outside the store (``COVERMAP_ID_KEY``), to find the
same person in two imports.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.errors import InputError
from geo.i18n.errors import Sentence
from geo.io_fields import cell_text, code_text
from geo.ledger.sheets import read_grid
from geo.ledger.values import TOTAL_WORDS, header_key, is_personal

# The header words of a village's code and names, in household and sample files.
PLACE_FIELDS = {
    "village_code": ("村代码", "行政区划代码", "区划代码", "村编码", "村级代码"),
    "county": ("县", "县区", "区县", "县市区", "旗县区", "旗县"),
    "township": ("乡镇", "乡", "镇", "苏木乡镇", "乡镇街道"),
    "village": ("村", "行政村", "村名", "嘎查村", "所在村"),
}
# Header words of each field, compared after header_key (brackets and spaces gone).
FIELDS = {
    **PLACE_FIELDS,
    "household_no": ("户编号", "户号", "家庭编号", "户码", "贫困户编号"),
    "people": ("家庭人口", "家庭人口数", "人口数", "户人口", "家庭人数", "人口"),
    "income": ("人均纯收入", "人均可支配收入", "家庭人均纯收入", "人均收入", "年人均纯收入"),
    "food": ("不愁吃", "吃"), "clothing": ("不愁穿", "穿"),
    "education": ("义务教育有保障", "义务教育保障", "义务教育"),
    "medical": ("基本医疗有保障", "基本医疗保障", "基本医疗"),
    "housing": ("住房安全有保障", "住房安全保障", "住房安全"),
    "water": ("安全饮水", "饮水安全", "有安全饮水"),
    "electricity": ("生活用电", "通电", "有生活用电"),
    "radio_tv": ("广播电视", "有广播电视", "通广播电视"),
    "cause": ("致贫原因", "主要致贫原因"),
    "status": ("脱贫状态", "贫困户状态", "脱贫情况", "状态", "贫困状态"),
    "exit_year": ("脱贫年度", "脱贫年份", "计划脱贫年度", "预计脱贫年度", "脱贫时间"),
}
FLAGS = ("food", "clothing", "education", "medical", "housing", "water", "electricity",
         "radio_tv")
_ID_PARTS = ("身份证", "证件号")
_YES = {"是", "有", "√", "✓", "1", "达标", "有保障", "保障", "y", "yes", "true"}
_NO = {"否", "无", "×", "✗", "0", "未达标", "无保障", "不达标", "n", "no", "false"}
STATUSES = {"未脱贫": "poor", "已脱贫": "exited", "返贫": "returned", "脱贫": "exited",
            "稳定脱贫": "exited", "贫困": "poor"}


@dataclass
class HouseholdFile:
    """A register extract, one row per household (see :func:`read_households`)."""

    households: pd.DataFrame
    rows_read: int
    dropped_columns: list[str]
    warnings: list[str] = field(default_factory=list)


def read_households(path, *, sheet: str | None = None, encoding: str | None = None,
                    id_key: bytes | None = None) -> HouseholdFile:
    """Read a 建档立卡 extract into one row per household, personal data dropped.

    Parameters
    ----------
    path
        xlsx, xls or csv (UTF-8, BOM or GBK).
    sheet, encoding
        As for ledgers.
    id_key
        The HMAC key for ID numbers; None keeps none of them, not even hashed
        (a plain hash of an ID number is reversed by trying them all).

    Returns
    -------
    HouseholdFile
        ``households`` has ``source_row`` (the household's first row, as a
        person finds it), ``household_no``, ``village_code``, ``county``,
        ``township``, ``village``, ``people`` (the 家庭人口 column, else the
        household's rows), ``income`` (yuan per person), a True/False/None
        column per flag of :data:`FLAGS`, ``cause``, ``status`` (``poor``,
        ``exited``, ``returned``), ``exit_year`` and ``id_hmacs`` (a tuple).

    Raises
    ------
    InputError
        No header naming a status, income or household number; or cells that
        cannot be read (every one of them listed).
    """
    file = Path(path).name
    grid = read_grid(path, sheet=sheet, encoding=encoding)
    cells = grid.filled()
    wanted = FIELDS["status"] + FIELDS["income"] + FIELDS["household_no"]
    at, columns, dropped, ids = find_header(
        cells, FIELDS, wanted=wanted, file=file,
        missing="no_household_header")
    label = {f: cell_text(cells[at - 1][i]) or f for f, i in columns.items()}
    records, problems, warnings = [], [], []
    for number, values, total in data_rows(grid, cells, at):
        if total:
            warnings.append(Sentence("warn_total_row_not_household", row=number))
            continue
        cell = {f: values[i] if i < len(values) else None for f, i in columns.items()}
        record = {"source_row": number, **_read_cells(cell, number, label, problems)}
        record["id_hmac"] = _id_hmac(values, ids, id_key)
        records.append(record)
    raise_cell_problems(problems, file)
    rows = pd.DataFrame(records)
    if rows.empty:
        raise InputError(reason="no_household_rows", param="file", file=file)
    households = _by_household(rows, columns, warnings)
    return HouseholdFile(households, rows_read=len(rows), dropped_columns=dropped,
                         warnings=warnings)


def data_rows(grid, cells: list[list], at: int):
    """Each row below a register's header that holds anything: (row number as a person
    finds it, its values, whether it is a 合计/小计 row)."""
    for number, values in zip(grid.row_numbers[at:], cells[at:]):
        texts = [cell_text(v) for v in values]
        if all(t is None for t in texts):
            continue
        yield number, values, any(t and any(w in t for w in TOTAL_WORDS) for t in texts[:4])


def sheet_cells(path, fields: dict[str, tuple], *, wanted: list[str], missing: str,
                sheet: str | None = None, encoding: str | None = None):
    """The rows under a sheet's header, as a sample or findings sheet is read: ``(rows,
    label, above)`` — each row ``(number, {field: value})``, 合计/小计 rows left out; each
    field's header as the file writes it (for messages); the rows above the header
    (title, 填报单位 …).  ``missing`` is the error's reason when no header is found."""
    file = Path(path).name
    grid = read_grid(path, sheet=sheet, encoding=encoding)
    cells = grid.filled()
    at, columns, _, _ = find_header(cells, fields, wanted=wanted, file=file, missing=missing)
    label = {f: cell_text(cells[at - 1][i]) or f for f, i in columns.items()}
    rows = [(number, {f: values[i] if i < len(values) else None for f, i in columns.items()})
            for number, values, total in data_rows(grid, cells, at) if not total]
    return rows, label, cells[:at - 1]


def cell_problem(row: int, column: str, reason: str, **fields) -> InputError:
    """A cell that cannot be read: its row, its column's header and the reason (a key
    of the error words) with the sentence's fields."""
    return InputError(reason=reason, param="file", row=row, column=column, **fields)


def raise_cell_problems(problems: list[InputError], file: str) -> None:
    """One InputError for every :func:`cell_problem`: the first named, in ``file``,
    the others in its details."""
    if problems:
        first, rest = problems[0], problems[1:]
        raise InputError(reason=first.reason, param=first.param, value=first.value,
                         file=file, row=first.row, column=first.column, details=rest,
                         **first.fields)


def id_key_from(secret: str | None) -> bytes | None:
    """The HMAC key from the ``COVERMAP_ID_KEY`` setting (None when unset)."""
    return secret.encode() if secret else None


def find_header(cells: list[list], fields: dict[str, tuple], *, wanted, file: str,
                missing: str):
    """Where a register's header is and what its columns hold.

    The first of the top 30 rows with any of the ``wanted`` words is the
    header; the row below it is a second header level when it names two or
    more fields (三保障 over 义务教育, 基本医疗, 住房安全).  Personal columns are
    dropped here, before any value is read.

    Returns
    -------
    (first data row, field → column, dropped headers, ID-number columns)
    """
    def field_of(key: str) -> str | None:
        return next((f for f, words in fields.items() if key in words), None)

    rows = [[header_key(v) for v in row] for row in cells[:31]]
    # The header names a wanted word itself; else (the words all under merged
    # tops: 满意度 over 调查户数/满意户数) the row above them is its top.
    tops = [i for i, keys in enumerate(rows[:30]) if set(wanted) & set(keys)] or \
        [i for i, keys in enumerate(rows[1:31]) if set(wanted) & set(keys)]
    for at in tops[:1]:
        keys, row = rows[at], cells[at]
        below = rows[at + 1] if at + 1 < len(rows) else []
        two_levels = sum(field_of(k) is not None for k in below) >= 2
        columns, dropped, ids = {}, [], []
        for i, key in enumerate(keys):
            sub = below[i] if two_levels and i < len(below) else ""
            if is_personal(key) or is_personal(sub):
                dropped.append(str(row[i]).strip())
                if any(p in key for p in _ID_PARTS):
                    ids.append(i)
                continue
            name = field_of(sub) or field_of(key)
            if name and name not in columns:
                columns[name] = i
        return at + (2 if two_levels else 1), columns, dropped, ids
    raise InputError(reason=missing, param="file", file=file)


def _read_cells(cell: dict, number: int, label: dict, problems: list) -> dict:
    """One row's values; a cell that cannot be read goes to ``problems`` under its
    column's header (``label``)."""
    out = {}
    for name in ("household_no", "county", "township", "village", "cause"):
        out[name] = cell_text(cell.get(name))
    out["village_code"] = code_text(cell.get("village_code"))
    for name in ("people", "income", "exit_year"):
        text = cell_text(cell.get(name))
        match = re.search(r"\d+(?:\.\d+)?", (text or "").replace(",", ""))
        out[name] = float(match.group()) if match else None
        if text and not match:
            problems.append(cell_problem(number, label[name], "cell_not_number", value=text))
    for flag in FLAGS:
        text = (cell_text(cell.get(flag)) or "").lower()
        out[flag] = True if text in _YES else False if text in _NO else None
        if text and out[flag] is None:
            problems.append(cell_problem(number, label[flag], "cell_not_yes_no", value=text))
    status = cell_text(cell.get("status"))
    out["status"] = STATUSES.get(status or "")
    if status and out["status"] is None:
        problems.append(cell_problem(number, label["status"], "cell_not_exit_status",
                                     value=status))
    return out


def _id_hmac(values: list, ids: list[int], key: bytes | None) -> str | None:
    if key is None or not ids:
        return None
    number = re.sub(r"\s", "", str(cell_text(values[ids[0]]) or "")).upper()
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest() if number else None


def _by_household(rows: pd.DataFrame, columns: dict, warnings: list) -> pd.DataFrame:
    """One row per household: person rows (a household number repeated) grouped, their
    ID HMACs kept together."""
    numbered = "household_no" in columns and rows["household_no"].notna().all()
    # A township or county written once above its villages holds for the rows below.
    rows = rows.assign(county=rows["county"].ffill(), township=rows["township"].ffill())
    key = (rows["household_no"] if numbered else rows["source_row"].astype(str)).rename("key")
    grouped = rows.groupby(key, sort=False)
    households = grouped.first().reset_index(drop=True)
    households["source_row"] = grouped["source_row"].min().to_numpy()
    if "people" not in columns:
        households["people"] = grouped.size().to_numpy().astype(float)
    households["people"] = households["people"].fillna(1.0)
    households["id_hmacs"] = grouped["id_hmac"].agg(
        lambda v: tuple(x for x in v if x)).to_numpy()
    if len(households) < len(rows):
        warnings.append(Sentence("warn_people_as_households", people=len(rows),
                                 households=len(households)))
    return households.drop(columns="id_hmac")
