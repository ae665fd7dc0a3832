"""What every table reader hands to the importer: tables of rows of cells, with places.

A reader knows its file format (markdown, CSV, Excel, Word) and nothing about
CMOCs; :mod:`ptgraph.importers.table` knows CMOCs and nothing about formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: its text as written (line breaks kept), whether all of it is bold, and
    the markup read as plain text (``("emphasis", "a link's address")``), for a note."""

    text: str
    bold: bool = False
    markup: tuple[str, ...] = ()


@dataclass(slots=True)
class RawRow:
    """One row of a table.

    ``place`` says where the row is for messages: a line number (``"12"``) for
    text formats, ``"sheet 'CMOCs', row 5"`` or ``"table 1, row 5"`` otherwise.
    ``spans_row`` is true when one merged cell spans the whole width (a section
    row in Word or Excel); ``problem`` says why the reader could not take the
    row as it is (cells merged in another way).
    """

    number: int
    place: str
    cells: list[Cell]
    spans_row: bool = False
    problem: str | None = None
    #: Columns whose cell continues a cell merged down from the row above.
    merged_down: frozenset[int] = frozenset()


@dataclass(slots=True)
class RawTable:
    """One table of a file: ``name`` (``"table 2"``, ``"sheet 'CMOCs'"``) and its rows, header first."""

    name: str
    rows: list[RawRow] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(r.cells) for r in self.rows), default=0)
