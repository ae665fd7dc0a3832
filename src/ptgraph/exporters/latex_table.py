"""LaTeX (a booktabs ``tabular``) for any exported table.

Long-text columns are ``p{}`` columns sharing the text width, counts are
right-aligned, and a section row is a bold ``\\multicolumn`` across the table.
Every cell goes through :func:`escape_latex`. Needs ``\\usepackage{booktabs}``
(and ``array`` for the ``p`` columns' alignment, which LaTeX loads itself).
"""

from __future__ import annotations

import re

from ._table import Section, Table

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


def write(table: Table) -> bytes:
    """The table as a booktabs ``tabular``, UTF-8."""
    wide = sum(c.wide for c in table.columns)
    spec = "".join(rf"p{{{0.6 / wide:.2f}\linewidth}}" if c.wide else "r" if c.number else "l"
                   for c in table.columns)
    n = len(table.columns)
    lines = [rf"\begin{{tabular}}{{@{{}}{spec}@{{}}}}", r"\toprule",
             " & ".join(rf"\textbf{{{escape_latex(c.name)}}}" for c in table.columns) + r" \\",
             r"\midrule"]
    for row in table.rows:
        if isinstance(row, Section):
            lines.append(rf"\multicolumn{{{n}}}{{@{{}}l}}{{\textbf{{{escape_latex(row.label)}}}}} \\")
        else:
            lines.append(" & ".join(escape_latex(table.cell_text(v)) for v in row) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}"]
    return ("\n".join(lines) + "\n").encode("utf-8")
