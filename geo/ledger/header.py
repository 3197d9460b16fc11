"""Find a ledger's header by its words and say what each column holds.

The header is the first row with an item word (危房改造, 卫生室 …) next to a
name or code column, plus the row under it when that row holds field words
(任务/开工/完工): offices merge the item over its fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.errors import InputError
from geo.ledger.values import (
    LEVEL_RANK, field_of, header_key, is_code_word, is_ignored_word, is_personal,
    match_item, name_level, text_of,
)
from geo.programme import Programme

_HEADER_SEARCH_ROWS = 50


@dataclass
class Column:
    """One header column and what its cells hold."""

    index: int
    label: str
    kind: str                     # item, name, parent, code, personal, ignored
    item: object = None           # also on an ignored item column that says no field
    field: str | None = None
    level: str | None = None


def _is_label(key: str, programme: Programme) -> bool:
    return bool(key) and (is_code_word(key) or name_level(key, programme)[0])


def _known_word(key: str, programme: Programme) -> bool:
    return (not key or _is_label(key, programme) or is_personal(key)
            or is_ignored_word(key) or field_of(key, programme) is not None
            or match_item(key, programme) is not None)


def _is_sub_header(row: list, above: list, items: set[int], programme) -> bool:
    """Row under an item row holding 任务/开工/完工 — not a data row."""
    has_field = any(field_of(header_key(row[c]), programme) for c in items)
    return has_field and all(
        text_of(v) == text_of(a) or _known_word(header_key(v), programme)
        for v, a in zip(row, above))


def find_header(full: list[list], programme: Programme, path: str):
    """(first header row, first data row, columns), found by header words."""
    saw_items, fieldless = False, []
    for r in range(min(len(full), _HEADER_SEARCH_ROWS)):
        keys = [header_key(v) for v in full[r]]
        items = {c for c, k in enumerate(keys) if match_item(k, programme)}
        if not items:
            continue
        saw_items = True
        sub = r + 1 if r + 1 < len(full) and _is_sub_header(
            full[r + 1], full[r], items, programme) else None
        block = [r] + ([sub] if sub is not None else [])
        if not any(_is_label(header_key(full[b][c]), programme)
                   for b in block for c in range(len(keys))):
            # Labels may sit one row up when the items carry a group above.
            if r > 0 and any(_is_label(header_key(v), programme) for v in full[r - 1]):
                block = [r - 1] + block
            else:
                continue
        columns = _classify(full, block, programme)
        has_labels = any(c.kind in ("name", "code") for c in columns)
        if has_labels and any(c.kind == "item" for c in columns):
            return block[0], block[-1] + 1, choose_labels(columns, path)
        if has_labels and not fieldless:
            fieldless = [c.label for c in columns if c.kind == "ignored" and c.item is not None]
    if fieldless:
        words = "; ".join(f"{field}: {'/'.join(words)}"
                          for field, words in programme.fields.items())
        example = fieldless[0].split("/")[0] + programme.fields["target"][0]
        raise InputError(
            f"item column(s) {', '.join(map(repr, fieldless))} say no field word (their "
            "figures could be targets, starts or completions): write one in the header "
            f"({example}) or in the row under it — expected {words}", file=path)
    expected_items = "、".join(item.headers[0] for item in programme.items)
    raise InputError(
        ("no name or code column next to the item columns" if saw_items
         else "no header row found")
        + ": expected a name column (名称, 单位, 旗县区, 苏木乡镇, 嘎查村, 村…) "
        f"or a code column (行政区划代码, 代码, CODE, XZQDM) and item columns "
        f"({expected_items}) with 任务/开工/完工 or status words",
        file=path)


def shown(value) -> str:
    return re.sub(r"\s*\n\s*", "", text_of(value))


def _classify(full: list[list], block: list[int], programme: Programme) -> list[Column]:
    width = len(full[block[0]])
    top_row = block[-2] if len(block) > 1 and _has_field_row(full, block, programme) else block[-1]
    sub_row = block[-1] if top_row != block[-1] else None
    columns, last_item_top = [], None
    for c in range(width):
        texts = []
        for b in block:
            text = shown(full[b][c])
            if text and text not in texts:
                texts.append(text)
        top = shown(full[top_row][c])
        sub = shown(full[sub_row][c]) if sub_row is not None else ""
        # A csv of a merged header has the item only over its first column.
        if not top and sub and field_of(header_key(sub), programme) and last_item_top:
            top = last_item_top
            texts = [top, sub]
        if not texts:
            last_item_top = None
            continue
        label = "/".join(texts)
        if any(is_personal(header_key(t)) for t in texts):
            columns.append(Column(c, label, "personal"))
            last_item_top = None
            continue
        column = _item_column(c, label, top, sub, programme)
        if column is not None:
            columns.append(column)
            last_item_top = top
            continue
        last_item_top = None
        key = header_key(texts[-1])
        is_name, level = name_level(key, programme)
        if is_code_word(key):
            columns.append(Column(c, label, "code"))
        elif is_name:
            columns.append(Column(c, label, "name", level=level))
        else:
            columns.append(Column(c, label, "ignored"))
    return columns


def _has_field_row(full, block, programme) -> bool:
    return any(field_of(header_key(v), programme) for v in full[block[-1]])


def _item_column(c, label, top, sub, programme) -> Column | None:
    found = match_item(header_key(top), programme)
    if found is None:
        return None
    item, field = found
    sub_key = header_key(sub)
    # An item column that says no field keeps its item, so an error can name it.
    if field is None and sub_key and sub_key != header_key(top):
        field = field_of(sub_key, programme)
        if field is None:
            return Column(c, label, "ignored", item=item)
    if field is None:
        field = {"binary": "status", "share": "completed"}.get(item.measure)
    elif field == "status" and item.measure == "share":
        field = "completed"
    if field is None:
        # A bare count column says neither 任务 nor 完工: do not guess.
        return Column(c, label, "ignored", item=item)
    if field == "status" and item.measure != "binary":
        return Column(c, label, "ignored")
    return Column(c, label, "item", item=item, field=field)


def choose_labels(columns: list[Column], path: str) -> list[Column]:
    """The finest name column is the unit, the next coarser its parent."""
    names = [c for c in columns if c.kind == "name"]
    names.sort(key=lambda c: (LEVEL_RANK.get(c.level, 5), c.index))
    for c in names[:-2]:
        c.kind = "ignored"
    if len(names) >= 2:
        unit, parent = names[-1], names[-2]
        parent_rank = LEVEL_RANK.get(parent.level, 5)
        if parent.level is not None and parent_rank < LEVEL_RANK.get(unit.level, 5):
            parent.kind = "parent"
        else:
            parent.kind = "ignored"
    codes = [c for c in columns if c.kind == "code"]
    for c in codes[:-1]:
        c.kind = "ignored"
    seen = {}
    for c in columns:
        if c.kind == "item":
            if (c.item.key, c.field) in seen:
                raise InputError(
                    f"columns {seen[(c.item.key, c.field)]!r} and {c.label!r} both hold "
                    f"{c.item.short_zh} {c.field}; keep one", file=path)
            seen[(c.item.key, c.field)] = c.label
    return columns
