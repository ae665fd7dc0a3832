"""A :class:`~ptgraph.diff.TheoryDiff` as text, markdown (a pull-request comment) or JSON.

Every format starts with the summary. Sections come in a fixed order (theory,
CMOCs, concepts, evidence, pathways, areas, sites, sources, queries), entries in file
order: added and modified as in the new version, removed as in the old one.
Markdown draws the changed part of the theory first, as a Mermaid flowchart that
GitHub renders in a pull-request comment (:func:`ptgraph.mermaid.diff_view`).

The JSON document (``version`` 1) has this shape; ``FIELDS`` is a
``{"field", "old", "new"}`` list, ``SECTION`` is ``{"added": [ENTRY],
"removed": [ENTRY], "modified": [{"id", "changes": FIELDS}]}`` and ENTRY is
``{"id", ...the section's fields}`` (see ``ptgraph.diff.FIELDS``)::

    {
      "version": 1,
      "old": {"side": "main:theory", "theory": "buy-in"},
      "new": {"side": "theory", "theory": "buy-in"},
      "changed": true,
      "summary": "1 CMOC refined, 1 evidence added",
      "theory": FIELDS,
      "cmocs": SECTION, "concepts": SECTION, "evidence": SECTION,
      "pathways": SECTION, "areas": SECTION, "sites": SECTION, "sources": SECTION,
      "status_moves": [{"cmoc", "old", "new"}],
      "relabelled": [{"concept", "old", "new"}],
      "replacements": [{"kind": "merge|split|rename|regroup", "old": [ids], "new": [ids],
                        "cmocs": [ids], "old_labels": [text], "new_labels": [text]}],
      "queries": {"chains": {"appear": [ROW], "disappear": [ROW]},
                  "conflicts": {"appear": [ROW], "disappear": [ROW]}},
      "notes": [text]
    }

Values are text, lists of ids, or null (a CMOC's context any one of which will
do is ``{"any": [ids]}``, as written); ``queries`` is null when not compared
(``--no-queries``); ROW is a row of the query as ``ptgraph query`` gives it
(a chain is the same row on both sides when its ``cmocs`` and ``concepts``
are; a conflict when its ``kind``, ``cmocs`` and ``concepts`` are). ``notes``
says when a query stopped early on a side, so its comparison is partial.
"""

from __future__ import annotations

import difflib
import json
from typing import Any, Callable

from .diff import SECTIONS, Change, TheoryDiff
from .mermaid import DIFF_KEY, MAX_DIFF_ARROWS, flowchart
from .schema import ANY, is_any

#: Fields whose lists are sets: shown as ids added and removed.
SET_FIELDS = frozenset({"evidence", "supports", "refutes", "opposes", "tags", "refines"})
#: Fields shown in a table row for an added or removed entry.
BRIEF = {"cmocs": ("area", "status", "context", "mechanism", "outcome", "statement"),
         "concepts": ("label",), "evidence": ("supports", "refutes", "participant", "quote"),
         "pathways": ("label", "steps"), "areas": ("label",), "sites": ("label",),
         "sources": ("type", "citation")}
TITLES = {"cmocs": "CMOCs", "concepts": "Concepts", "evidence": "Evidence",
          "pathways": "Pathways", "areas": "Areas", "sites": "Sites", "sources": "Sources"}
NOUNS = {"cmocs": "CMOC", "concepts": "concept", "evidence": "evidence", "pathways": "pathway",
         "areas": "area", "sites": "site", "sources": "source"}
#: A CMOC's evidence fields, shown together as one ``evidence`` change.
EVIDENCE_FIELDS = ("supported_by", "refuted_by")
REPLACEMENT_KINDS = ("merge", "split", "rename", "regroup")
#: Prose fields: markdown marks the words that changed.
TEXT_FIELDS = frozenset({"statement", "description", "quote", "notes", "title", "citation",
                         "confidence.rationale"})


