"""数据: templates out, ledgers, boundaries and sites in — report first, then import."""

import datetime as dt
import io
from contextlib import contextmanager
import json
import tempfile
from pathlib import Path

import streamlit as st

from geo.actions import (
    import_file,
    import_history,
    import_kinds,
    is_builtin_demo,
    is_refused,
    undo_import,
    undone_by,
    write_ledger_template,
)
from geo.errors import CovermapError
from geo.i18n import level_label, t, unit_name
from geo.imports.causes import JoinRefused
from geo.imports.report import partial_line, report_in, unmatched_in
from geo.imports.uploads import check_upload
from geo.ledger.template import write_unmatched_ledger
from geo.output import to_csv
from geo.store import UNDOABLE_KINDS
from ui.auth import open_mode_notice
from ui.common import levels_below, open_page, shown_errors, synthetic_notice
from ui.errors import error_message


def saved_upload(upload) -> Path:
    """The uploaded file on disk, written once per upload (not on every rerun of the
    page), under its own name in a folder of its own — never a path the browser chose."""
    kept = st.session_state.setdefault("uploads", {})
    if upload.file_id not in kept:
        folder = Path(tempfile.mkdtemp(prefix="covermap-upload-"))
        saved = folder / Path(upload.name).name
        saved.write_bytes(upload.getbuffer())
        kept[upload.file_id] = saved
    return kept[upload.file_id]


@contextmanager
def as_uploaded(saved: Path):
    """An error about the uploaded file names it as the office did (its name), not
    by the server's temporary folder."""
    try:
        yield
    except CovermapError as exc:
        for error in [exc, *(d for d in exc.details if isinstance(d, CovermapError))]:
            if str(getattr(error, "file", "") or "").startswith(str(saved.parent)):
                error.file = saved.name
        raise


def undo_button(store, imports, import_id: int, account, *, read_only: bool, lang: str):
    """Undo an import of ``imports`` (``store.imports()``): an admin anyone's, an
    editor their own, anyone where the app runs open; a recorded reversal."""
    if import_id in store.undone():
        # Undoing the undo brings it back: pick the undo's own import.
        st.caption(t("undone_by", lang, n=undone_by(store, import_id)))
        return
    row = imports.set_index("import_id").loc[import_id]
    allowed = account is None or account.may_undo(row["who"])
    # A refused import stored no figure: nothing to undo.
    if read_only or row["kind"] not in UNDOABLE_KINDS or not allowed or is_refused(row["report"]):
        return
    if st.button(t("undo_import", lang), key=f"undo-{import_id}"):
        with shown_errors():
            undo_import(store, import_id, account=account)
        st.rerun()


page = open_page(role="editor")
view, store, units, region = page.view, page.store, page.units, page.region
path, version, programme, lang = page.path, page.version, page.programme, page.lang
account = page.account
st.subheader(f"{t('data', lang)} · {unit_name(region['name'], lang)}")
synthetic_notice(store, lang)
open_mode_notice(lang)
read_only = is_builtin_demo(path)

template_tab, upload_tab, history_tab = st.tabs(
    [t("template", lang), t("upload", lang), t("history", lang)])

with template_tab:
    below = levels_below(region)
    # Offices fill village ledgers most: offer the lowest level first.
    below = below[::-1]
    level = st.selectbox(t("level", lang), below, format_func=lambda lv: level_label(
        programme, lv, lang), key="template-level")
    buffer = io.BytesIO()
    with shown_errors():
        _, count = write_ledger_template(store, buffer, region=region["code"], level=level)
    st.caption(t("template_help", lang, n=count))
    st.download_button(t("template", lang), buffer.getvalue(),
                       file_name=f"{region['name']}-{level_label(programme, level, 'zh')}台账.xlsx")

