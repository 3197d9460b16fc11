"""Read the lines above a ledger's header: its date and who sent it.

Takes the :class:`~geo.ledger.sheets.Grid` and the
:class:`~geo.ledger.model.Header`; gives an :class:`~geo.ledger.model.Above`
with the 截至 date (截至2016年8月10日, 截止日期：2016-08-10, or a date cell
beside 截至), the 填报单位 (without its （盖章）) and the title (the first line
above, up to any 填报单位 or 截至 in it): the import reads the last two for the
unit the file comes from.
"""

from __future__ import annotations

import datetime as dt
import re

from geo.ledger.model import Above, Header
from geo.ledger.sheets import Grid, is_date
from geo.ledger.values import read_as_of, text_of


def read_above(grid: Grid, header: Header) -> Above:
    """The as-of date and reporting unit from the lines above ``header``; None when absent."""
    as_of, unit, title = None, None, None
    for row in grid.cells[:header.first_row]:
        texts = [text_of(v) for v in row]
        joined = "  ".join(t for t in texts if t)
        if title is None and joined:
            title = re.split(r"填报单位|截[至止]|填报(日期|时间)", joined)[0].strip(" :：") or None
        if as_of is None and re.search(r"截[至止]", joined):
            as_of = read_as_of(joined) or next(
                (v.date() if isinstance(v, dt.datetime) else v
                 for v in row if is_date(v)), None)
        for i, text in enumerate(texts):
            if unit is None and "填报单位" in text:
                rest = re.split(r"填报单位\s*[:：]?", text, maxsplit=1)[1]
                if not rest.strip():
                    rest = next((t for t in texts[i + 1:] if t), "")
                rest = re.split(r"截[至止]|填报(日期|时间)|\s{2,}", rest)[0]
                rest = re.sub(r"[（(]\s*盖章\s*[)）]", "", rest).strip(" :：")
                unit = rest or None
    return Above(as_of=as_of, reporting_unit=unit, title=title)
