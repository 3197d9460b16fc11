"""Assessment samples in: what surveys and third-party checks found, per village.

``python cli.py import FILE --kind samples``: one row per village sampled —
households surveyed and satisfied (群众认可度), exited people sampled and
found wrongly exited (错退), non-registered people sampled and found missed
(漏评).  The county's rates are computed from these counts, each with its
sample size (``county_figures`` in :mod:`geo.exit.readiness`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from geo.accounts import Account
from geo.errors import InputError
from geo.exit.households import PLACE_FIELDS, cell_problem, raise_cell_problems, sheet_cells
from geo.imports.report import ImportReport, file_sha256
from geo.imports.common import refuse_if_strict
from geo.imports.villages import join_villages, poverty_store
from geo.io_fields import cell_text, code_text
from geo.store import VILLAGE_TABLES, ImportRecord, Store

SAMPLE_FIELDS = {
    **PLACE_FIELDS,
    "surveyed": ("调查户数", "满意度调查户数", "受访户数", "调查样本户数", "抽样户数"),
    "satisfied": ("满意户数", "认可户数", "满意", "认可"),
    "exited_sampled": ("抽查已脱贫人口", "抽查脱贫人口", "抽样脱贫人口", "核查脱贫人口"),
    "wrongly_exited": ("错退人口", "错退人数", "错退"),
    "non_registered_sampled": ("抽查非建档立卡人口", "抽查未建档立卡人口", "抽查非贫困人口",
                               "核查非建档立卡人口"),
    "missed": ("漏评人口", "漏评人数", "漏评"),
}
# Pairs that must hold: found ≤ sampled.
_WITHIN = (("satisfied", "surveyed"), ("wrongly_exited", "exited_sampled"),
           ("missed", "non_registered_sampled"))


def import_samples(store: Store, path, *, year: int, region: str | None = None,
                   sheet: str | None = None, encoding: str | None = None,
                   dry_run: bool = False, strict: bool = False, who: str = "",
                   account: Account | None = None) -> ImportReport:
    """Import a sample sheet as village counts for ``year``.

    Raises
    ------
    InputError
        The file cannot be read, a count is not a number or exceeds its
        sample (every such cell listed), or (``strict``) a village does not join.
    """
    poverty_store(store, "samples")
    rows = read_samples(path, sheet=sheet, encoding=encoding)
    joined = join_villages(rows, store, region=region, file=str(path), account=account)
    matched = joined.rows.dropna(subset=["unit_code"])
    figures = VILLAGE_TABLES["samples"]
    counts = matched.groupby("unit_code", sort=True)[figures].sum(min_count=1).reset_index()
    report = ImportReport(
        file=str(path), kind="samples", level="village",
        region=f"{joined.region['code']} {joined.region['name']}", rows_read=len(rows),
        matched=len(matched), unmatched=joined.unmatched.to_dict("records"),
        values_stored=len(counts), dry_run=dry_run)
    refuse_if_strict(report, strict, "village")
    if not dry_run:
        record = ImportRecord(kind="samples", file=str(path), sha256=file_sha256(path),
                              as_of=None, level="village", rows_read=len(rows),
                              matched=len(matched), report=report.as_dict(),
                              who=who or (account.name if account else ""))
        report.import_id = store.record_village_figures(
            record, "samples", counts.assign(year=year), unmatched=joined.unmatched)
    return report


def read_samples(path, *, sheet: str | None = None, encoding: str | None = None):
    """The sample sheet's rows: ``source_row``, the village's code and names and the
    six counts of ``VILLAGE_TABLES["samples"]`` (missing where not given)."""
    file = Path(path).name
    rows, label, _ = sheet_cells(
        path, SAMPLE_FIELDS, sheet=sheet, encoding=encoding,
        wanted=[w for f in VILLAGE_TABLES["samples"] for w in SAMPLE_FIELDS[f]],
        missing="no_samples_header")
    records, problems = [], []
    for number, cell in rows:
        record = {"source_row": number, "village_code": code_text(cell.get("village_code")),
                  **{f: cell_text(cell.get(f)) for f in ("county", "township", "village")}}
        for name in VILLAGE_TABLES["samples"]:
            text = cell_text(cell.get(name))
            match = re.fullmatch(r"\d+(?:\.0+)?", (text or "").replace(",", ""))
            record[name] = float(match.group()) if match else None
            if text and not match:
                problems.append(cell_problem(number, label.get(name, name),
                                             "cell_not_whole_number", value=text))
        for found, sampled in _WITHIN:
            if (record[found] or 0) > (record[sampled] or 0) and record[sampled] is not None:
                problems.append(cell_problem(number, label[found], "found_above_sampled",
                                             found=record[found], sampled=record[sampled]))
        records.append(record)
    raise_cell_problems(problems, file)
    rows = pd.DataFrame(records)
    if rows.empty:
        raise InputError(reason="no_village_rows", param="file", file=file)
    return rows.assign(county=rows["county"].ffill(), township=rows["township"].ffill())
