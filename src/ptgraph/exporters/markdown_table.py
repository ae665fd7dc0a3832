"""Markdown (GitHub-flavoured pipe table) for any exported table.

Section rows are a bold first cell with the others empty, which ``ptgraph
import table`` reads back as a section. Every cell goes through
:func:`escape_markdown`, so a statement reads back exactly as written.
"""

from __future__ import annotations

import re

from ._table import Section, Table

#: ASCII punctuation that CommonMark may read as markup inside a table cell.
_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~!#])")
_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x85\u2028\u2029]")


def escape_markdown(text: str) -> str:
    r"""Text for a markdown table cell: markup characters backslash-escaped, line breaks as
    ``<br>``, so a CommonMark reader shows (and reads back) the text as written.

    >>> escape_markdown("a|b *c* <d> 1_2 \\ x\ny")
    'a\\|b \\*c\\* \\<d\\> 1\\_2 \\\\ x<br>y'
    """
    return _BREAKS.sub("<br>", _SPECIAL.sub(r"\\\1", text))


def write(table: Table) -> bytes:
    """The table as markdown, UTF-8, one row per line."""
    head = [escape_markdown(c.name) for c in table.columns]
    lines = ["| " + " | ".join(head) + " |",
             "| " + " | ".join("---:" if c.number else "---" for c in table.columns) + " |"]
    for row in table.rows:
        if isinstance(row, Section):
            cells = [f"**{escape_markdown(row.label)}**"] + [""] * (len(table.columns) - 1)
        else:
            cells = [escape_markdown(table.cell_text(v)) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return ("\n".join(lines) + "\n").encode("utf-8")
