"""A table to export, whatever its format: columns, rows and the section rows between them.

The table modules (:mod:`.cmocs`, :mod:`.evidence`, :mod:`.sites`) build a
:class:`Table` from a theory; the format modules (markdown, CSV, Word, Excel,
LaTeX) write any :class:`Table`. Cells hold the theory's text as written or
numbers; each format escapes text its own way.
"""

from __future__ import annotations

import math
import re
import unicodedata
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
    rows: list[list[str | int | float] | Section] = field(default_factory=list)

    def cell_text(self, value: str | int | float | None) -> str:
        return "" if value is None else str(value)

    def drop_empty(self, *names: str) -> "Table":
        """The table without those of the columns ``names`` that hold nothing in any row: a
        column that would only be empty says nothing, or something false (a 0 that is no count).

        >>> t = Table("t", [Column("a"), Column("b")], [Section("s"), ["x", ""]])
        >>> [c.name for c in t.drop_empty("a", "b").columns], t.rows
        (['a'], [Section(label='s'), ['x']])
        """
        rows = [r for r in self.rows if not isinstance(r, Section)]
        gone = {i for i, c in enumerate(self.columns)
                if c.name in names and all(self.cell_text(r[i]) == "" for r in rows)}
        self.columns = [c for i, c in enumerate(self.columns) if i not in gone]
        self.rows = [r if isinstance(r, Section) else [v for i, v in enumerate(r) if i not in gone]
                     for r in self.rows]
        return self


#: Widths in em of Computer Modern Roman 10pt (cmr10), by class of character; bold (cmbx10) is
#: about 15% wider. An estimate for other fonts too: Times and Calibri are narrower.
_EM = {**dict.fromkeys("!',.:;[]_`ijl", 0.28), **dict.fromkeys("()-frstI|", 0.39),
       **dict.fromkeys("cez", 0.44), **dict.fromkeys("0123456789\"$*/?<>\\^{}~ago", 0.5),
       **dict.fromkeys("bdhknpquvxyJS", 0.56),
       **dict.fromkeys("EFLPZ", 0.69), **dict.fromkeys("#%mM", 0.84), **dict.fromkeys("W", 1.03)}
_BOLD = 1.15
#: A space, and room added to every estimate for what it leaves out (kerning, rounding).
_SPACE, _SLACK = 0.34, 0.15


def em_width(text: str, bold: bool = False) -> float:
    """The width in em of the widest line of ``text``, as Computer Modern sets it (an estimate).

    >>> em_width("ID"), em_width("ID", bold=True)
    (1.14, 1.31)
    """
    def one(ch: str) -> float:
        if ch in _EM:
            return _EM[ch]
        if ch.isspace():
            return _SPACE
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            return 0.0  # combining marks, zero-width characters
        if unicodedata.east_asian_width(ch) in "WF":
            return 1.0  # CJK, emoji
        return 0.75 if ch.isupper() else 0.56
    return round(max((sum(map(one, line)) for line in text.splitlines() or [""]), default=0.0)
                 * (_BOLD if bold else 1.0), 2)


def word_width(text: str, bold: bool = False) -> float:
    """The width in em of the widest word of ``text``: the narrowest a wrapped column can be."""
    return max((em_width(w, bold) for w in text.split()), default=0.0)


def _fit(want: list[float], least: list[float], room: float) -> list[float]:
    """Widths summing to ``room`` where they can: each column what it wants when all fit, else
    the widest cut down to one cap, none below its least (so the sum may exceed ``room``)."""
    if sum(want) <= room or not want:
        return list(want)
    if sum(least) >= room:
        return list(least)
    low, high = 0.0, max(want)
    for _ in range(60):
        cap = (low + high) / 2
        if sum(max(f, min(w, cap)) for w, f in zip(want, least)) > room:
            high = cap
        else:
            low = cap
    return [max(f, min(w, low)) for w, f in zip(want, least)]


def column_widths(table: "Table", room: float, wider: float = 1.0, wide_share: float = 0.4,
                  hyphen: float | None = None) -> list[float]:
    """Each column's width in em for a table whose cells have ``room`` em in all, as their
    content asks, set in a font up to ``wider`` times as wide as Computer Modern: ids and
    counts as wide as their widest cell or header (bold), long-text columns
    (:attr:`Column.wide`) the rest, and at least ``wide_share`` of the room unless their text
    is shorter. A column is never narrower than its widest word (a long-text column, where
    words may be hyphenated, than ``hyphen`` em if that is less), so the sum may exceed
    ``room``.

    >>> t = Table("t", [Column("ID"), Column("Statement", wide=True)], [["A1", "a long text " * 20]])
    >>> column_widths(t, 30.0)
    [1.46, 28.54]
    """
    want, least = [], []
    for i, column in enumerate(table.columns):
        cells = [table.cell_text(row[i]) for row in table.rows if not isinstance(row, Section)]
        want.append(max([em_width(column.name, bold=True)] + [em_width(c) for c in cells]) * wider
                    + _SLACK)
        least.append(max([word_width(column.name, bold=True)] + [word_width(c) for c in cells])
                     * wider + _SLACK)
    wide = [i for i, c in enumerate(table.columns) if c.wide]
    rest = [i for i, c in enumerate(table.columns) if not c.wide]
    if hyphen is not None:
        least = [min(f, hyphen + _SLACK) if i in wide else f for i, f in enumerate(least)]
    keep = min(sum(want[i] for i in wide), max(sum(least[i] for i in wide), room * wide_share)) \
        if wide else 0.0
    out = [0.0] * len(table.columns)
    for i, w in zip(rest, _fit([want[i] for i in rest], [least[i] for i in rest], room - keep)):
        out[i] = w
    for i, w in zip(wide, _fit([want[i] for i in wide], [least[i] for i in wide],
                               room - sum(out[i] for i in rest))):
        out[i] = w
    return [math.floor(w * 100) / 100 for w in out]  # rounded down: the sum stays in room
