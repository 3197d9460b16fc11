"""Check each 合计/小计 row against the unit rows it sums.

Takes the :class:`~geo.ledger.model.Rows`, the
:class:`~geo.ledger.model.Figures` and the header's
:class:`~geo.ledger.model.ColumnMap`; gives
:class:`~geo.ledger.model.Totals`: per total row, for every count column,
the figure stated and the sum of the rows, and a warning for each that
differs. A total that disagrees is a warning, never an error: the rows
are what is stored.
"""

from __future__ import annotations

import math

from geo.i18n.errors import Sentence
from geo.ledger.model import ColumnMap, Figures, Rows, TotalCheck, TotalRow, Totals
from geo.ledger.values import BadCell, fmt, fold, read_number, text_of


def check_totals(rows: Rows, figures: Figures, columns: ColumnMap, *, file: str) -> Totals:
    """Whether each total row adds up.

    合计 sums every unit row; 小计 sums its township's villages (named in
    the parent column or in its label, 石宝镇小计), else the rows since the
    previous 小计. Shares and status columns are not summed.

    Parameters
    ----------
    rows, figures
        The unit and total rows, and the units' figures.
    columns
        Which columns hold counts.
    file
        The file's name, for the warnings.
    """
    checks, warnings = [], []
    previous_cut = 0
    for total in rows.totals:
        if total.kind == "合计":
            summed_rows = [u.source_row for u in rows.units]
        else:
            summed_rows = _subtotal_rows(total, rows, columns, previous_cut)
            previous_cut = total.units_above
        stated_and_summed, ok = {}, True
        for c in columns.summable:
            try:
                stated, state = read_number(total.cells[c.index])
            except BadCell:
                warnings.append(Sentence(
                    "warn_total_not_number", file=file, row=total.source_row,
                    column=c.label, value=text_of(total.cells[c.index])))
                continue
            if state != "num":
                continue
            summed = sum(v for n in summed_rows if not math.isnan(
                v := figures.by_cell.get(n, {}).get(c.label, math.nan)))
            good = math.isclose(stated, summed, rel_tol=1e-9, abs_tol=1e-6)
            stated_and_summed[c.label] = {"stated": stated, "summed": summed, "ok": good}
            if not good:
                ok = False
                warnings.append(Sentence(
                    "warn_total_differs", file=file, row=total.source_row, total=total.label,
                    column=c.label, stated=fmt(stated), summed=fmt(summed)))
        checks.append(TotalCheck(source_row=total.source_row, label=total.label,
                                 kind=total.kind, rows=len(summed_rows),
                                 columns=stated_and_summed, ok=ok))
    return Totals(checks=checks, warnings=warnings)


def _subtotal_rows(total: TotalRow, rows: Rows, columns: ColumnMap,
                   previous_cut: int) -> list[int]:
    """小计 sums its township's villages, else the rows since the last 小计."""
    if columns.parent:
        named = fold(total.label).replace("小计", "")
        for candidate in (total.township, named):
            township = [u.source_row for u in rows.units
                        if candidate and u.parent_name == candidate]
            if township:
                return township
    return [u.source_row for u in rows.units[previous_cut:total.units_above]]
