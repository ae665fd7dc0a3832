"""Query rows as text: a table for people, JSON and CSV for machines."""

from __future__ import annotations

import csv
import io
import json
import shutil
import textwrap
from typing import Any, Iterable, Mapping

from ..errors import UsageError


def _cell(value: Any, list_sep: str = ", ") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return list_sep.join(_cell(v) for v in value)
    return str(value)


def format_rows(name: str, params: Mapping[str, Any], rows: list[dict], fmt: str = "table",
                columns: Iterable[str] = (), width: int | None = None,
                quiet: Iterable[str] = ()) -> str:
    """Rows as ``table`` (for people), ``json`` or ``csv`` text.

    JSON is ``{"query": NAME, "params": {...}, "rows": [...]}``; CSV joins
    list cells with ``;``. ``columns`` name the columns when there are no rows.
    The table leaves out the ``quiet`` columns that are empty (None, 0 or [])
    in every row; JSON and CSV keep every column.

    >>> print(format_rows("q", {}, [{"a": 1, "b": None}], quiet=["b"]), end="")
    a
    -
    1
    """
    if fmt == "json":
        return json.dumps({"query": name, "params": dict(params), "rows": list(rows)},
                          indent=2, ensure_ascii=False) + "\n"
    cols = list(rows[0]) if rows else list(columns)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(cols)
        writer.writerows([_cell(row[c], ";") for c in cols] for row in rows)
        return out.getvalue()
    if fmt != "table":
        raise UsageError(f"no output format '{fmt}'; one of table, json, csv")
    if not rows:
        return "(no rows)\n"
    silent = set(quiet)
    cols = [c for c in cols if c not in silent or any(
        row[c] not in (None, 0, []) or row[c] is False for row in rows)]
    return _table(cols, [[_cell(row[c]) for c in cols] for row in rows],
                  width or shutil.get_terminal_size((100, 24)).columns)


def _table(cols: list[str], cells: list[list[str]], width: int) -> str:
    """A plain text table that fits ``width``: the widest columns wrap first, at spaces only.

    No column gets narrower than its longest word, so an id is never cut in two
    (a copied id must be the id); a table of long ids may then be wider than ``width``.
    """
    gap = 2
    natural = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(cols)]
    widths = list(natural)
    room = max(width, 40) - gap * (len(cols) - 1)
    longest = [max([len(w) for r in cells for w in r[i].split()] + [0]) for i in range(len(cols))]
    floor = [min(w, max(len(c), 8, word)) for w, c, word in zip(natural, cols, longest)]
    while sum(widths) > room and any(w > f for w, f in zip(widths, floor)):
        i = max(range(len(cols)), key=lambda j: widths[j] - floor[j] if widths[j] > floor[j] else -1)
        widths[i] -= 1
    wrapped_any = widths != natural
    lines = []

    def put(parts: list[str]) -> None:
        wrapped = [textwrap.wrap(p, w, break_on_hyphens=False, break_long_words=False) or [""] for p, w in zip(parts, widths)]
        for k in range(max(len(w) for w in wrapped)):
            line = (" " * gap).join((w[k] if k < len(w) else "").ljust(widths[i])
                                    for i, w in enumerate(wrapped))
            lines.append(line.rstrip())

    put(cols)
    lines.append((" " * gap).join("-" * w for w in widths))
    for k, row in enumerate(cells):
        if wrapped_any and k:
            lines.append("")  # rows that wrap read better apart
        put(row)
    return "\n".join(lines) + "\n"
