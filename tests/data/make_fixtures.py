"""Build the ledger fixtures in tests/data/ (run once; the files are committed).

    .venv/bin/python tests/data/make_fixtures.py

The figures are invented but laid out the way Baotou's offices keep a
county-level ledger: a title row, a 填报单位/截至 row, two-level merged
headers, short names, numbers as text, "—" for not applicable and a 合计 row.
"""

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment

HERE = Path(__file__).resolve().parent

# unit, housing 任务/开工/完工, water 任务/开工/完工, roads 任务/开工/完工, clinics 任务/完工
BAOTOU = [
    ("东河区", 120, 120, 118, "1,193", 1193, 1150, "12.5公里", 12.5, 12.5, "—", "—"),
    ("昆区", 85, 85, 85, "—", "—", "—", 8, 8, 7.2, 3, 3),
    ("青山区", 60, 58, 51, 500, 500, 480, 6.4, 6.4, 6.0, 2, 2),
    ("石拐区", 210, 200, 180, "2,400", "2,400", "2,100", 15, 14, 12, 9, 8),
    ("白云矿区", 30, 30, 30, "—", "—", "—", 2.5, 2.5, 2.5, 1, 1),
    ("九原区", 450, 430, 400, "3,600", "3,500", "3,300", 40, 38, 35, 20, 18),
    ("土右旗", "2,860", "2,700", "2,450", "18,500", "17,000", "15,200", 160, 150, 128, 95, 80),
    ("固阳县", "3,120", "2,400", "1,890", "12,800", "9,000", "7,100", 180, 120, 95, 88, 52),
    ("达茂旗", "1,950", "1,500", "1,170", "6,400", "4,800", "3,900", 95, 60, 51, 64, 35),
]
# The 合计 the office typed: every column adds up.
BAOTOU_TOTAL = ("合计", "8,885", "7,523", "6,374", "45,393", "38,393", "33,230",
                519.4, 411.4, 349.2, 282, 199)


def baotou_county_ledger(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "旗县区进度"
    sheet.append(["包头市十个全覆盖工程进度台账（旗县区）"])
    sheet.merge_cells("A1:N1")
    sheet.append(["填报单位：包头市十个全覆盖工作领导小组办公室", None, None, None, None,
                  None, None, None, None, "截至2016年8月10日"])
    sheet.append(["序号", "旗县区", "危房改造（户）", None, None, "安全饮水（人）", None, None,
                  "街巷硬化（公里）", None, None, "标准化卫生室（个）", None, "备注"])
    sheet.append([None, None, "任务", "开工", "完工", "任务", "开工", "完工",
                  "任务", "开工", "完工", "任务", "完工", None])
    for cells in ("A3:A4", "B3:B4", "C3:E3", "F3:H3", "I3:K3", "L3:M3", "N3:N4"):
        sheet.merge_cells(cells)
    for n, row in enumerate(BAOTOU, start=1):
        sheet.append([n, *row, None])
    sheet.append([None, *BAOTOU_TOTAL, None])
    sheet.append(["注：本表由各旗县区十个全覆盖办公室填报，每半月报送一次。"])
    sheet.append(["填报人：", None, "审核人：", None, None, "联系电话：0472-0000000"])
    for row in sheet.iter_rows(min_row=3, max_row=4):
        for cell in row:
            cell.alignment = Alignment(horizontal="center", vertical="center")
    book.save(path)


if __name__ == "__main__":
    baotou_county_ledger(HERE / "baotou_county_ledger.xlsx")
    print("wrote", HERE / "baotou_county_ledger.xlsx")
