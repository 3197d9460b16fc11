"""The few errors covermap raises.

Raised deep in ``geo/``, translated once at the edge: the CLI prints the
message on one line and exits 1 (``UsageError``: 2); a page shows it with
``st.error``.
"""

from __future__ import annotations


class CovermapError(ValueError):
    """Base of every error covermap reports to a user."""


class InputError(CovermapError):
    """A file a user gave cannot be read as what it claims to be.

    Parameters
    ----------
    message
        What was wrong and what was expected.
    file, row, column
        Where, as a person would find it (row numbers are 1-based, as in
        Excel); any may be None when it does not apply.
    details
        Further problems of the same file, one line each.
    """

    def __init__(self, message: str, *, file=None, row=None, column=None,
                 details: list[str] | None = None):
        self.file, self.row, self.column = file, row, column
        self.details = list(details or [])
        where = ", ".join(
            part for part in (
                f"{file}" if file else "",
                f"row {row}" if row is not None else "",
                f"column {column!r}" if column is not None else "",
            ) if part
        )
        super().__init__(f"{where}: {message}" if where else message)


class ProgrammeError(CovermapError):
    """A programme file does not say what covermap needs."""


class StoreError(CovermapError):
    """The store is missing, of another programme, or cannot be written."""


class AccessError(InputError):
    """An account may not do what was asked (a row outside an editor's region, a
    viewer importing); nothing was changed."""


class UsageError(CovermapError):
    """Arguments that do not fit together (CLI exit code 2)."""
