"""Say what each column of a header holds.

Takes the header's rows of cells (one to three: an item row, the 任务/开工/
完工 row under it, a label row above it) and gives a
:class:`~geo.ledger.model.ColumnMap`: each column an item with its field, a
unit's name, its parent's name, its code, personal data, or ignored.
:mod:`geo.ledger.header` asks this of each candidate block of rows.
"""

from __future__ import annotations

import dataclasses
import re

from geo.errors import InputError
from geo.i18n.errors import Phrase
from geo.ledger.model import Column, ColumnMap
from geo.ledger.values import (
    LEVEL_RANK, field_of, header_key, header_level, is_code_word, is_personal, match_item,
    text_of,
)
from geo.programme import Programme


def map_columns(rows: list[list], programme: Programme) -> ColumnMap:
    """What each column of a header holds, read from its words.

    Parameters
    ----------
    rows
        The header's rows of cells, top first, merged cells filled.
    programme
        Gives the item, field and level words.

    Returns
    -------
    ColumnMap
        Every column with words in it. Every name column is still a
        ``name``: :func:`choose_units` says which is the unit.
    """
    has_fields = len(rows) > 1 and any(field_of(header_key(v), programme) for v in rows[-1])
    top_row = rows[-2] if has_fields else rows[-1]
    sub_row = rows[-1] if has_fields else None
    columns, last_item_top = [], None
    for c in range(len(rows[0])):
        texts = []
        for row in rows:
            text = _shown(row[c])
            if text and text not in texts:
                texts.append(text)
        top = _shown(top_row[c])
        sub = _shown(sub_row[c]) if sub_row is not None else ""
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
        is_name, level = header_level(texts[-1], programme)
        if is_code_word(key):
            columns.append(Column(c, label, "code"))
        elif is_name:
            columns.append(Column(c, label, "name", level=level))
        else:
            columns.append(Column(c, label, "ignored"))
    return ColumnMap(columns)


def _shown(value) -> str:
    return re.sub(r"\s*\n\s*", "", text_of(value))


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


def choose_units(columns: ColumnMap, *, file: str) -> ColumnMap:
    """The finest name column is the unit, the next coarser its parent, the one above
    that its grandparent (a county beside a township, which scopes the township).

    Coarser names and all codes but the last are ignored.

    Raises
    ------
    InputError
        When two columns hold the same item and field.
    """
    kinds = {c.index: c.kind for c in columns.columns}
    names = sorted(columns.of_kind("name"),
                   key=lambda c: (LEVEL_RANK.get(c.level, 5), c.index))
    for c in names[:-2]:
        kinds[c.index] = "ignored"
    if len(names) >= 2:
        unit, parent = names[-1], names[-2]
        parent_rank = LEVEL_RANK.get(parent.level, 5)
        if parent.level is not None and parent_rank < LEVEL_RANK.get(unit.level, 5):
            kinds[parent.index] = "parent"
            # The county beside the township: township names repeat across counties.
            above = names[-3] if len(names) >= 3 else None
            if above is not None and above.level is not None \
                    and LEVEL_RANK.get(above.level, 5) < parent_rank:
                kinds[above.index] = "grandparent"
        else:
            kinds[parent.index] = "ignored"
    for c in columns.of_kind("code")[:-1]:
        kinds[c.index] = "ignored"
    seen = {}
    for c in columns.items:
        if (c.item.key, c.field) in seen:
            raise InputError(reason="columns_twice", param="file", file=file,
                             first=seen[(c.item.key, c.field)], second=c.label,
                             item=c.item.short_zh, field=Phrase(f"field_{c.field}"))
        seen[(c.item.key, c.field)] = c.label
    return ColumnMap([dataclasses.replace(c, kind=kinds[c.index]) for c in columns.columns])
