"""Tables in an Excel workbook (.xlsx, .xlsm): one table per worksheet, read by openpyxl.

Values are read as Excel last computed them (formulas give their result). A
merged cell that spans a whole row is a section row; one merged down a column
continues the cell above (an area column often is); any other merge is
reported at its rows, since which column its text belongs to is a guess.
"""

from __future__ import annotations

import datetime as _dt
import io
from pathlib import Path

from ._cells import Cell, RawRow, RawTable


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    return str(value)


def read(path: Path, data: bytes) -> list[RawTable]:
    """Every non-empty worksheet of a workbook as a table.

    Raises whatever openpyxl raises for a file that is not a workbook; the
    importer turns it into a message.
    """
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    tables = []
    for sheet in book.worksheets:
        width = sheet.max_column
        table = RawTable(f"sheet '{sheet.title}'")
        rows: dict[int, RawRow] = {}
        for cells in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=width):
            r = cells[0].row
            row = RawRow(r, f"sheet '{sheet.title}', row {r}",
                         [Cell(_text(c.value), bool(c.font and c.font.b) and c.value is not None)
                          for c in cells])
            rows[r] = row
            table.rows.append(row)
        for merged in sheet.merged_cells.ranges:
            top, left, bottom, right = merged.min_row, merged.min_col, merged.max_row, merged.max_col
            if top == bottom and left == 1 and right == width and width > 1:
                rows[top].spans_row = True
            elif left == right:
                for r in range(top + 1, bottom + 1):
                    rows[r].merged_down |= {left - 1}
            else:
                for r in range(top, bottom + 1):
                    rows[r].problem = (f"cells {merged.coord} are merged across columns; unmerge "
                                       "them (only a section row may span the whole table)")
        if any(c.text.strip() for row in table.rows for c in row.cells):
            tables.append(table)
    return tables
