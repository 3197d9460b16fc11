"""The shapes that pass from one stage of the ledger reader to the next.

Reading a ledger is a pipeline (see :mod:`geo.ledger.read`); each stage
takes the shapes of the stages before it and gives one of these:

=============  ==========================  ===============================
stage          module                      gives
=============  ==========================  ===============================
grid           :mod:`geo.ledger.sheets`    :class:`~geo.ledger.sheets.Grid`
header         :mod:`geo.ledger.header`    :class:`Header`
columns        :mod:`geo.ledger.columns`   :class:`ColumnMap` (in the header)
above          :mod:`geo.ledger.above`     :class:`Above`
rows           :mod:`geo.ledger.rows`      :class:`Rows`
figures        :mod:`geo.ledger.figures`   :class:`Figures`
totals         :mod:`geo.ledger.totals`    :class:`Totals`
=============  ==========================  ===============================

and :func:`~geo.ledger.read.read_ledger` gathers them into a :class:`Ledger`.
Row numbers are the ones a person sees (1-based, as in Excel); ``index``
fields are 0-based positions in the grid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from geo.i18n.errors import Phrase
from geo.programme import Item

NUMERIC_FIELDS = ("target", "started", "completed")


@dataclass(frozen=True)
class Column:
    """One header column and what its cells hold."""

    index: int
    label: str                    # the header's words, top/sub: 危房改造（户）/任务
    kind: str                     # item, name, parent, code, personal, ignored
    item: Item | None = None      # also on an ignored item column that says no field
    field: str | None = None      # target, started, completed or status (item columns)
    level: str | None = None      # the level a name column names (village, county …)


@dataclass(frozen=True)
class ColumnMap:
    """Every non-blank header column, left to right, with what it holds."""

    columns: list[Column]

    def of_kind(self, kind: str) -> list[Column]:
        return [c for c in self.columns if c.kind == kind]

    def first(self, kind: str) -> Column | None:
        return next((c for c in self.columns if c.kind == kind), None)

    @property
    def items(self) -> list[Column]:
        return self.of_kind("item")

    @property
    def name(self) -> Column | None:
        return self.first("name")

    @property
    def parent(self) -> Column | None:
        return self.first("parent")

    @property
    def grandparent(self) -> Column | None:
        return self.first("grandparent")

    @property
    def code(self) -> Column | None:
        return self.first("code")

    @property
    def has_unit_label(self) -> bool:
        """A name or code column: something to join a row on."""
        return any(c.kind in ("name", "code") for c in self.columns)

    @property
    def fieldless(self) -> list[str]:
        """Item columns that do not say whether they hold targets or completions."""
        return [c.label for c in self.columns if c.kind == "ignored" and c.item is not None]

    @property
    def row_labels(self) -> list[Column]:
        """The columns where a row says what it is: its name, parent or code,
        and any column left of the first item (序号 may hold 合计)."""
        first_item = min((c.index for c in self.items), default=0)
        return [c for c in self.columns if c.kind in ("name", "parent", "grandparent", "code")
                or (c.kind == "ignored" and c.index < first_item)]

    @property
    def summable(self) -> list[Column]:
        """Item columns whose figures a 合计 row adds up (counts, not shares)."""
        return [c for c in self.items
                if c.field in NUMERIC_FIELDS and c.item.measure != "share"]

    def described(self) -> dict[str, tuple[str, str]]:
        """Each item column's label → (item key, field), as :class:`Ledger` says it."""
        return {c.label: (c.item.key, c.field) for c in self.items}


@dataclass(frozen=True)
class Header:
    """Where the header sits in the grid, and what its columns hold."""

    first_row: int                # index of its first row
    data_row: int                 # index of the first row under it
    columns: ColumnMap


@dataclass(frozen=True)
class Above:
    """What the lines above the header say (title, 填报单位, 截至)."""

    as_of: dt.date | None
    reporting_unit: str | None
    title: str | None = None      # the first line, up to any 填报单位/截至 in it


@dataclass(frozen=True)
class LedgerRow:
    """A row under the header that names a unit."""

    source_row: int
    code: str | None
    name: str | None
    parent_name: str | None       # the township a village row lies in, when a column says
    level_hint: str | None        # the level the name column's header names
    cells: list                   # the row's values, personal data blanked
    grandparent_name: str | None = None   # the county beside its township, when a column says


@dataclass(frozen=True)
class TotalRow:
    """A 合计/小计 row: checked against the unit rows, never stored."""

    source_row: int
    kind: str                     # 合计 or 小计
    label: str                    # as written: 全旗合计, 石宝镇小计, 总 计
    township: str | None          # the parent column's text, unless it says 小计 itself
    units_above: int              # how many unit rows came before it
    cells: list


@dataclass(frozen=True)
class Unreadable:
    """A cell that does not hold what its column expects."""

    source_row: int
    column: str
    value: str
    expected: Phrase              # a figure, a code of digits … in words of either language


@dataclass(frozen=True)
class Note:
    """A warning about one row, kept so that warnings come in row order."""

    source_row: int
    text: str


@dataclass(frozen=True)
class Rows:
    """The rows under the header, down to the notes below the table."""

    units: list[LedgerRow]
    totals: list[TotalRow]
    notes: list[Note]             # rows skipped with figures on them
    unreadable: list[Unreadable]  # codes that are not codes


@dataclass(frozen=True)
class Figure:
    """One item's figures on one unit row, as stored (long format)."""

    source_row: int
    item: str
    target: float
    started: float
    completed: float
    status: str | None            # done, in_progress, not_started, na; None for counts


@dataclass(frozen=True)
class Figures:
    """Every unit row's figures, with what was odd or unreadable in them."""

    values: list[Figure]
    by_cell: dict[int, dict[str, float]]   # source row → column label → figure, for totals
    notes: list[Note]             # completed > started, completed > target
    unreadable: list[Unreadable]


@dataclass(frozen=True)
class TotalCheck:
    """Whether one 合计/小计 row adds up, column by column."""

    source_row: int
    label: str
    kind: str
    rows: int                     # how many unit rows it was checked against
    columns: dict[str, dict]      # label → {"stated", "summed", "ok"}
    ok: bool

    def as_dict(self) -> dict:
        """The shape an import report stores (and :class:`Ledger` gives)."""
        return {"row": self.source_row, "label": self.label, "kind": self.kind,
                "rows": self.rows, "columns": self.columns, "ok": self.ok}


@dataclass(frozen=True)
class Totals:
    """The checks of every total row, with the warnings they raised."""

    checks: list[TotalCheck]
    warnings: list[str]


@dataclass
class Ledger:
    """What a ledger file says, row by row, with what was checked and dropped."""

    path: str
    rows: pd.DataFrame
    values: pd.DataFrame
    as_of: dt.date | None
    reporting_unit: str | None
    columns: dict[str, tuple[str, str]]
    ignored_columns: list[str]
    dropped_columns: list[str]
    total_checks: list[dict]
    warnings: list[str]
    title: str | None = None
