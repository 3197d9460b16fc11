"""数据: templates out, ledgers, boundaries and sites in — report first, then import."""

import datetime as dt
import io
import json
import tempfile
from pathlib import Path

import streamlit as st

from geo.demo import demo_path
from geo.i18n import level_label, t, unit_name
from geo.exit.households import id_key_from
from geo.imports.progress import import_ledger
from geo.imports.findings import import_findings
from geo.imports.households import import_households
from geo.imports.samples import import_samples
from geo.imports.sites import import_sites
from geo.imports.units import import_units
from geo.ledger import write_template
from geo.ledger.template import write_unmatched_ledger
from geo.output import to_csv
from geo.imports.uploads import check_upload
from geo.units import check_level_below, descendants
from ui.auth import open_mode_notice
from geo.settings import Settings
from geo.store import UNDOABLE_KINDS
from ui.common import levels_below, open_page, shown_errors, synthetic_notice
from ui.exit_view import has_exit_rules



def undo_button(store, imports, import_id: int, account, *, read_only: bool, lang: str):
    """Undo an import of ``imports`` (``store.imports()``): an admin anyone's, an
    editor their own, anyone where the app runs open; a recorded reversal."""
    if import_id in store.undone():
        # Undoing the undo brings it back: pick the undo's own import.
        undone_by = [int(r.import_id) for r in imports.itertuples() if r.kind == "undo"
                     and json.loads(r.report).get("undoes") == import_id]
        st.caption(t("undone_by", lang, n=undone_by[-1]))
        return
    row = imports.set_index("import_id").loc[import_id]
    allowed = account is None or account.may_undo(row["who"])
    if read_only or row["kind"] not in UNDOABLE_KINDS or not allowed:
        return
    if st.button(t("undo_import", lang), key=f"undo-{import_id}"):
        with shown_errors():
            store.undo(import_id, who=account.name if account else "")
        st.rerun()


page = open_page(role="editor")
view, store, units, region = page.view, page.store, page.units, page.region
path, version, programme, lang = page.path, page.version, page.programme, page.lang
account = page.account
st.subheader(f"{t('data', lang)} · {unit_name(region['name'], lang)}")
synthetic_notice(store, lang)
open_mode_notice(lang)
read_only = Path(path).resolve() == demo_path().resolve()

template_tab, upload_tab, history_tab = st.tabs(
    [t("template", lang), t("upload", lang), t("history", lang)])

with template_tab:
    below = levels_below(region)
    # Offices fill village ledgers most: offer the lowest level first.
    below = below[::-1]
    level = st.selectbox(t("level", lang), below, format_func=lambda lv: level_label(
        programme, lv, lang), key="template-level")
    with shown_errors():
        check_level_below(region, level)
    listed = descendants(units, region["code"])
    listed = listed[listed["level"] == level].copy()
    names = dict(zip(units["code"], units["name"]))
    levels = dict(zip(units["code"], units["level"]))
    listed["township_name"] = listed["parent_code"].map(
        lambda c: names.get(c) if levels.get(c) == "township" else None)
    buffer = io.BytesIO()
    write_template(listed.sort_values("code"), programme, buffer, level=level,
                   region_name=region["name"])
    st.caption(t("template_help", lang, n=len(listed)))
    st.download_button(t("template", lang), buffer.getvalue(),
                       file_name=f"{region['name']}-{level_label(programme, level, 'zh')}台账.xlsx")

with upload_tab:
    # Boundaries and sites replace a layer whole: an admin's job where there are accounts.
    kinds = ["progress", "units", "sites"] if account is None or account.can("admin") \
        else ["progress"]
    if has_exit_rules(programme):
        kinds[1:1] = ["households", "samples"]
    kinds.insert(1, "findings")
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
        folder = Path(tempfile.mkdtemp(prefix="covermap-upload-"))
        saved = folder / Path(upload.name).name     # never a path the browser chose
        saved.write_bytes(upload.getbuffer())

        def run(dry_run: bool):
            check_upload(saved, name=upload.name)
            if kind == "progress":
                bar = st.progress(0.0, text=t("reading", lang))
                report = import_ledger(store, saved, region=region["code"], as_of=as_of,
                                       dry_run=dry_run, account=account,
                                       progress=lambda fraction, stage:
                                       bar.progress(fraction, text=t(f"stage_{stage}", lang)))
                bar.empty()
                return report
            if kind in ("households", "samples"):
                if as_of is None:
                    st.warning(t("as_of_needed", lang))
                    st.stop()
                if kind == "households":
                    return import_households(
                        store, saved, year=as_of.year, region=region["code"], account=account,
                        id_key=id_key_from(Settings.from_env().id_key), dry_run=dry_run)
                return import_samples(store, saved, year=as_of.year, region=region["code"],
                                      account=account, dry_run=dry_run)
            if kind == "findings":
                return import_findings(store, saved, region=region["code"], account=account,
                                       dry_run=dry_run)
            if kind == "units":
                return import_units(store, saved, dry_run=dry_run)
            return import_sites(store, saved, dry_run=dry_run)

        with shown_errors(), st.spinner(t("reading", lang)):
            report = run(dry_run=True)
        st.markdown(f"**{t('dry_run', lang)}**")
        st.code("\n".join(report.lines()), language=None)
        if read_only:
            st.warning(t("demo_read_only", lang))
        elif st.button(t("import", lang), type="primary"):
            with shown_errors(), st.spinner(t("importing", lang)):
                report = run(dry_run=False)
            st.success(report.lines()[0])

with history_tab:
    imports = store.imports()
    history = imports.drop(columns=["report", "sha256"]).iloc[::-1]
    st.dataframe(history, hide_index=True, width="stretch",
                 column_config={c: t(f"import_{c}", lang) for c in history.columns})
    if len(imports):
        chosen = st.selectbox(t("import_id", lang), imports["import_id"].iloc[::-1])
        report = imports.set_index("import_id").loc[chosen, "report"]
        st.json(json.loads(report) if report else {}, expanded=False)
        undo_button(store, imports, int(chosen), account, read_only=read_only, lang=lang)
        unmatched = store.unmatched(int(chosen))
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
