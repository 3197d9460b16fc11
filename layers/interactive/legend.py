"""The legend of an interactive map: the programme's classes and their counts.

Drawn as a Leaflet control from inline-styled HTML (no CSS in the page
header, no branca ``ColorMap``, which loads d3 from a CDN), so it also
survives streamlit-folium, which drops linked stylesheets.  The tiled map
(:mod:`layers.interactive.tiled`) draws its own legend from the same class keys,
labels and counts.
"""

from __future__ import annotations

import math

import folium
import pandas as pd
from folium.template import Template

from geo.i18n import t
from geo.programme import LegendClass, Programme
from layers.interactive.escape import safe_text

NO_DATA, NOT_APPLICABLE = "no_data", "not_applicable"
_SWATCH = ("display:inline-block;width:18px;height:12px;margin-right:6px;"
           "vertical-align:-1px;box-sizing:border-box;")


def class_key(cls: LegendClass) -> str:
    """The key of a class in legend counts: ``0-60`` … ``90-100``, ``100+``."""
    return f"{cls.min:g}+" if math.isinf(cls.max) else f"{cls.min:g}-{cls.max:g}"


def class_label(cls: LegendClass) -> str:
    """A class as a reader says it: ``<60%``, ``80–90%``, ``≥100%``."""
    if math.isinf(cls.max):
        return f"≥{cls.min:g}%"
    if cls.min == 0:
        return f"<{cls.max:g}%"
    return f"{cls.min:g}–{cls.max:g}%"


def count_classes(pct: pd.Series, programme: Programme, *,
                  not_applicable: pd.Series | None = None) -> dict[str, int]:
    """How many units fall in each class, keyed as :func:`add_legend` expects.

    ``pct`` and ``not_applicable`` share an index; NaN is "no data" unless
    the unit is not applicable.
    """
    na = pd.Series(False, index=pct.index)
    if not_applicable is not None:
        na = not_applicable.reindex(pct.index).fillna(False).astype(bool)
    counts = {class_key(cls): 0 for cls in programme.legend}
    counts[NO_DATA] = counts[NOT_APPLICABLE] = 0
    for value, is_na in zip(pct, na):
        cls = None if is_na else programme.legend_class(value)
        key = NOT_APPLICABLE if is_na else (class_key(cls) if cls else NO_DATA)
        counts[key] += 1
    return counts


class Legend(folium.MacroElement):
    """A bottom-right Leaflet control holding prebuilt, escaped HTML."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
            {{ this.get_name() }}.onAdd = function () {
                var div = L.DomUtil.create("div", "covermap-legend");
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, html: str, *, position: str = "bottomright"):
        super().__init__()
        self._name = "Legend"
        self.html = html
        self.position = position


def add_legend(fmap, programme: Programme, counts: dict[str, int], *, title: str,
               lang: str = "zh", note: str = "", font_px: int = 13) -> Legend:
    """Add the legend, bottom right: each class, its colour and its count.

    Parameters
    ----------
    fmap
        The folium Map.
    programme
        Its classes (thresholds and colours) and special colours.
    counts
        Units per class, keyed by :func:`class_key` (``0-60`` … ``100+``;
        the programme's own ``LegendClass.label()``, ``0–60%`` … ``≥100%``,
        is accepted too) and ``no_data``, ``not_applicable``; see
        :func:`count_classes`.  A missing key counts 0.
    title
        Shown above the classes (e.g. ``综合完成率``); escaped.
    lang
        ``zh`` or ``en`` for the two special classes.
    note
        A line under the classes, e.g. ``示例数据 / synthetic data``; escaped.
    font_px
        Text size; larger for a wall screen.
    """
    lang = "en" if lang == "en" else "zh"
    # In lower case beside the classes (<60%, 80–90%): "no data", "not applicable".
    words = {key: t(key, lang).lower() for key in (NO_DATA, NOT_APPLICABLE)}
    special = programme.legend_special
    rows = [(f"{_SWATCH}background:{cls.color};border:1px solid #555555;",
             class_label(cls), _count(counts, cls))
            for cls in reversed(programme.legend)]
    rows.append((f"{_SWATCH}background:{special[NO_DATA]};border:1px solid #555555;",
                 words[NO_DATA], counts.get(NO_DATA, 0)))
    rows.append((f"{_SWATCH}background:{special[NOT_APPLICABLE]};border:1px dashed #888888;",
                 words[NOT_APPLICABLE], counts.get(NOT_APPLICABLE, 0)))
    return add_legend_rows(fmap, rows, title=title, note=note, font_px=font_px)


def add_legend_rows(fmap, rows: list[tuple[str, str, int]], *, title: str, note: str = "",
                    font_px: int = 13) -> Legend:
    """Add a legend of ``rows`` (swatch CSS, label, count), bottom right; escaped."""
    lines = "".join(
        f'<div style="white-space:nowrap"><span style="{swatch}"></span>'
        f'<span style="display:inline-block;min-width:5.5em">{safe_text(label)}</span>'
        f'<span style="display:inline-block;min-width:2.5em;text-align:right">'
        f'{int(count)}</span></div>'
        for swatch, label, count in rows
    )
    foot = (f'<div style="margin-top:4px;color:#b00000">{safe_text(note)}</div>'
            if note else "")
    html = (f'<div style="background:rgba(255,255,255,0.92);padding:6px 10px;'
            f'border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,0.3);'
            f'font-size:{int(font_px)}px;line-height:1.5;color:#222222">'
            f'<div style="font-weight:bold;margin-bottom:2px">{safe_text(title)}</div>'
            f"{lines}{foot}</div>")
    legend = Legend(html)
    fmap.add_child(legend)
    return legend


def _count(counts: dict[str, int], cls: LegendClass) -> int:
    for key in (class_key(cls), cls.label()):
        if key in counts:
            return counts[key]
    return 0
