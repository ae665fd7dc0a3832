"""Exporters: a theory written in another program's format, one module each.

:data:`EXPORTERS` maps the name ``ptgraph export NAME`` takes to the function
that writes it: ``table`` (:func:`export_table`), ``codebook`` (a REFI-QDA
codebook, :mod:`.codebook`), ``graphml`` (the graph for Gephi and yEd,
:mod:`.graphml`), ``mermaid`` (a flowchart GitHub draws, :mod:`ptgraph.mermaid`) and
``jsonld`` (a vocabulary or a theory's mappings as JSON-LD with SKOS, :mod:`.jsonld`).
The paper's tables have two registries of their own: :data:`TABLES` (table name -> the
module function that builds a
:class:`._table.Table` from a theory) and :data:`FORMATS` (format name -> the
module function that writes any table as bytes); :func:`export_table` joins them.
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
#: Table name -> the options it takes (``ptgraph export table --by``, ``--detail``).
OPTIONS: dict[str, tuple[str, ...]] = {"cmocs": (), "evidence": ("by", "detail"), "sites": ()}
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
        ``by`` or ``detail`` for the evidence table (:data:`OPTIONS`); one at None or False
        is not given. One given to a table that does not take it is an error, never ignored.

    Raises
    ------
    UsageError
        An unknown table, format or option value, an option the table does not take, or
        ``by`` with ``detail``.
    """
    if table not in TABLES:
        raise UsageError(f"no table '{table}'; one of {', '.join(TABLES)}")
    if fmt not in FORMATS:
        raise UsageError(f"no format '{fmt}'; one of {', '.join(FORMATS)}")
    options = {k: v for k, v in options.items() if v is not None and v is not False}
    for name in options:
        if name not in OPTIONS[table]:
            takes = [t for t, names in OPTIONS.items() if name in names]
            raise UsageError(f"--{name} is for --table {' or '.join(takes) or 'none'}, not --table "
                             f"{table}: leave it out")
    if "by" in options and "detail" in options:
        raise UsageError("--by chooses the evidence matrix's columns, and --detail lists the quotes "
                         "instead of the matrix: give one of them")
    return FORMATS[fmt](TABLES[table](theory, **options))


from .codebook import export_codebook  # noqa: E402 - after export_table, which it does not need
from .graphml import export_graphml  # noqa: E402
from .jsonld import export_jsonld  # noqa: E402
from ..mermaid import export_mermaid  # noqa: E402 - the diff report draws with it too

#: Name ``ptgraph export NAME`` takes -> function(theory, ...) -> bytes.
EXPORTERS: dict[str, Callable[..., bytes]] = {
    "table": export_table,
    "codebook": export_codebook,
    "graphml": export_graphml,
    "mermaid": export_mermaid,
    "jsonld": export_jsonld,
}

__all__ = ["BINARY", "EXPORTERS", "FORMATS", "OPTIONS", "SUFFIXES", "TABLES", "export_codebook",
           "export_graphml", "export_jsonld", "export_mermaid", "export_table"]
