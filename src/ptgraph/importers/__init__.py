"""Importers: what a team already keeps, read into the theory format, one module each.

:data:`IMPORTERS` maps the name ``ptgraph import NAME`` takes to the module that
reads it: ``table`` (a CMOC table, :mod:`.table`) and ``qdpx`` (coded evidence
from a REFI-QDA project, :mod:`.qdpx`). For tables, one module per file format
reads tables into cells (:mod:`._cells`), and :data:`TABLE_READERS` maps a file
suffix to its reader, as :mod:`ptgraph.rules` and :mod:`ptgraph.queries` map
names to modules.
"""

from __future__ import annotations

from types import ModuleType
from typing import Callable

from . import csv_reader, docx_reader, markdown_reader, xlsx_reader
from ._cells import RawTable

#: File suffix (lower case) -> function(path, data) returning the file's tables.
TABLE_READERS: dict[str, Callable[..., list[RawTable]]] = {
    ".csv": csv_reader.read,
    ".md": markdown_reader.read,
    ".markdown": markdown_reader.read,
    ".xlsx": xlsx_reader.read,
    ".xlsm": xlsx_reader.read,
    ".docx": docx_reader.read,
}



def _importers() -> dict[str, ModuleType]:
    # imported here: table and qdpx read TABLE_READERS and the cells from this package
    from . import qdpx, table
    return {"table": table, "qdpx": qdpx}


#: Name ``ptgraph import NAME`` takes -> the module that reads it.
IMPORTERS: dict[str, ModuleType] = _importers()

__all__ = ["IMPORTERS", "TABLE_READERS"]