def to_json(diff: TheoryDiff) -> dict:
    """The documented JSON shape (see the module docstring)."""
    def changes(items: Any) -> list[dict]:
        return [{"field": c.field, "old": c.old, "new": c.new} for c in items]

    doc: dict[str, Any] = {
        "version": 1,
        "old": {"side": diff.old_label, "theory": diff.old_theory},
        "new": {"side": diff.new_label, "theory": diff.new_theory},
        "changed": diff.changed,
        "summary": diff.summary(),
        "theory": changes(diff.theory),
    }
    for name in SECTIONS:
        s = diff.sections[name]
        doc[name] = {"added": s.added, "removed": s.removed,
                     "modified": [{"id": m.id, "changes": changes(m.changes)} for m in s.modified]}
    doc["status_moves"] = [{"cmoc": c.field, "old": c.old, "new": c.new} for c in diff.status_moves]
    doc["relabelled"] = [{"concept": c.field, "old": c.old, "new": c.new} for c in diff.relabelled]
    doc["replacements"] = [{"kind": r.kind, "old": list(r.old), "new": list(r.new),
                            "cmocs": list(r.cmocs), "old_labels": list(r.old_labels),
                            "new_labels": list(r.new_labels)} for r in diff.replacements]
    doc["queries"] = diff.queries
    doc["notes"] = diff.notes
    return doc


def format_json(diff: TheoryDiff) -> str:
    return json.dumps(to_json(diff), indent=2, ensure_ascii=False) + "\n"


# --- shared wording ---------------------------------------------------------------------------

def _set_delta(old: list | None, new: list | None) -> tuple[list, list]:
    old, new = old or [], new or []
    return [x for x in new if x not in old], [x for x in old if x not in new]


def _evidence_change(changes: tuple[Change, ...]) -> Change | None:
    """A CMOC's supported_by/refuted_by changes as one ``evidence`` change (refutes marked)."""
    old: list[str] = []
    new: list[str] = []
    for c in changes:
        if c.field in EVIDENCE_FIELDS:
            tag = "" if c.field == "supported_by" else " (refutes)"
            old += [f"{e}{tag}" for e in c.old or ()]
            new += [f"{e}{tag}" for e in c.new or ()]
    return Change("evidence", old, new) if old != new else None


def items(diff: TheoryDiff, name: str) -> list[tuple[str, str, Any, Any]]:
    """The rows of one section as ``(id, what, old, new)``, in report order.

    ``what`` is ``added`` (new = the entry), ``removed`` (old = the entry), a
    field name, or for concepts ``merge``/``split``/``rename``/``regroup``
    (id = the old ids, old = the :class:`~ptgraph.diff.Replacement`). A CMOC's status comes
    first among its changes, its evidence last.
    """
    s = diff.sections[name]
    out: list[tuple[str, str, Any, Any]] = []
    replaced: set[str] = set()
    if name == "concepts":  # a merge, split or rename stands for the ids it adds and removes
        out += [(", ".join(r.old), r.kind, r, None) for r in diff.replacements]
        replaced = diff.replaced_concepts()
    out += [(row["id"], "added", None, row) for row in s.added if row["id"] not in replaced]
    out += [(row["id"], "removed", row, None) for row in s.removed if row["id"] not in replaced]
    for m in s.modified:
        changes = sorted(m.changes, key=lambda c: c.field != "status")
        plain = [c for c in changes if c.field not in EVIDENCE_FIELDS or name != "cmocs"]
        evidence = _evidence_change(m.changes) if name == "cmocs" else None
        out += [(m.id, c.field, c.old, c.new) for c in plain + ([evidence] if evidence else [])]
    return out


