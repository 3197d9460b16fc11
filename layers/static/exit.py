"""What the static map paints for the exit check (``export-map --item exit``): units by
passes / close / far / unknown, each failing one labelled with what holds it back."""

from __future__ import annotations

from typing import NamedTuple

import geopandas as gpd
import pandas as pd
from matplotlib.patches import Patch

from geo.exit.criteria import CRITERIA_WORDS
from geo.i18n import t, unit_name
from geo.names import short_form
from layers.readiness_style import READINESS_COLOURS, READINESS_WORDS


class Paint(NamedTuple):
    """How one static map colours, hatches, labels and keys its units."""

    shown: gpd.GeoDataFrame
    """The units drawn, projected."""
    fills: list
    hatched: object
    """A boolean mask over ``shown``: the units drawn hatched."""
    texts: pd.Series
    """Labels, indexed like the ``shown`` rows that get one."""
    handles: list
    legend_title: str
    counts: dict


def exit_title(view, lang: str) -> str:
    """"2016年退出检查", with the criterion when the map shows one."""
    english = lang == "en"
    title = READINESS_WORDS["en" if english else "zh"]["title"].format(year=view.exit_year)
    if ":" in view.item:
        title += " · " + CRITERIA_WORDS[view.item.split(":", 1)[1]][english]
    return title


def exit_paint(view, crs, colours: dict, lang: str) -> Paint:
    """The paint of an exit-check view (``view.readiness`` set).

    Counties are all labelled; of the villages, only those that fail, since a
    prefecture has thousands.  A failing unit's label names its failing criteria
    (on a map of one criterion, that criterion's value).
    """
    english = lang == "en"
    words = READINESS_WORDS["en" if english else "zh"]
    shown = view.units.to_crs(crs)
    status = view.readiness.reindex(shown["code"]).fillna("unknown")
    # On a dark theme the villages not due sink into the background.
    palette = READINESS_COLOURS | ({"not_due": colours["no_data"]} if colours["no_data"] else {})
    table = view.table.set_index("code")
    failing = status.isin(["far", "close"]).to_numpy()
    labelled = shown if view.level == "county" else shown[failing]
    criterion = view.item.split(":", 1)[1] if ":" in view.item else None
    texts = []
    for code, name in zip(labelled["code"], labelled["name"]):
        short = short_form(str(code), name) if not english else unit_name(name, lang)
        row = table.loc[code]
        if criterion:
            value = row.get(criterion)
            note = "?" if pd.isna(value) else f"{value:.1f}" + ("" if criterion == "items"
                                                                  else "%")
        else:
            note = "、".join(CRITERIA_WORDS[c][english] for c in str(row["failing"]).split(",")
                            if c)
        texts.append(f"{short}\n{note}" if note else short)
    counts = status.value_counts()
    keys = [k for k in palette if k != "not_due" or k in counts]
    handles = [Patch(facecolor=palette[k], edgecolor=colours["edge"],
                     label=f"{words[k]}  ({t('n_units', lang, n=int(counts.get(k, 0)))})")
               for k in keys]
    return Paint(shown, status.map(palette).tolist(), [False] * len(shown),
                 pd.Series(texts, index=labelled.index, dtype=object), handles,
                 exit_title(view, lang), {k: int(counts.get(k, 0)) for k in keys})
