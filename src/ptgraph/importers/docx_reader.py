"""Tables in a Word document (.docx): every table of the body, read by python-docx.

A cell's text is its paragraphs joined by line breaks; a cell is bold when
every run with text in it is bold. A cell merged across the whole row is a
section row; one merged down a column continues the cell above; any other
merge is reported at its row.
"""

from __future__ import annotations

import io
from pathlib import Path

from ._cells import Cell, RawRow, RawTable


def _bold(cell) -> bool:
    runs = [r for p in cell.paragraphs for r in p.runs if r.text.strip()]
    return bool(runs) and all(r.bold or (r.style is not None and r.style.font.bold) for r in runs)


def read(path: Path, data: bytes) -> list[RawTable]:
    """Every table in the body of a Word document, in order (nested tables are not read)."""
    import docx
    from docx.table import _Cell

    document = docx.Document(io.BytesIO(data))
    tables = []
    for n, table in enumerate(document.tables, start=1):
        width = len(table._tbl.tblGrid.gridCol_lst)
        raw = RawTable(f"table {n}")
        for r, tr in enumerate(table._tbl.tr_lst, start=1):
            row = RawRow(r, f"table {n}, row {r}", [])
            column = 0
            for tc in tr.tc_lst:
                span = tc.grid_span
                cell = _Cell(tc, table)
                if tc.vMerge == "continue":
                    row.merged_down |= {column}
                    row.cells.append(Cell(""))
                else:
                    row.cells.append(Cell(cell.text, _bold(cell)))
                if span > 1:
                    if len(tr.tc_lst) == 1 and span >= width > 1:
                        row.spans_row = True
                    else:
                        row.problem = (f"cells {column + 1}–{column + span} are merged; unmerge "
                                       "them (only a section row may span the whole table)")
                    row.cells.extend(Cell("") for _ in range(span - 1))
                column += span
            raw.rows.append(row)
        tables.append(raw)
    return tables
