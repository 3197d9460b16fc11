"""Find a ledger's header by its words.

Takes the :class:`~geo.ledger.sheets.Grid` and gives a
:class:`~geo.ledger.model.Header`: where the header is, where the data
starts, and (from :mod:`geo.ledger.columns`) what each column holds.

The header is the first row with an item word (危房改造, 卫生室 …) next to a
name or code column, plus the row under it when that row holds field words
(任务/开工/完工): offices merge the item over its fields.
"""

from __future__ import annotations

from geo.errors import InputError
from geo.ledger.columns import choose_units, map_columns
from geo.ledger.model import Header
from geo.ledger.sheets import Grid
from geo.ledger.values import (
    field_of, header_key, is_code_word, is_ignored_word, is_personal, match_item,
    name_level, text_of,
)
from geo.programme import Programme

_HEADER_SEARCH_ROWS = 50


def find_header(grid: Grid, programme: Programme, *, file: str) -> Header:
    """The first block of rows whose columns name a unit and an item.

    Parameters
    ----------
    grid
        The sheet as read.
    programme
        Gives the item, field and level words.
    file
        The file, for errors.

    Raises
    ------
    InputError
        No row in the first 50 has an item word beside a name or code
        column, or the item columns say no field word, or two columns hold
        the same item and field.
    """
    full = grid.filled()
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
        columns = map_columns([full[b] for b in block], programme)
        if columns.has_unit_label and columns.items:
            return Header(first_row=block[0], data_row=block[-1] + 1,
                          columns=choose_units(columns, file=file))
        if columns.has_unit_label and not fieldless:
            fieldless = columns.fieldless
    if fieldless:
        words = "; ".join(f"{field}: {'/'.join(words)}"
                          for field, words in programme.fields.items())
        example = fieldless[0].split("/")[0] + programme.fields["target"][0]
        raise InputError(reason="no_field_word", param="file", file=file,
                         columns=", ".join(map(repr, fieldless)), example=example,
                         words=words)
    raise InputError(reason="no_unit_column" if saw_items else "no_header_row", param="file",
                     items="、".join(item.headers[0] for item in programme.items), file=file)


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
