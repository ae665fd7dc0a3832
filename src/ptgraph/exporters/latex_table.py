"""LaTeX for any exported table: a booktabs ``longtable`` that breaks across pages.

The header row repeats on every page. Every column is a paragraph column: ids, counts
and short text are as wide as their widest cell or header (in em, so they follow the
document's font size), and long-text columns share what ``\\linewidth`` leaves, so the
table fits the text width; text is ragged right, counts right-aligned. A section row
is a bold ``\\multicolumn`` across the table. Every cell goes through
:func:`escape_latex`, which keeps the text as written. The leading comment says which
packages to load (``longtable``, ``booktabs``, ``array``), where a caption goes, and
whether pdflatex can typeset the table's characters or it needs LuaLaTeX or XeLaTeX.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from . import _pdflatex
from ._table import Section, Table, column_widths, em_width

_LATEX = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "%": r"\%", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}", '"': r"\textquotedbl{}",
    "\t": " ",
}
_LATEX_RE = re.compile(r"\r\n|[\\{}$&#%_^~<>|\"\t\n\r\v\f\x85\u2028\u2029]|[\x00-\x08\x0e-\x1f\x7f]")


def escape_latex(text: str) -> str:
    r"""Text as LaTeX shows it as written: every special character escaped, line
    breaks as ``\newline``, any other control character as a visible ``\textbackslash{}xNN``.

    >>> print(escape_latex(r"50% of {a_b} & $x^2$ ~ #1 \ <i>"))
    50\% of \{a\_b\} \& \$x\textasciicircum{}2\$ \textasciitilde{} \#1 \textbackslash{} \textless{}i\textgreater{}
    """
    def one(m: re.Match) -> str:
        ch = m.group()
        if ch in _LATEX:
            return _LATEX[ch]
        if ch in ("\r\n", "\n", "\r", "\v", "\f", "\x85", "\u2028", "\u2029"):
            return r"\newline{}"
        return rf"\textbackslash{{}}x{ord(ch):02X}"
    return _LATEX_RE.sub(one, text)


#: The text widths a table is sized for, in em: portrait, then landscape (``pdflscape``) for a
#: table too wide for it. An article at 10, 11 or 12pt is as wide or wider (34.5, 32.9 and
#: 32.5em; landscape 55, 49 and 44.7em), and long-text columns take whatever is left.
TEXT_EM, LANDSCAPE_EM = 32.5, 44.0
#: Widths are sized for a font up to this much wider than Computer Modern (Times is narrower,
#: Palatino about 10% wider; DejaVu Serif's longest ids and headers fit too).
WIDER = 1.1
#: ``2\tabcolsep`` in em at 10pt (6pt each side), between two columns.
GAP_EM = 1.2
#: The narrowest a long-text column gets, in em, words hyphenated (its first one too).
HYPHEN_EM = 4.0
#: Characters named in the comment, at most.
SHOWN = 8


def _em(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + "em"


@dataclass
class _Layout:
    """Each column's ``p{}`` width (and in em), the table's whole width, the room its cells
    had, whether long-text columns take what \\linewidth leaves, and the page it is sized for."""

    widths: list[str]
    ems: list[float]
    whole: str
    room: float
    fills: bool
    landscape: bool
    overflows: bool


def _layout(table: Table) -> _Layout:
    n = len(table.columns)
    for text in (TEXT_EM, LANDSCAPE_EM):
        room = text - GAP_EM * (n - 1)
        widths = column_widths(table, room, wider=WIDER, hyphen=HYPHEN_EM)
        if sum(widths) <= room + 0.05:
            break
    overflows = sum(widths) > room + 0.05
    gaps = rf"{2 * (n - 1)}\tabcolsep" if n > 1 else ""
    wide = [i for i, c in enumerate(table.columns) if c.wide]
    fixed = sum(w for i, w in enumerate(widths) if i not in wide)
    fills = bool(wide) and not overflows and sum(widths) >= room - 0.05
    out = []
    for i, w in enumerate(widths):
        if i in wide and fills:  # what the others leave of \linewidth
            rest = rf"\linewidth-{_em(fixed)}" + (f"-{gaps}" if gaps else "")
            share = math.floor(w / sum(widths[j] for j in wide) * 10**4) / 10**4  # sum <= 1
            out.append(rf"\dimexpr {rest}\relax" if len(wide) == 1
                       else rf"{share:.4f}\dimexpr {rest}\relax")
        else:
            out.append(_em(w))
    whole = r"\linewidth" if fills else \
        rf"\dimexpr {_em(sum(widths))}" + (f"+{gaps}" if gaps else "") + r"\relax"
    return _Layout(out, widths, whole, room, fills, text == LANDSCAPE_EM, overflows)


def _characters(table: Table) -> list[str]:
    """What the leading comment says of the table's characters and the engine they need."""
    where: dict[str, list[str]] = {}  # a character pdflatex's default setup lacks -> its rows
    for place, texts in [("the header", [c.name for c in table.columns])] + [
            (row.label, [row.label]) if isinstance(row, Section)
            else (table.cell_text(row[0]), [table.cell_text(v) for v in row]) for row in table.rows]:
        place = " ".join(place.split())[:30]  # one line of a comment
        for ch in "".join(texts):
            if _pdflatex.covered(_pdflatex.OT1, ch) or \
                    _LATEX_RE.fullmatch(ch) and ch not in _pdflatex.T1_ASCII:
                continue  # typeset, or escaped to what is (a control character as \xNN)
            if place not in where.setdefault(ch, []):
                where[ch].append(place)
    beyond = [ch for ch in where if not _pdflatex.covered(_pdflatex.T1, ch)]
    t1 = [ch for ch in where if ch not in beyond]

    def names(chars: list[str]) -> str:
        shown = [f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')} (in "
                 f"{', '.join(where[ch][:3])}{', ...' if len(where[ch]) > 3 else ''})"
                 for ch in chars[:SHOWN]]
        more = len(chars) - SHOWN
        return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")

    if beyond:
        return [f"% pdflatex cannot typeset {names(beyond)}.",
                r"% Compile with LuaLaTeX or XeLaTeX and \usepackage{fontspec}, with a main font that "
                r"has them (\setmainfont{...}; emoji need an emoji font)."]
    if t1:
        return [rf"% pdflatex needs \usepackage[T1]{{fontenc}} for {names(t1)}; LuaLaTeX and XeLaTeX "
                "need none."]
    return ["% Its characters typeset with pdflatex, LuaLaTeX or XeLaTeX, as UTF-8."]


