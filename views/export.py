"""导出: a print-quality map of the region for tomorrow's meeting, as PNG, SVG or PDF."""

import io
import threading

import streamlit as st

from geo.actions import briefing_of
from geo.exit.readiness import EXIT_LEVELS
from geo.i18n import item_label, level_label, t, unit_name
from geo.map_view import map_view, safe_file_name
from geo.office import pdf_of_deck, soffice
from geo.store import Store
from geo.units import check_level_within, child_level
from layers.deck.briefing import write_deck
from layers.static.map import SIZES, build_map_figure, map_bytes
from ui import data
from ui.common import (
    as_of_choice,
    breadcrumb,
    levels_drawn,
    open_page,
    region_picker,
    shown_errors,
    synthetic_notice,
)
from ui.exit_view import exit_items, exit_labels
from ui.state import go

MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
PAGE_SIZES = ("a4", "slide", "wall")


@st.cache_resource(show_spinner=False)
def drawing_lock() -> threading.Lock:
    # matplotlib's rc_context is process-wide: two maps drawn or saved at once
    # (a download's thread, another session) could swap fonts mid-file.
    return threading.Lock()


@st.cache_resource(show_spinner=False, max_entries=4)
def map_figure(path: str, version: tuple, *, region: str, level: str, item: str, as_of,
               size: str, theme: str, lang: str):
    """One drawn map; its three files are written from it (drawing is the slow part)."""
    view = map_view(data.map_source(path, version), level=level, region=region, item=item,
                    as_of=as_of)
    with drawing_lock():
        return build_map_figure(view, size=size, theme=theme, lang=lang)


@st.cache_data(show_spinner=False, max_entries=32)
def map_file(path: str, version: tuple, *, region: str, level: str, item: str, as_of,
             size: str, theme: str, lang: str, kind: str) -> bytes:
    fig = map_figure(path, version, region=region, level=level, item=item, as_of=as_of,
                     size=size, theme=theme, lang=lang)
    with drawing_lock():
        return map_bytes(fig, kind)


@st.cache_data(show_spinner=False, max_entries=4)
def deck_file(path: str, version: tuple, *, region: str, as_of, lang: str, kind: str) -> bytes:
    """The briefing deck of ``region`` as PPTX, or PDF through LibreOffice."""
    if kind == "pdf":
        pptx = deck_file(path, version, region=region, as_of=as_of, lang=lang, kind="pptx")
        return pdf_of_deck(pptx)
    briefing = briefing_of(Store(path), data.map_source(path, version), region=region,
                           as_of=as_of)
    deck = io.BytesIO()
    with drawing_lock():      # the deck draws a map per item
        write_deck(briefing, deck, lang=lang)
    return deck.getvalue()


page = open_page()
view, store, units, region = page.view, page.store, page.units, page.region
path, version, programme, lang = page.path, page.version, page.programme, page.lang
dates = store.snapshot_dates()
default_level = child_level(units, region)

st.subheader(f"{t('export', lang)} · {unit_name(region['name'], lang)}")
breadcrumb(view, units, region)
synthetic_notice(store, lang)
if default_level is None:
    st.info(t("no_units_below", lang))
    st.stop()
if view.level:
    with shown_errors():
        # The region's own level maps the region alone (its own total).
        check_level_within(region, view.level)
below = levels_drawn(region)
asked = view.level or default_level
if asked not in below:
    st.info(t("villages_by_league", lang))
    asked = below[-1]

controls, preview = st.columns([1, 3], gap="large")
with controls:
    chosen = region_picker(st, units, region, lang)
    if chosen != region["code"]:
        go(view, region=chosen, level=None)
    level = st.selectbox(t("level", lang), below, index=below.index(asked),
                         format_func=lambda lv: level_label(programme, lv, lang))
    items = ["overall", *programme.item_keys]
    labels = {"overall": t("overall", lang)} | {i.key: item_label(i, lang)
                                                for i in programme.items}
    if programme.has_exit_rules:
        items += exit_items()
        labels |= exit_labels(lang)
    item = st.selectbox(t("item", lang), items, index=items.index(view.item)
                        if view.item in items else 0, format_func=labels.get)
    as_of = as_of_choice(view, store)
    if dates:
        as_of = st.selectbox(t("as_of", lang), dates[::-1],
                             index=dates[::-1].index(as_of) if as_of in dates else 0)
    size = st.radio(t("size", lang), PAGE_SIZES, index=1, horizontal=True,
                    format_func=lambda s: t(f"size_{s}", lang))
    theme = st.radio(t("theme", lang), ["light", "dark"], horizontal=True,
                     format_func=lambda k: t(f"theme_{k}", lang))
    lang_choice = st.radio(t("language", lang), ["zh", "en"], index=["zh", "en"].index(lang),
                           format_func={"zh": "中文", "en": "English"}.get, horizontal=True)
    if (item, as_of, level, lang_choice) != (view.item, as_of_choice(view, store),
                                              asked, lang):
        go(view, item=item, as_of=as_of if as_of != (dates[-1] if dates else None) else None,
           level=level if level != default_level else None, lang=lang_choice)

# The exit check is by village or county: another level gets a word, not a map.
drawable = not (item.startswith("exit") and level not in EXIT_LEVELS)
if not drawable:
    preview.info(t("exit_levels", lang))
else:
    wanted = {"region": region["code"], "level": level, "item": item, "as_of": as_of,
              "size": size, "theme": theme, "lang": lang}
    with preview.container(border=True), shown_errors(), st.spinner(t("drawing_map", lang)):
        # Only the preview is drawn now; SVG and PDF (a PDF takes ~2 s to embed
        # its CJK font) are written from the same figure when their button is clicked.
        png = map_file(path, version, **wanted, kind="png")
        st.image(png, width="stretch",
                 caption=f"{t('preview', lang)} · {SIZES[size][0]}×{SIZES[size][1]}")

    with controls:
        stem = (f"{region['code']}_{safe_file_name(region['name'])}_{level}_"
                f"{safe_file_name(item)}")
        for kind, mime in MIME.items():
            # A callable is run only when its button is clicked, on a thread of its own.
            payload = png if kind == "png" else (
                lambda kind=kind: map_file(path, version, **wanted, kind=kind))
            st.download_button(t("download_map", lang, kind=kind.upper()), payload,
                               file_name=f"{stem}.{kind}", mime=mime,
                               help=t(f"{kind}_help", lang), on_click="ignore",
                               width="stretch", key=f"download-{kind}")

st.divider()
st.markdown(f"#### {t('briefing', lang)}")
st.caption(t("briefing_help", lang, region=unit_name(region["name"], lang)))
deck_kinds = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
if soffice():
    deck_kinds["pdf"] = "application/pdf"
deck_stem = f"{region['code']}_{safe_file_name(region['name'])}_{t('briefing', lang)}_{as_of}"
for column, (kind, mime) in zip(st.columns(4), deck_kinds.items()):
    # Written when clicked (about 10 s for a league's sixteen slides, PDF a few more).
    column.download_button(
        t("download_deck", lang, kind=kind.upper()),
        lambda kind=kind: deck_file(path, version, region=region["code"], as_of=as_of,
                                    lang=lang, kind=kind),
        file_name=f"{deck_stem}.{kind}", mime=mime, on_click="ignore", width="stretch",
        key=f"deck-{kind}")
