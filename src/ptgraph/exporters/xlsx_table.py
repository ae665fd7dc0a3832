"""An Excel workbook (.xlsx) holding the table on one sheet, written by openpyxl.

The header row is bold and frozen; a section row is one cell merged across
the row, in bold, which ``ptgraph import table`` reads back as a section.
Each column is as wide as its longest line, up to a cap (:data:`CAP`, or
:data:`CAP_MANY` for each of several long-text columns), and every cell wraps
within it; counts and other numbers are numbers (but a whole number Excel
cannot hold exactly, of 16 digits or more, is text). Text is text, never a
formula, date or number, whatever it starts with.
"""

from __future__ import annotations

import io

from ._table import Section, Table, xml_safe

#: Widest a column gets, in characters; for each of several long-text columns (the sites).
CAP, CAP_MANY = 60, 30
#: Narrowest a column gets, and the room added to its longest line.
LEAST, PAD = 6, 2
#: Whole numbers beyond this Excel rounds (it holds 15 significant digits).
EXACT = 10**15


def _width(table: Table, i: int) -> float:
    """Column ``i``'s width in characters: its longest line (header included), within the caps."""
    lines = [line for row in table.rows if not isinstance(row, Section)
             for line in table.cell_text(row[i]).splitlines()] + table.columns[i].name.splitlines()
    cap = CAP_MANY if table.columns[i].wide and sum(c.wide for c in table.columns) > 1 else CAP
    return min(cap, max([LEAST] + [len(line) + PAD for line in lines]))


def write(table: Table) -> bytes:
    """The table as an .xlsx file with one sheet named after the table."""
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = table.name[:31]
    bold = Font(bold=True)
    top = Alignment(vertical="top", wrap_text=True)
    for c, column in enumerate(table.columns, start=1):
        cell = sheet.cell(1, c, xml_safe(column.name) or None)
        cell.data_type = "s" if column.name else cell.data_type  # a header is text too
        cell.font = bold
        cell.alignment = top
    for row in table.rows:
        r = sheet.max_row + 1
        if isinstance(row, Section):
            cell = sheet.cell(r, 1, xml_safe(row.label))
            cell.font = bold
            if len(table.columns) > 1:
                sheet.merge_cells(start_row=r, start_column=1, end_row=r,
                                  end_column=len(table.columns))
            continue
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(r, c)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < EXACT:
                cell.value = value
            else:
                cell.value = xml_safe(table.cell_text(value))
                cell.data_type = "s"  # text stays text: no formula, no date, no number
            cell.alignment = top
    for i in range(1, len(table.columns) + 1):
        sheet.column_dimensions[get_column_letter(i)].width = _width(table, i - 1)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
