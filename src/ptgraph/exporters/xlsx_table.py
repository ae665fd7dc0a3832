"""An Excel workbook (.xlsx) holding the table on one sheet, written by openpyxl.

The header row is bold and frozen; a section row is one cell merged across
the row, in bold, which ``ptgraph import table`` reads back as a section.
Long-text columns are wide and wrap; counts are numbers. Text that Excel
would take for a formula (starting with ``=``, ``+``, ``-`` or ``@``) is
stored as text, never as a formula.
"""

from __future__ import annotations

import io

from ._table import Section, Table, xml_safe

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
    sheet.append([c.name for c in table.columns])
    for cell in sheet[1]:
        cell.font = bold
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
            if isinstance(value, int):
                cell.value = value
            else:
                cell.value = xml_safe(value)
                cell.data_type = "s"  # text stays text: no formula, no date, no number
            cell.alignment = top
    for i, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = 80 if column.wide else 14
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
