"""Tables in a markdown file (CommonMark with the GitHub table extension), read by markdown-it-py.

Every table in the file is read. A cell's text is what the reader sees:
backslash escapes and entities resolved, ``<br>`` as a line break. A cell
written wholly in bold (``**CMOCs on enrolment**``) is marked bold, which is
how a one-column table shows a section row.
"""

from __future__ import annotations

import re
from pathlib import Path

from ._cells import Cell, RawRow, RawTable

_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


#: Markup whose words are kept and whose marks are not, as a note names it.
_MARKUP = {"em_open": "emphasis", "code_inline": "code marks", "link_open": "a link's address",
           "image": "an image (its description kept)"}


def _cell(inline) -> Cell:
    parts: list[str] = []
    plain = bold = 0  # characters outside and inside bold
    depth = 0
    markup: list[str] = []
    for tok in inline.children or ():
        if tok.type in _MARKUP:
            markup.append(_MARKUP[tok.type])
        if tok.type == "strong_open":
            depth += 1
            continue
        if tok.type == "strong_close":
            depth -= 1
            continue
        if tok.type in ("text", "code_inline", "image"):
            text = tok.content
        elif tok.type in ("softbreak", "hardbreak"):
            text = "\n"
        elif tok.type == "html_inline":
            text = "\n" if _BREAK.fullmatch(tok.content.strip()) else tok.content
        else:  # the marks of emphasis and links: their words come as tokens of their own
            continue
        parts.append(text)
        if text.strip():
            if depth:
                bold += 1
            else:
                plain += 1
    whole_bold = bool(bold) and not plain
    if bold and not whole_bold:
        markup.append("bold")
    return Cell("".join(parts), bold=whole_bold, markup=tuple(dict.fromkeys(markup)))


def read(path: Path, data: bytes) -> list[RawTable]:
    """Every table of a markdown file.

    Parameters
    ----------
    path : Path
        For the tables' names only.
    data : bytes
        The file, UTF-8 (a byte-order mark is fine).

    Returns
    -------
    list of RawTable
        In file order; each row's ``place`` is its line number.
    """
    from markdown_it import MarkdownIt

    text = data.decode("utf-8-sig")
    md = MarkdownIt("commonmark").enable("table")
    tables: list[RawTable] = []
    row: RawRow | None = None
    for tok in md.parse(text):
        if tok.type == "table_open":
            tables.append(RawTable(f"table {len(tables) + 1}"))
        elif tok.type == "tr_open":
            line = tok.map[0] + 1 if tok.map else 0
            row = RawRow(len(tables[-1].rows) + 1, str(line), [])
            tables[-1].rows.append(row)
        elif tok.type == "inline" and row is not None:
            row.cells.append(_cell(tok))
        elif tok.type == "tr_close":
            row = None
    return tables
