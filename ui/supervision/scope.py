"""What every section of the supervision page starts from: the region, the date, and
the supervision records inside the region."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.accounts import Account
from geo.i18n import unit_name
from geo.supervision.coverage import region_codes
from ui import data


@dataclass(frozen=True)
class Scope:
    """The region shown and the date overdue is counted on, with what lies inside the
    region: ``visits`` (planned and made), each problem's ``status`` on ``as_of``
    (:func:`geo.supervision.problems.problem_status` rows) and the ``villages``' shapes."""

    region: pd.Series
    as_of: dt.date
    inside: frozenset[str]
    visits: pd.DataFrame
    status: pd.DataFrame
    villages: gpd.GeoDataFrame


def supervision_scope(path: str, version: tuple, *, units: pd.DataFrame,
                      region: pd.Series, as_of: dt.date) -> Scope:
    """The store's supervision records inside ``region``, problems as on ``as_of``."""
    inside = region_codes(units, region["code"])
    visits = data.records(path, version, "visits")
    status = data.problems_on(path, version, as_of)
    villages = data.shapes(path, version, "village")
    return Scope(region=region, as_of=as_of, inside=inside,
                 visits=visits[visits["unit_code"].isin(inside)],
                 status=status[status["unit_code"].isin(inside)],
                 villages=villages[villages["code"].isin(inside)])


def counties_within(path: str, version: tuple, scope: Scope) -> gpd.GeoDataFrame:
    """The counties' shapes inside the region, for the maps' outlines."""
    counties = data.shapes(path, version, "county")
    return counties[counties["code"].isin(scope.inside)]


def names_by_code(units: pd.DataFrame, lang: str) -> pd.Series:
    """Each unit's name in ``lang``, indexed by its code as text: the tooltips of the
    units a map draws under its dots or route."""
    return pd.Series(units["name"].map(lambda n: unit_name(n, lang)).to_numpy(),
                     index=units["code"].astype(str), dtype=object)


def who(account: Account | None) -> str:
    """The name an import is recorded under: the signed-in account's, or "" when the
    app runs open (the store then records the server's login)."""
    return account.name if account else ""
