"""What the household and sample imports share: rows of a register, joined to
villages by code or by names, and a store of the poverty-exit programme."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.accounts import Account
from geo.errors import UsageError
from geo.exit.households import PLACE_FIELDS
from geo.i18n.errors import Phrase
from geo.imports.report import region_of
from geo.join import JoinResult, join_ledger
from geo.store import Store

@dataclass
class VillageJoin:
    """Each row's village (``unit_code``, missing where it did not join), the
    region looked in, and the villages that did not join (join_ledger's rows)."""

    rows: pd.DataFrame
    region: pd.Series
    unmatched: pd.DataFrame


def poverty_store(store: Store, kind: str) -> None:
    """Refuse a store whose programme has no exit rules (``kind``, households or
    samples, goes into it)."""
    if "household" not in store.programme.rules:
        raise UsageError(reason="needs_poverty_store", param="store", value=store.label,
                         programme=store.programme.name_zh, what=Phrase(f"records_{kind}"))


def join_villages(rows: pd.DataFrame, store: Store, *, region: str | None, file: str,
                  account: Account | None) -> VillageJoin:
    """Join rows with ``source_row, village_code, county, township, village`` to the
    store's villages, each village of the file once; refuse rows outside the
    account's region (AccessError)."""
    units = store.units()
    top = region_of(units, region, None)
    if rows.empty:
        return VillageJoin(rows.assign(village_key=[], unit_code=[]), top,
                           pd.DataFrame(columns=["source_row", "name", "code", "reason"]))
    key = rows[list(PLACE_FIELDS)].fillna("").astype(str).agg("|".join, axis=1)
    first = rows.groupby(key, sort=False)["source_row"].min()
    at = rows.set_index("source_row").loc[first.to_numpy()]
    villages = pd.DataFrame({
        "source_row": first.to_numpy(), "code": at["village_code"].to_numpy(),
        "name": at["village"].to_numpy(), "parent_name": at["township"].to_numpy(),
        "level_hint": "village"})
    # Township names repeat across a province: a row naming its county is looked
    # up inside that county.
    scope = _county_of(at["county"], units, top["code"])
    parts = [join_ledger(villages[(scope == code).to_numpy()], units, region_code=code,
                         level="village") for code in scope.unique()]
    matched = pd.concat([p.matched for p in parts], ignore_index=True)
    joined = JoinResult(matched.sort_values("source_row", ignore_index=True),
                        pd.concat([p.unmatched for p in parts], ignore_index=True)
                        .sort_values("source_row", ignore_index=True), "village")
    if account is not None:
        account.check_rows(units, joined.matched, file=file)
    code_of = dict(zip(joined.matched["source_row"], joined.matched["unit_code"]))
    unit_code = key.map(dict(zip(first.index, first.to_numpy()))).map(code_of)
    return VillageJoin(rows.assign(village_key=key, unit_code=unit_code), top,
                       joined.unmatched)


def _county_of(names: pd.Series, units: pd.DataFrame, region: str) -> pd.Series:
    """For each row, the county its county cell names inside ``region`` (by name or
    alias, as a ledger's rows join), else ``region`` itself."""
    named = names.dropna().unique()
    if not len(named):
        return pd.Series(region, index=names.index)
    counties = join_ledger(pd.DataFrame({
        "source_row": range(len(named)), "code": None, "name": named, "parent_name": None,
        "level_hint": "county"}), units, region_code=region, level="county").matched
    code_of = dict(zip(named[counties["source_row"].to_numpy()], counties["unit_code"]))
    return names.map(code_of).fillna(region)
