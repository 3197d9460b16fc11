"""The few errors covermap raises.

Raised deep in ``geo/`` with what went wrong as data — the ``reason`` (a key of
the error words in ``data/words/errors.toml``), the ``param`` a person gave
(region, level, item, as_of, file, ...), its ``value`` and whatever else the
sentence names — and rendered once at each edge, in the user's language:
the CLI names its flag (``--region``) and exits 1 (``UsageError``: 2); a page
names its control (区域 / Region) in ``st.error``.  :func:`geo.i18n.errors.
error_text` does the rendering.

An error raised with a plain message instead of a reason is shown as that
message in every language; new code gives a reason.
"""

from __future__ import annotations


class CovermapError(ValueError):
    """Base of every error covermap reports to a user.

    Parameters
    ----------
    message
        A sentence, for errors not yet given a reason (shown as it is).
    reason
        The key of the error's words: ``unknown_region``, ``level_not_below``, ...
    param
        Which input was wrong, as the contract names it: ``region``, ``level``,
        ``item``, ``as_of``, ``store``, ``file``, ``sheet``, ``user``...
    value
        The value given for ``param``.
    details
        Further problems of the same kind: sentences, errors of their own (an
        :class:`InputError` with its row, column and reason) or an import's
        report, one line each (:func:`geo.i18n.errors.detail_lines`).
    **fields
        Whatever else the sentence names (the units a name fits, the levels
        allowed, ...).
    """

    def __init__(self, message: str | None = None, *, reason: str | None = None,
                 param: str | None = None, value=None, details: list[str] | None = None,
                 **fields):
        self.reason, self.param, self.value, self.fields = reason, param, value, fields
        self.details = list(details or [])
        self.message = message
        super().__init__(message if message is not None else reason)

    def __str__(self) -> str:
        # The English sentence, the input named by its plain word ("region"): the
        # edges render their own (error_text with the flag or the control's label).
        from geo.i18n.errors import error_text

        return error_text(self, "en")


class InputError(CovermapError):
    """A file a user gave cannot be read as what it claims to be.

    ``file``, ``row`` and ``column`` say where, as a person would find it (row
    numbers are 1-based, as in Excel); any may be None when it does not apply.
    """

    def __init__(self, message: str | None = None, *, file=None, row=None, column=None,
                 **kwargs):
        self.file, self.row, self.column = file, row, column
        super().__init__(message, **kwargs)


class ProgrammeError(CovermapError):
    """A programme file does not say what covermap needs."""


class StoreError(CovermapError):
    """The store is missing, of another programme, or cannot be written."""


class AccessError(InputError):
    """An account may not do what was asked (a row outside an editor's region, a
    viewer importing); nothing was changed."""


class UsageError(CovermapError):
    """Arguments that do not fit together (CLI exit code 2)."""
