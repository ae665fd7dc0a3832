"""Problems found in theory files, and the formats they are reported in.

A :class:`Problem` is immutable and sorts by place, so reports are stable.
Formats are chosen by name: ``text`` for people, ``json`` for machines and
``github`` for workflow annotations that show inline in a pull request.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Callable, Iterable

ERROR = "error"
WARNING = "warning"
INFO = "info"
LEVELS = (ERROR, WARNING, INFO)


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """One finding: where it is, which rule found it, and what to do about it.

    ``line`` and ``col`` are 1-based; 0 means "the whole file".
    """

    path: str
    line: int
    col: int
    code: str
    message: str
    level: str = ERROR
    rule: str = ""

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


#: Characters that would break one problem per line, or not show, in a terminal.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _printable(text: str) -> str:
    r"""Text with control characters and line separators written as escapes.

    >>> _printable("key 'a\nb' and 'c\u2028d'")
    "key 'a\\nb' and 'c\\u2028d'"
    """
    return _UNPRINTABLE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), text)


def format_text(problems: Iterable[Problem]) -> str:
    """``path:line:col: CODE message`` one per line, as compilers and linters print.

    Control characters and line separators in paths and messages (an id holding a
    newline, say) are written as escapes, so that every problem stays one line.
    """
    lines = []
    for p in problems:
        where = f"{p.path}:{p.line}:{p.col}" if p.line else p.path
        suffix = "" if p.level == ERROR else f" ({p.level})"
        lines.append(_printable(f"{where}: {p.code} {p.message}{suffix}"))
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(problems: Iterable[Problem]) -> str:
    """A JSON document: ``{"version": 1, "problems": [...], "summary": {...}}``.

    Each problem has the keys ``path``, ``line``, ``col``, ``code``, ``rule``,
    ``level`` and ``message``; the summary counts problems by level.
    """
    items = [asdict(p) for p in problems]
    summary = {level: sum(1 for p in items if p["level"] == level) for level in LEVELS}
    keys = ("path", "line", "col", "code", "rule", "level", "message")
    doc = {"version": 1, "problems": [{k: p[k] for k in keys} for p in items], "summary": summary}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _gh_escape(text: str, prop: bool = False) -> str:
    # The escapes GitHub's workflow-command parser expects.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(problems: Iterable[Problem]) -> str:
    """GitHub Actions annotations: ``::error file=..,line=..,col=..,title=..::message``."""
    kinds = {ERROR: "error", WARNING: "warning", INFO: "notice"}
    lines = []
    for p in problems:
        props = [f"file={_gh_escape(p.path, True)}"]
        if p.line:
            props += [f"line={p.line}", f"col={p.col}"]
        props.append(f"title={_gh_escape(f'{p.code} {p.rule}'.strip(), True)}")
        lines.append(f"::{kinds[p.level]} {','.join(props)}::{_gh_escape(p.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


FORMATTERS: dict[str, Callable[[Iterable[Problem]], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
}
