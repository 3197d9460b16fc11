"""Text from files made safe for HTML (the wall's board) and the JavaScript of a folium map."""

from __future__ import annotations

import html
import json

import pandas as pd


def safe_text(value) -> str:
    """``value`` as text that cannot become markup or code in a folium map.

    HTML-escapes ``& < > " '`` and also the backtick and ``${``: folium puts
    tooltip and popup HTML into JavaScript template literals, where either
    would end the literal or run an expression.  None, NaN, NaT and NA become "".

    Examples
    --------
    >>> safe_text("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)&gt;'
    >>> safe_text("a`${x}")
    'a&#96;&#36;{x}'
    """
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value)
                         and pd.isna(value)):
        return ""
    text = html.escape(str(value), quote=True)
    return text.replace("`", "&#96;").replace("${", "&#36;{")


def safe_lines(value) -> str:
    """:func:`safe_text` with each newline turned into ``<br>``."""
    # html.escape leaves newlines alone, so splitting after escaping is safe.
    return "<br>".join(safe_text(value).split("\n"))


def js_literal(value) -> str:
    """``value`` as a JSON literal safe inside a ``<script>`` element.

    As folium's own encoder: ``< > &`` become ``\\u003c \\u003e \\u0026``,
    so no ``</script>`` or markup can appear.
    """
    return (json.dumps(value, ensure_ascii=True).replace("<", "\\u003c")
            .replace(">", "\\u003e").replace("&", "\\u0026"))
