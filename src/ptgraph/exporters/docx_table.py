"""A Word document (.docx) holding the table as a real Word table, written by python-docx.

The header row is bold and repeats on every page; a section row is one cell
merged across the whole row, in bold, which ``ptgraph import table`` reads
back as a section. Each column is as wide as its content asks (ids and counts
as their widest cell or header, long-text columns what the page leaves, see
:func:`._table.column_widths`), set on the grid (what LibreOffice reads) and
on every cell (what Word reads) with autofit off; counts are right-aligned.
The page turns landscape for a table too wide for it, or of more than five
columns with long text. Text goes in as runs, never as markup, so nothing in
it needs escaping; characters XML cannot hold (C0 controls other than tab and
line breaks) are shown as ``\\xNN``.
"""

from __future__ import annotations

import io

from ._table import Section, Table, column_widths, xml_safe

#: The font size, in points, of the table's text.
FONT_PT = 9
#: Widths are sized for a font up to this much wider than Computer Modern: Cambria, the
#: document's font, is about 5% wider, and DejaVu Serif, what LibreOffice sets without
#: Cambria, about 20%.
WIDER = 1.2
#: Word's default cell margins, left and right (0.19 cm each), in points.
MARGINS_PT = 10.8


def _fill(cell, text: str, bold: bool = False, right: bool = False) -> None:
    """Text into a cell: a paragraph per line, as Word writes a cell with line breaks."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    lines = xml_safe(text).splitlines() or [""]
    cell.paragraphs[0].add_run(lines[0]).bold = bold or None
    for line in lines[1:]:
        cell.add_paragraph().add_run(line).bold = bold or None
    if right:
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def write(table: Table) -> bytes:
    """The table as a .docx file: landscape when it is too wide for a portrait page, or has more
    than five columns and long text among them."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Emu, Pt

    document = docx.Document()
    section = document.sections[0]
    style = document.styles["Normal"]
    style.font.size = Pt(FONT_PT)
    n = len(table.columns)

    def fit() -> tuple[list[float], float]:
        page = section.page_width - section.left_margin - section.right_margin
        room = (Emu(page).pt - MARGINS_PT * n) / FONT_PT
        return column_widths(table, room, wider=WIDER), room

    ems, room = fit()
    if sum(ems) > room + 0.05 or n > 5 and any(c.wide for c in table.columns):
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
        ems, room = fit()
    widths = [Pt(w * FONT_PT + MARGINS_PT) for w in ems]
    grid = document.add_table(rows=1, cols=n)
    grid.style = "Table Grid"
    for i, column in enumerate(table.columns):
        _fill(grid.rows[0].cells[i], column.name, bold=True, right=column.number)
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
            for cell, value, column in zip(cells, row, table.columns):
                _fill(cell, table.cell_text(value), right=column.number)
    grid.autofit = False  # a fixed layout: the widths below, not the text, size the columns
    for i, width in enumerate(widths):
        grid.columns[i].width = width  # the grid, which LibreOffice reads
    for tr in grid._tbl.tr_lst:  # each cell, which Word reads; a merged cell spans its columns
        first = 0
        for tc in tr.tc_lst:
            docx.table._Cell(tc, grid).width = Emu(sum(widths[first:first + tc.grid_span]))
            first += tc.grid_span
    whole = grid._tbl.tblPr.find(qn("w:tblW"))
    whole.set(qn("w:type"), "dxa")
    whole.set(qn("w:w"), str(Emu(sum(widths)).twips))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