def _comment(table: Table, layout: _Layout) -> list[str]:
    wide = [c.name or "the long-text column" for c in table.columns if c.wide]
    lines = [f"% ptgraph export table: the {table.name} table, a longtable that breaks across "
             "pages and repeats its header on each.",
             r"% Needs \usepackage{longtable,booktabs,array}. \input it where the table goes, "
             "outside any table float;",
             r"% a caption goes on the line after \begin{longtable}: \caption{...}\label{...}\\",
             f"% Columns: {', '.join(wide)} take{'s' * (len(wide) == 1)} what the others, sized to "
             "their content in em, leave of \\linewidth." if layout.fills else
             "% Columns are sized to their content in em."]
    if layout.landscape:
        lines.append(f"% Too wide for a portrait page ({TEXT_EM:g}em): set it in landscape, "
                     r"\usepackage{pdflscape} and \begin{landscape}\input{...}\end{landscape}.")
    if layout.overflows:
        lines.append(f"% It may be too wide even so: its columns at their longest word (estimated) "
                     f"come to {_em(sum(layout.ems))}, more than the {_em(layout.room)} a "
                     f"{LANDSCAPE_EM:g}em text leaves them; a smaller font "
                     r"({\small\input{...}}) fits more.")
    return lines + _characters(table)


def write(table: Table) -> bytes:
    """The table as a booktabs ``longtable`` with a leading comment, UTF-8."""
    n = len(table.columns)
    layout = _layout(table)
    align = [r"\raggedleft" if c.number else r"\raggedright" for c in table.columns]
    spec = "".join(rf">{{{a}\arraybackslash\hspace{{0pt}}}}p{{{w}}}"
                   for a, w in zip(align, layout.widths))
    lines = _comment(table, layout) + [rf"\begin{{longtable}}{{@{{}}{spec}@{{}}}}"]
    head = [r"\toprule",
            " & ".join(rf"\textbf{{{escape_latex(c.name)}}}" for c in table.columns) + r" \\",
            r"\midrule"]
    # no \endfoot: with one, a page break among the last rows can leave the last page
    # without its head (longtable 4.17); the bottom rule is the last row instead
    lines += head + [r"\endfirsthead"] + head + [r"\endhead"]
    for row in table.rows:
        if isinstance(row, Section):
            label = rf"\textbf{{{escape_latex(row.label)}}}"
            fits = em_width(row.label, bold=True) <= sum(layout.ems) + GAP_EM * (n - 1)
            cell = r"@{}l@{}" if fits else \
                rf"@{{}}>{{\raggedright\arraybackslash}}p{{{layout.whole}}}@{{}}"
            lines.append(rf"\multicolumn{{{n}}}{{{cell}}}{{{label}}} \\*")  # no page break after
        else:
            lines.append(" & ".join(escape_latex(table.cell_text(v)) for v in row) + r" \\")
    lines += [r"\bottomrule", r"\end{longtable}"]
    return ("\n".join(lines) + "\n").encode("utf-8")
