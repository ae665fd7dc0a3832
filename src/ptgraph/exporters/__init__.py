"""Exporters: a theory's tables for the paper, in the formats a team writes in.

Two registries: :data:`TABLES` (table name -> the module function that builds a
:class:`._table.Table` from a theory) and :data:`FORMATS` (format name -> the
module function that writes any table as bytes). :func:`export_table` joins them.
"""

from __future__ import annotations

from typing import Callable

from ..errors import UsageError
from ..model import Theory
from . import cmocs, csv_table, docx_table, evidence, latex_table, markdown_table, sites, xlsx_table
from ._table import Table

#: Table name -> function(theory, **options) -> Table.
TABLES: dict[str, Callable[..., Table]] = {
    "cmocs": cmocs.build,
    "evidence": evidence.build,
    "sites": sites.build,
}
#: Format name -> function(table) -> bytes.
FORMATS: dict[str, Callable[[Table], bytes]] = {
    "markdown": markdown_table.write,
    "csv": csv_table.write,
    "docx": docx_table.write,
    "xlsx": xlsx_table.write,
    "latex": latex_table.write,
}
#: Formats that are not text, so are written to a file only.
BINARY = ("docx", "xlsx")
#: File suffix -> format, for ``-o FILE`` without ``--format``.
SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".csv": "csv", ".docx": "docx",
            ".xlsx": "xlsx", ".tex": "latex"}


def export_table(theory: Theory, table: str, fmt: str, **options: object) -> bytes:
    """One table of a theory in one format.

    Parameters
    ----------
    theory : Theory
        A theory that passes ``check``.
    table : str
        A name of :data:`TABLES`.
    fmt : str
        A name of :data:`FORMATS`.
    **options
        ``by`` and ``detail`` for the evidence table.

    Raises
    ------
    UsageError
        An unknown table, format or option value.
    """
    if table not in TABLES:
        raise UsageError(f"no table '{table}'; one of {', '.join(TABLES)}")
    if fmt not in FORMATS:
        raise UsageError(f"no format '{fmt}'; one of {', '.join(FORMATS)}")
    return FORMATS[fmt](TABLES[table](theory, **options))


__all__ = ["BINARY", "FORMATS", "SUFFIXES", "TABLES", "export_table"]
