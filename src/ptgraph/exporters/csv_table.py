"""CSV for any exported table (Python's csv module, Excel's dialect, UTF-8).

A section row has its label in the first cell and the others empty, which
``ptgraph import table`` reads back as a section.
"""

from __future__ import annotations

import csv
import io

from ._table import Section, Table


def write(table: Table) -> bytes:
    """The table as CSV: a header row, then the rows; line ends are CRLF as the dialect says."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([c.name for c in table.columns])
    for row in table.rows:
        if isinstance(row, Section):
            writer.writerow([row.label] + [""] * (len(table.columns) - 1))
        else:
            writer.writerow([table.cell_text(v) for v in row])
    return out.getvalue().encode("utf-8")
