"""Tables in a CSV file: one table, read by Python's csv module with the dialect sniffed.

Excel's "CSV UTF-8" (with a byte-order mark) is read; the separator is a
comma unless the first line has none and has semicolons (Excel in many
European locales) or tabs. A cell may hold line breaks inside quotes. A row's ``place`` is the
line it starts on.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ._cells import Cell, RawRow, RawTable


def read(path: Path, data: bytes) -> list[RawTable]:
    """The one table of a CSV file (see :func:`ptgraph.importers.markdown_reader.read`)."""
    text = data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = "," if "," in first else ";" if ";" in first else "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    table = RawTable("table 1")
    line = 1
    for record in reader:
        table.rows.append(RawRow(len(table.rows) + 1, str(line), [Cell(v) for v in record]))
        line = reader.line_num + 1
    return [table]
