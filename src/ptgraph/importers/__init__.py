"""Importers: a team's existing theory, from the files it already keeps, as a draft theory.

One module per file format reads tables into cells (:mod:`._cells`);
:mod:`.table` turns those tables into CMOCs, areas and concepts. The registry
:data:`TABLE_READERS` maps a file suffix to its reader, as
:mod:`ptgraph.rules` and :mod:`ptgraph.queries` map names to modules.
"""

from __future__ import annotations

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

__all__ = ["TABLE_READERS"]