def _row_parts(name: str, row: dict, code: Callable[[str], str], arrow: str) -> tuple[str, str]:
    """A query row as its CMOCs and the rest: a chain's linking concepts, a conflict's reason."""
    if name == "chains":
        return (f" {arrow} ".join(map(code, row["cmocs"])),
                "via " + ", ".join(map(code, row["concepts"])))
    return ", ".join(map(code, row["cmocs"])), f"{row['kind']} ({row['level']}): {row['reason']}"


# --- text -------------------------------------------------------------------------------------

def _text_value(field: str, value: Any) -> str:
    if value is None:
        return "(none)"
    if is_any(value):  # a context any one of which will do
        return "any of: " + _text_value(field, value[ANY])
    if isinstance(value, list):
        return (" -> " if field == "steps" else ", ").join(map(str, value)) or "(none)"
    return str(value)


def _text_entry(name: str, row: dict) -> str:
    return "; ".join(f"{f}: {_text_value(f, row[f])}" for f in BRIEF[name] if row.get(f))


def _text_item(name: str, id: str, what: str, old: Any, new: Any) -> list[str]:
    if what == "added":
        return [f"  + {id}  {_text_entry(name, new)}"]
    if what == "removed":
        return [f"  - {id}  {_text_entry(name, old)}"]
    if what in REPLACEMENT_KINDS:
        return [f"  {what}: {id} -> {', '.join(old.new)}  (in {', '.join(old.cmocs)})"]
    if what in SET_FIELDS:
        plus, minus = _set_delta(old, new)
        return [f"  ~ {id}  {what}: " + " ".join([f"+{x}" for x in plus] + [f"-{x}" for x in minus])]
    before, after = _text_value(what, old), _text_value(what, new)
    if len(before) + len(after) > 60:
        return [f"  ~ {id}  {what}:", f"      - {before}", f"      + {after}"]
    return [f"  ~ {id}  {what}: {before} -> {after}"]


def format_text(diff: TheoryDiff) -> str:
    """For a terminal: ``+`` added, ``-`` removed, ``~`` changed, one section after another."""
    lines = [f"ptgraph diff {diff.old_label} -> {diff.new_label}: {diff.summary()}"]
    if diff.theory:
        lines.append("Theory")
        for c in diff.theory:
            lines += _text_item("theory", diff.new_theory, c.field, c.old, c.new)
    for name in SECTIONS:
        block = [line for item in items(diff, name) for line in _text_item(name, *item)]
        if block:
            lines += [TITLES[name], *block]
    for name, rows in (diff.queries or {}).items():
        block = [f"  {sign} {name[:-1]}  " + "  ".join(_row_parts(name, r, str, "->"))
                 for sign, how in (("+", "appear"), ("-", "disappear")) for r in rows[how]]
        if block:
            lines += [f"Queries: {name}", *block]
    lines += [f"note: {n}" for n in diff.notes]
    return "\n".join(lines) + "\n"


# --- markdown ---------------------------------------------------------------------------------

def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def _code(text: str) -> str:
    """An id in code style; a CMOC's evidence link keeps its ``(refutes)`` outside."""
    id, sep, rest = text.partition(" (")
    return f"`{id}`" + (f" ({rest}" if sep else "")


def _md_value(field: str, value: Any) -> str:
    if value is None or value == [] or value == "":
        return ""
    if is_any(value):  # a context any one of which will do
        return "any of: " + _md_value(field, value[ANY])
    if isinstance(value, list):
        return (" → " if field == "steps" else ", ").join(_code(str(v)) for v in value)
    return _cell(str(value))


def _md_words(old: str, new: str) -> tuple[str, str]:
    """Two texts with the words that differ struck out (old) and in bold (new).

    >>> _md_words("a quick fox", "a slow fox")
    ('a ~~quick~~ fox', 'a **slow** fox')
    """
    a, b = old.split(), new.split()
    out_a, out_b = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        left, right = _cell(" ".join(a[i1:i2])), _cell(" ".join(b[j1:j2]))
        if op == "equal":
            out_a.append(left)
            out_b.append(right)
            continue
        if left:
            out_a.append(f"~~{left}~~")
        if right:
            out_b.append(f"**{right}**")
    return " ".join(out_a), " ".join(out_b)


