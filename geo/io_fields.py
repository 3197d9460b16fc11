"""Cells and columns of the files offices send, as the readers share them.

:mod:`geo.io` (boundaries), :mod:`geo.sites` and the spatial imports read
attribute tables the same way: a cell is text or nothing, a code is text
without Excel's ``.0``, a column is found by the names offices use.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.codes import code_as_written, national_code, village_code_of_zldwdm
from geo.errors import InputError


def cell_text(value) -> str | None:
    """A cell as stripped text; None for a blank, NaN, NaT or NA cell.

    Unlike :func:`geo.ledger.values.text_of` (``''`` for blank, for headers
    and ledger cells), a missing value stays missing here.

    >>> cell_text("  下湿壕村 "), cell_text(float("nan")), cell_text("  ")
    ('下湿壕村', None, None)
    """
    # pd.isna covers None, NaN, NaT and NA; arrays are never cells here.
    if np.ndim(value) == 0 and pd.isna(value):
        return None
    text = str(value).strip()
    return text or None


def code_text(value, column=None) -> str | None:
    """A code as text in the store's form (:func:`geo.codes.national_code`): no '.0',
    spaces, apostrophe or full-width digits, a 坐落单位代码 cut to its village (in a
    ZLDWDM column or not), 12 digits cut to a township's 9 or a county's 6.  A code
    Excel rounded stays as Excel shows it (1.50222E+11), for the caller to report.

    >>> code_text(150222.0), code_text("1502221002010000001", "zldwdm")
    ('150222', '150222100201')
    >>> code_text(" '150621200000"), code_text("1.50222E+11")
    ('150621200', '1.50222E+11')
    """
    if isinstance(value, (float, np.floating)):
        value = float(value)
    elif isinstance(value, np.integer):
        value = int(value)
    text = code_as_written(cell_text(value) if not isinstance(value, float) else value)
    if text is None:
        return None
    if column and str(column).upper() == "ZLDWDM":
        text = village_code_of_zldwdm(text)
    return national_code(text)


def text_column(values, n: int) -> pd.Series:
    """``n`` cells as an object column that keeps None for missing.

    pandas 3 would infer a str column with NaN instead; ``values`` None
    gives a column of None.
    """
    out = np.full(n, None, dtype=object)
    if values is not None:
        out[:] = [None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))
                  else v for v in values]
    return pd.Series(out, dtype=object)


def row_list(rows, limit: int = 20) -> str:
    """Row numbers for a message: ``3, 5, 9``, the first ``limit`` and how many more.

    >>> row_list([3, 5, 9]), row_list(range(1, 6), limit=2)
    ('3, 5, 9', '1, 2 and 3 more')
    """
    rows = [int(r) for r in rows]
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return ", ".join(map(str, rows[:limit])) + more


def find_column(columns, candidates, override, param: str, file: str):
    """The column ``override`` names (it must exist), else the first candidate present.

    Names are compared stripped and case-blind; None when no candidate is
    there.

    Raises
    ------
    InputError
        ``override`` (given for ``param``: ``name_field``...) is not a column of ``file``.
    """
    by_key = {str(c).strip().lower(): c for c in columns}
    if override:
        if str(override).strip().lower() not in by_key:
            raise InputError(reason="not_a_column", param=param, value=override, file=file,
                             columns=[str(c) for c in columns])
        return by_key[str(override).strip().lower()]
    return next((by_key[c.lower()] for c in candidates if c.lower() in by_key), None)
