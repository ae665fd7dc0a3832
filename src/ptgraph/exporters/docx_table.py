"""A Word document (.docx) holding the table as a real Word table, written by python-docx.

The header row is bold and repeats on every page; a section row is one cell
merged across the whole row, in bold, which ``ptgraph import table`` reads
back as a section. Long-text columns get most of the page's width. Text goes
in as runs, never as markup, so nothing in it needs escaping; characters XML
cannot hold (C0 controls other than tab and line breaks) are shown as
``\\xNN``.
"""

from __future__ import annotations

import io

from ._table import Section, Table, xml_safe

def _fill(cell, text: str, bold: bool = False) -> None:
    """Text into a cell: a paragraph per line, as Word writes a cell with line breaks."""
    lines = xml_safe(text).splitlines() or [""]
    cell.paragraphs[0].add_run(lines[0]).bold = bold or None
    for line in lines[1:]:
        cell.add_paragraph().add_run(line).bold = bold or None


def write(table: Table) -> bytes:
    """The table as a .docx file (landscape when it has more than five columns)."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    if len(table.columns) > 5:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    style = document.styles["Normal"]
    style.font.size = Pt(9)
    width = section.page_width - section.left_margin - section.right_margin
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    narrow = Cm(2.6)
    wide_n = sum(c.wide for c in table.columns)
    wide = (width - narrow * (len(table.columns) - wide_n)) // max(wide_n, 1)
    for i, column in enumerate(table.columns):
        _fill(grid.rows[0].cells[i], column.name, bold=True)
    header = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for row in table.rows:
        cells = grid.add_row().cells
        if isinstance(row, Section):
            merged = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
            _fill(merged, row.label, bold=True)
        else:
            for cell, value in zip(cells, row):
                _fill(cell, table.cell_text(value))
    grid.autofit = False
    for i, column in enumerate(table.columns):
        # the grid's width (what LibreOffice reads) and each cell's (what Word reads)
        grid.columns[i].width = wide if column.wide else narrow
        for cell in grid.columns[i].cells:
            cell.width = wide if column.wide else narrow
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