def _md_entry(name: str, row: dict) -> str:
    return "<br>".join(f"{f}: {_md_value(f, row[f])}" for f in BRIEF[name] if row.get(f))


def _md_item(name: str, id: str, what: str, old: Any, new: Any) -> tuple[str, ...]:
    if what == "added":
        return (_code(id), "added", "", _md_entry(name, new))
    if what == "removed":
        return (_code(id), "removed", _md_entry(name, old), "")
    if what in REPLACEMENT_KINDS:
        return (", ".join(map(_code, old.old)), what, _cell(", ".join(old.old_labels)),
                ", ".join(f"{_code(i)} {_cell(label)}" for i, label in zip(old.new, old.new_labels))
                + "<br>in " + ", ".join(map(_code, old.cmocs)))
    if what in SET_FIELDS:
        plus, minus = _set_delta(old, new)
        return (_code(id), what, ", ".join(f"− {_code(x)}" for x in minus),
                ", ".join(f"+ {_code(x)}" for x in plus))
    if what == "status":
        return (_code(id), what, _md_value(what, old), f"**{_md_value(what, new)}**")
    if isinstance(old, str) and isinstance(new, str) and what in TEXT_FIELDS:
        return (_code(id), what, *_md_words(old, new))
    return (_code(id), what, _md_value(what, old), _md_value(what, new))


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    if not rows:
        return []
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(r) + " |" for r in rows), ""]


def _md_figure(diff: TheoryDiff) -> list[str]:
    """The changed part of the theory as a Mermaid block GitHub draws, with its key; a
    line instead when it is too large to read in a comment; nothing when no CMOC's
    arrows or concepts changed."""
    view = diff.view
    if view is None or not view.arrows:
        return []
    if len(view.arrows) > MAX_DIFF_ARROWS:
        return [f"*The changed part of the theory has {len(view.arrows)} arrows, too many for a "
                "figure here; `ptgraph render --diff` draws it.*", ""]
    return ["#### Changed part of the theory", "", "```mermaid", *flowchart(view).splitlines(),
            "```", "", f"*{DIFF_KEY}*", ""]


def format_markdown(diff: TheoryDiff) -> str:
    """A pull-request comment: the summary line first, then the changed part of the theory
    as a Mermaid figure (:func:`ptgraph.mermaid.diff_view`), then one table per section."""
    theory = (diff.new_theory if diff.old_theory == diff.new_theory
              else f"{diff.old_theory} → {diff.new_theory}")
    lines = [f"**ptgraph diff**: {diff.summary()}", "",
             f"Theory {_code(theory)}: {_code(diff.old_label)} → {_code(diff.new_label)}", "",
             *_md_figure(diff)]
    if diff.theory:
        rows = [_md_item("theory", diff.new_theory, c.field, c.old, c.new)[1:] for c in diff.theory]
        lines += ["#### Theory", "", *_table(("field", "old", "new"), rows)]
    for name in SECTIONS:
        rows = [_md_item(name, *item) for item in items(diff, name)]
        if rows:
            lines += [f"#### {TITLES[name]}", "", *_table((NOUNS[name], "change", "old", "new"), rows)]
    query_rows = [(name[:-1], how + "s", *map(_cell, _row_parts(name, r, _code, "→")))
                  for name, rows in (diff.queries or {}).items()
                  for how in ("appear", "disappear") for r in rows[how]]
    if query_rows:
        lines += ["#### Queries", "", *_table(("query", "change", "CMOCs", "details"), query_rows)]
    lines += [f"*Note: {_cell(n)}*" for n in diff.notes]
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


FORMATTERS: dict[str, Callable[[TheoryDiff], str]] = {
    "text": format_text,
    "markdown": format_markdown,
    "json": format_json,
}
