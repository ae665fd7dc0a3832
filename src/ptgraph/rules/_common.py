"""Helpers shared by the rule modules."""

from __future__ import annotations

import difflib
import os
from typing import Any, Iterable, Iterator

from ..loader import Document
from ..model import iter_entries
from ..schema import Section, entry_fields

Where = tuple[str, int, int]


def file_issues(ctx, *kinds: str) -> Iterator[tuple[Where, str]]:
    """Report the loader's issues of the given kinds as they are."""
    for issue in ctx.issues(*kinds):
        yield (issue.path, issue.line, issue.col), issue.message


def cycles(pairs: list[tuple[str, str]]) -> list[list[str]]:
    """The cycles of a directed relation (refines, broader): the sorted members of each
    strongly connected component of two or more, or of one that points at itself.

    >>> cycles([("a", "b"), ("b", "a"), ("c", "c"), ("c", "d")])
    [['a', 'b'], ['c']]
    """
    if not pairs:
        return []
    import networkx as nx  # only when needed: importing it costs more than checking a theory

    graph = nx.DiGraph(pairs)
    found = [sorted(c) for c in nx.strongly_connected_components(graph)]
    return sorted(c for c in found if len(c) > 1 or graph.has_edge(c[0], c[0]))


def at(doc: Document, *keys: Any) -> Where:
    line, col = doc.mark(*keys)
    return (doc.path, line, col)


def nearest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or '' when nothing is close."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def describe(value: Any) -> str:
    """A short description of a YAML value's type for messages."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__  # pragma: no cover


def entries(ctx, section: Section | None = None) -> Iterator[tuple[Section, Document, str, Any, dict]]:
    """Every entry of every section of the directory's format (or of one section):
    ``(section, doc, id, raw, fields)``.

    ``fields`` is the entry as a mapping (the string shorthand expanded, or
    empty when the entry has the wrong type).
    """
    for sec in (section,) if section else ctx.format.sections.values():
        for doc, key, raw in iter_entries(ctx.documents, sec.name):
            yield sec, doc, key, raw, entry_fields(sec, raw)


def manifest_doc(ctx) -> Document | None:
    """The parsed manifest (``theory.yaml``, ``vocabulary.yaml``) of the directory, if it parsed."""
    path = os.path.normpath(os.path.join(ctx.files.root, ctx.format.manifest))
    return next((d for d in ctx.documents if d.path == path), None)


def maps(fields: dict, mapping: dict, keys: tuple, what: str) -> Iterator[tuple[dict, dict, tuple, str]]:
    """The nested mappings of an entry (``confidence``, ``confidence.components``):
    ``(their fields, the mapping as written, its keys, its name for messages)``, the
    name as ``'confidence.components' of CMOC 'X'`` (``what`` names the entry)."""
    def walk(fields: dict, mapping: dict, keys: tuple, path: str):
        for name, f in fields.items():
            value = mapping.get(name)
            if f.kind == "map" and isinstance(value, dict):
                dotted = f"{path}.{name}" if path else name
                yield f.fields or {}, value, keys + (name,), f"'{dotted}' of {what}"
                yield from walk(f.fields or {}, value, keys + (name,), dotted)

    yield from walk(fields, mapping, keys, "")
