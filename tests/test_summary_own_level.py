"""A summary at the region's own level lists the region itself (issue 14, item 7): a
one-county office asks for its own total with `--level county --region 150222`."""

import json

from tests.test_cli import LEDGER


def summary(run, store, *args):
    code, out, err = run("summary", "--store", store, "--format", "json", *args)
    assert code == 0, err
    return json.loads(out)


def test_a_county_at_its_own_level_is_listed_alone(run, baotou_store):
    assert run("import", LEDGER, "--store", baotou_store)[0] == 0
    own = summary(run, baotou_store, "--level", "county", "--region", "150222")
    assert {(r["code"], r["name"]) for r in own} == {("150222", "固阳县")}
    by_item = {r["item"]: r for r in own}
    # The ledger's 固阳县 row: 1,890 of 3,120 houses, 52 of 88 clinics.
    assert (by_item["housing"]["target"], by_item["housing"]["completed"]) == (3120, 1890)
    assert by_item["clinics"]["pct"] == round(100 * 52 / 88, 2)
    assert by_item["housing"]["rank"] == 1
    # The same figures as the county's row among Baotou's nine.
    among = {(r["code"], r["item"]): r for r in
             summary(run, baotou_store, "--level", "county", "--region", "150200")}
    assert all(among[("150222", r["item"])]["pct"] == r["pct"] for r in own
               if r["pct"] is not None)


def test_the_store_top_at_its_own_level_is_itself(run, baotou_store):
    records = summary(run, baotou_store, "--level", "league", "--item", "overall")
    assert [(r["code"], r["name"], r["level"]) for r in records] == [
        ("150200", "包头市", "league")]


def test_a_level_above_the_region_is_still_refused(run, baotou_store):
    code, _, err = run("summary", "--store", baotou_store, "--level", "league",
                       "--region", "150222")
    assert code == 2
    assert "--level league is above 固阳县 (county); choose one of county, township, village" in err
