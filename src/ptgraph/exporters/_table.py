"""A table to export, whatever its format: columns, rows and the section rows between them.

The table modules (:mod:`.cmocs`, :mod:`.evidence`, :mod:`.sites`) build a
:class:`Table` from a theory; the format modules (markdown, CSV, Word, Excel,
LaTeX) write any :class:`Table`. Cells hold the theory's text as written or
whole numbers; each format escapes text its own way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Characters an XML file (Word, Excel) cannot hold: C0 controls but tab and line breaks.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    r"""Text for a Word or Excel file: each character XML cannot hold shown as ``\xNN``.

    >>> xml_safe("a\x01b")
    'a\\x01b'
    """
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02X}", text)


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header, whether it holds long text (wrapped), and whether it holds counts."""

    name: str
    wide: bool = False
    number: bool = False


@dataclass(frozen=True, slots=True)
class Section:
    """A row spanning the table that heads the rows below it (an area, as in the paper's Table 4)."""

    label: str


@dataclass(slots=True)
class Table:
    """``columns`` and ``rows``: each row a list of cells (one per column) or a :class:`Section`."""

    name: str
    columns: list[Column]
    rows: list[list[str | int] | Section] = field(default_factory=list)

    def cell_text(self, value: str | int | None) -> str:
        return "" if value is None else str(value)
