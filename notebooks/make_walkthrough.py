"""Write walkthrough.ipynb from the cells below (so its source diffs as code).

    .venv/bin/python notebooks/make_walkthrough.py

The test suite executes the notebook, so it cannot rot.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CELLS = [
    ("md", """# covermap walkthrough: the library on the demo store

The same functions the CLI and the app call, on the synthetic demo province
(Inner Mongolia, 11,224 villages; the figures are invented and the store says
so). We copy the demo, import a village ledger for 固阳县 as its office would
fill it, roll the figures up, list the villages still missing something, and
draw a quick map."""),
    ("code", """import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path.cwd().parent))   # the repository root

from geo.demo import demo_store
from geo.gaps import uncovered_villages
from geo.imports.progress import import_ledger
from geo.ledger import write_template
from geo.store import Store
from geo.summary import summarise
from geo.units import descendants

demo = demo_store()
print(demo.meta["boundary_source"], "| synthetic:", demo.synthetic)
print("snapshots:", [d.isoformat() for d in demo.snapshot_dates()])"""),
    ("md", """Imports never write into the demo: work on a copy."""),
    ("code", """work = Path(tempfile.mkdtemp()) / "work.gpkg"
shutil.copyfile(demo.path, work)
store = Store(work)
units = store.units()
guyang = descendants(units, "150222")
villages = guyang[guyang["level"] == "village"].copy()
names = dict(zip(units["code"], units["name"]))
villages["township_name"] = villages["parent_code"].map(names)
print(len(villages), "villages in 固阳县")"""),
    ("md", """A village ledger as the county office fills it: the template (township
merged down over its villages, two-level headers), with every clinic reported
done on 15 September."""),
    ("code", """from openpyxl import load_workbook

ledger = work.parent / "guyang-2016-09-15.xlsx"
write_template(villages.sort_values("code"), store.programme, ledger,
               level="village", region_name="固阳县")
book = load_workbook(ledger)
sheet = book.active
clinic_column = next(c for c in range(1, sheet.max_column + 1)
                     if sheet.cell(3, c).value == store.programme.item("clinics").short_zh)
for row in range(5, sheet.max_row + 1):
    sheet.cell(row, clinic_column).value = "已完成"
book.save(ledger)

report = import_ledger(store, ledger, region="150222", as_of=dt.date(2016, 9, 15))
print("\\n".join(report.lines()[:5]))"""),
    ("md", """Roll-up: Baotou's counties on the new date. 固阳县's clinics are now
all done; the rest carries forward from 1 September."""),
    ("code", """table = summarise(store.units(), store.progress(), store.programme,
                  level="county", region="150200", item="clinics",
                  snapshot_dates=store.snapshot_dates())
table[["name", "target", "completed", "pct", "rank", "movement", "as_of", "source"]]"""),
    ("code", """gaps = uncovered_villages(store.units(), store.progress(), store.programme,
                          region="150222", as_of=dt.date(2016, 9, 15))
assert not any("clinics" in missing for missing in gaps["missing"])
print(len(gaps), "of", len(villages), "villages in 固阳县 still miss an item")
gaps[["township", "name", "missing"]].head(10)"""),
    ("md", """A quick map of Baotou's townships by overall completion, in the
programme's legend classes."""),
    ("code", """%matplotlib inline
from layers.static.choropleth import draw_choropleth

towns = summarise(store.units(), store.progress(), store.programme, level="township",
                  region="150200", item="overall", snapshot_dates=store.snapshot_dates())
shapes = store.units(level="township", geometry=True)
shapes = shapes[shapes["code"].isin(towns["code"])].set_index("code")
ax = draw_choropleth(shapes, towns.set_index("code")["pct"], store.programme,
                     title="包头市 综合完成率（苏木乡镇）2016-09-15", synthetic=True)"""),
]


def main() -> None:
    notebook = new_notebook(cells=[
        new_markdown_cell(text) if kind == "md" else new_code_cell(text)
        for kind, text in CELLS
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    path = Path(__file__).with_name("walkthrough.ipynb")
    nbformat.write(notebook, path)
    print("wrote", path)


if __name__ == "__main__":
    main()
