"""Which villages are fully covered: one rule for the overview and the wall."""

import pandas as pd

from geo.gaps import fully_covered


def test_a_village_is_covered_only_with_every_item_done_and_reported():
    gaps = pd.DataFrame({
        "code": ["150222100201", "150222100202", "150222100203", "150222100204"],
        "missing": [[], ["clinics"], [], ["roads"]],
        "unreported": [[], [], ["water"], ["water"]],
    })
    # Only the first: the second lacks a clinic, the third has not reported its
    # water (not uncovered, but not known to be covered), the fourth both.
    assert fully_covered(gaps).tolist() == [True, False, False, False]
