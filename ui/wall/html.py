"""The wall's HTML from small templates: every value escaped unless it is markup
built here already (:class:`Html`), so nothing read from a file can become markup."""

from __future__ import annotations

from collections.abc import Iterable

from layers.interactive.escape import safe_text


class Html(str):
    """Markup made by :func:`fill` (or written here as a literal): inserted as it is."""


def fill(template: str, **values) -> Html:
    """``template`` with each ``{name}`` replaced by ``values[name]``, escaped.

    An :class:`Html` value is inserted as it is; anything else goes through
    :func:`layers.interactive.escape.safe_text` (None and NaN become "").

    Examples
    --------
    >>> fill('<td class="name">{name}</td>', name="<b>固阳县</b>")
    '<td class="name">&lt;b&gt;固阳县&lt;/b&gt;</td>'
    """
    return Html(template.format_map(
        {key: value if isinstance(value, Html) else safe_text(value)
         for key, value in values.items()}))


def join(parts: Iterable[Html]) -> Html:
    """Pieces of markup one after the other."""
    return Html("".join(parts))