with upload_tab:
    # The kinds this account may import (geo.actions.import_kinds): boundaries attach to
    # units inside an editor's region; registers and sites are an admin's job.
    kinds = import_kinds(programme, account)
    kind = st.radio(t("kind", lang), kinds, horizontal=True,
                    format_func=lambda k: t(f"kind_{k}", lang))
    upload = st.file_uploader(t("upload", lang), type=["xlsx", "xls", "csv", "zip", "shp",
                                                       "geojson", "json", "gpkg", "kml"])
    as_of = None
    if kind in ("progress", "households", "samples"):
        words = "as_of_if_missing" if kind == "progress" else "as_of_of_file"
        # Within the programme's years: Streamlit's default range (ten years back
        # from today) would refuse the dates of a 2016 ledger.
        given = st.date_input(t(words, lang), value=None, min_value=programme.start,
                              max_value=max(programme.end, dt.date.today()))
        as_of = given if isinstance(given, dt.date) else None
    if upload is not None:
        saved = saved_upload(upload)

        def run(dry_run: bool, partial: bool = False):
            check_upload(saved, name=upload.name)
            bar = st.progress(0.0, text=t("reading", lang))
            try:
                with as_uploaded(saved):
                    return import_file(store, saved, kind=kind, account=account,
                                       region=region["code"], as_of=as_of, dry_run=dry_run,
                                       partial=partial,
                                       progress=lambda fraction, stage:
                                       bar.progress(fraction, text=t(f"stage_{stage}", lang)))
            finally:
                bar.empty()

        refused = None
        with shown_errors(), st.spinner(t("reading", lang)):
            try:
                report = run(dry_run=True)
            except JoinRefused as exc:
                # Too few rows joined: say why, and offer what --partial does.
                refused, report = exc, exc.report
        st.markdown(f"**{t('dry_run', lang)}**")
        if refused is not None:
            st.error(error_message(refused, lang))
        # The file as the office named it, not where the server keeps the upload.
        lines = [line.replace(f"{saved.parent}/", "") for line in report.lines(lang, page=True)]
        st.code("\n".join(lines), language=None)
        if read_only:
            st.warning(t("demo_read_only", lang))
        elif refused is None and st.button(t("import", lang), type="primary"):
            with shown_errors(), st.spinner(t("importing", lang)):
                report = run(dry_run=False)
            st.success(report.lines(lang)[0].replace(f"{saved.parent}/", ""))
        elif refused is not None and report.matched and st.button(
                t("import_partial", lang, n=report.matched)):
            with shown_errors(), st.spinner(t("importing", lang)):
                report = run(dry_run=False, partial=True)
            st.success(report.lines(lang)[0].replace(f"{saved.parent}/", ""))
            st.caption(partial_line(report, lang))

with history_tab:
    imports = store.imports()
    history = import_history(store)
    history["kind"] = history["kind"].map(lambda k: t(f"kind_{k}", lang))
    st.dataframe(history, hide_index=True, width="stretch",
                 column_config={c: t(f"import_{c}", lang) for c in history.columns})
    if len(imports):
        chosen = st.selectbox(t("import_id", lang), imports["import_id"].iloc[::-1])
        report = imports.set_index("import_id").loc[chosen, "report"]
        # Its reasons and warnings in the page's language (stored in English, with words).
        st.json(report_in(json.loads(report), lang) if report else {}, expanded=False)
        undo_button(store, imports, int(chosen), account, read_only=read_only, lang=lang)
        unmatched = unmatched_in(store.unmatched(int(chosen)), lang)
        if len(unmatched):
            st.caption(t("unmatched_help", lang, n=len(unmatched)))
            st.dataframe(unmatched, hide_index=True, width="stretch")
            first, second = st.columns(2)
            level = imports.set_index("import_id").loc[chosen, "level"]
            kind = imports.set_index("import_id").loc[chosen, "kind"]
            if kind == "progress" and level:
                # The rows as a ledger: correct the names or codes, import it again.
                ledger = io.BytesIO()
                write_unmatched_ledger(unmatched, programme, ledger, level=level,
                                       region_name=region["name"])
                first.download_button(t("download_unmatched_ledger", lang), ledger.getvalue(),
                                      file_name=f"未匹配-{chosen}.xlsx")
            second.download_button(t("download_csv", lang),
                                   to_csv(unmatched).encode("utf-8-sig"),
                                   file_name=f"unmatched-{chosen}.csv", mime="text/csv")
