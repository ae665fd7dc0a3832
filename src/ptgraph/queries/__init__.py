"""Named queries over a theory's graph, for the embedded engine (networkx).

One module per query, named as its Cypher twin ``queries/NAME.cypher`` (as the
check rules have one module per rule). Each query is a plain function over
the graph of :func:`ptgraph.graph.build_graph` that returns rows: flat dicts of
strings, whole numbers, booleans, ``None`` and lists of those. Rows come in a
total order that a Cypher ``ORDER BY`` can also state, and ``limit`` applies
after that order, so the Neo4j twin of each query returns the very same rows
(run by ``ptgraph query NAME --neo4j``, :mod:`ptgraph.twins`). The definitions
are in ``docs/graph-model.md``.

:data:`QUERIES` is the registry the command line reads; :func:`run_query` runs
one by name with parameters given as text (``--param max_length=4``).
"""

from __future__ import annotations

import functools
import json
import textwrap
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import networkx as nx

from ..errors import UsageError
from ..gcpause import collector_paused
from ..rules._common import nearest
from ._common import DEFAULT_BUDGET, MAX_LENGTH, Rows, example_graph, explain_reach
from ._format import _cell, format_rows
from .bridges import bridges, explain_bridges
from .chains import chains, explain_chains
from .conflicts import CONFLICT_KINDS, conflicts, describe_conflict, explain_conflicts
from .contrasts import contrasts, describe_contrast, explain_contrasts
from .downstream import downstream
from .evidence import evidence
from .hubs import hubs
from .paths import explain_paths, paths
from .upstream import upstream


@dataclass(frozen=True)
class Param:
    """One query parameter as the command line takes it (``--param name=value``)."""

    type: type  # int, str or bool
    default: Any
    help: str
    required: bool = False
    keyword: str | None = None  # the function's keyword, when it differs from the name


@dataclass(frozen=True)
class Query:
    """A named query: its function, a one-line description, parameters and columns."""

    name: str
    func: Callable[..., Rows]
    description: str
    params: dict[str, Param] = field(default_factory=dict)
    columns: tuple[str, ...] = ()
    #: Why the query found no rows, one line for people (same parameters as ``func``).
    explain: Callable[..., str] | None = None
    #: Columns the table for people leaves out when no row has anything in them (None,
    #: 0 or []): columns added later, so that older theories print as they did.
    quiet: tuple[str, ...] = ()

    def parse(self, raw: Mapping[str, str]) -> dict[str, Any]:
        """Typed parameters from text, every parameter present (defaults filled in)."""
        unknown = [k for k in raw if k not in self.params]
        if unknown:
            valid = ", ".join(self.params) or "none"
            raise UsageError(f"query {self.name} has no parameter '{unknown[0]}'"
                             f"{nearest(unknown[0], self.params)}; its parameters: {valid}")
        out = {}
        for name, p in self.params.items():
            if name not in raw:
                if p.required:
                    raise UsageError(f"query {self.name} needs --param {name}=... ({p.help})")
                out[name] = p.default
            else:
                out[name] = _parse_value(name, p.type, raw[name])
        return out

    def kwargs(self, parsed: Mapping[str, Any]) -> dict[str, Any]:
        """Parsed parameters as the function's keywords."""
        return {self.params[k].keyword or k: v for k, v in parsed.items()}

    def run(self, G: nx.MultiDiGraph, parsed: Mapping[str, Any], *, explain: bool = False) -> Rows:
        """Run on parsed parameters (as from :meth:`parse`).

        With ``explain``, an empty answer gets a note saying why (:meth:`why_empty`),
        as the command line prints it; figures and diffs word their own.
        """
        with collector_paused():  # a search allocates many short-lived objects over a large graph
            rows = self.func(G, **self.kwargs(parsed))
        if explain:
            self.why_empty(G, parsed, rows)
        return rows

    def why_empty(self, G: nx.MultiDiGraph, parsed: Mapping[str, Any], rows: Rows) -> Rows:
        """Add to ``rows.notes`` why there are no rows, when there are none and no other note.

        Shared by both engines: with ``--neo4j``, ``G`` is the stored theory read back.
        """
        if self.explain is not None and not rows and not rows.notes:
            rows.notes.append(self.explain(G, **self.kwargs(parsed)))
        return rows


def _parse_value(name: str, kind: type, text: str) -> Any:
    if kind is int:
        try:
            return int(text)
        except ValueError:
            raise UsageError(f"parameter {name} must be a whole number, not '{text}'") from None
    if kind is bool:
        word = text.strip().lower()
        if word in ("true", "yes", "1", "on"):
            return True
        if word in ("false", "no", "0", "off"):
            return False
        raise UsageError(f"parameter {name} must be true or false, not '{text}'")
    if not text:
        raise UsageError(f"parameter {name} is empty")
    return text


_LIMIT = Param(int, None, "at most this many rows")


QUERIES: dict[str, Query] = {q.name: q for q in (
    Query("chains", chains,
          "Causal chains across CMOCs: an outcome or mechanism of one is a context of the next.", {
              "from": Param(str, None, "first CMOC, or a concept in its context", keyword="source"),
              "to": Param(str, None, "last CMOC, or a concept in its outcome or mechanism",
                          keyword="target"),
              "max_length": Param(int, 6, f"most CMOCs in a chain (2-{MAX_LENGTH})"),
              "limit": _LIMIT,
          }, ("cmocs", "concepts", "areas", "length", "cycle", "truncated"), explain_chains),
    Query("paths", paths,
          "Causal paths between two concepts, CMOCs joined only where a configuration joins them.", {
              "from": Param(str, None, "concept the paths start from", required=True,
                            keyword="source"),
              "to": Param(str, None, "concept the paths end at", required=True, keyword="target"),
              "max_length": Param(int, 6, f"most edges in a path (1-{MAX_LENGTH})"),
              "limit": _LIMIT,
          }, ("concepts", "cmocs", "length"), explain_paths),
    Query("upstream", upstream, "What leads to a concept along causal paths, nearest first.", {
        "concept": Param(str, None, "the concept", required=True),
        "max_length": Param(int, 6, f"farthest distance in edges (1-{MAX_LENGTH})"),
        "limit": _LIMIT,
    }, ("concept", "label", "distance", "path", "cmocs"),
        functools.partial(explain_reach, backwards=True)),
    Query("downstream", downstream, "What a concept leads to along causal paths, nearest first.", {
        "concept": Param(str, None, "the concept", required=True),
        "max_length": Param(int, 6, f"farthest distance in edges (1-{MAX_LENGTH})"),
        "limit": _LIMIT,
    }, ("concept", "label", "distance", "path", "cmocs"),
        functools.partial(explain_reach, backwards=False)),
    Query("bridges", bridges,
          "Joins of configurations no CMOC asserts (hypotheses for theory testing).", {
              "cmoc": Param(str, None, "only joins from or to this CMOC"),
              "concept": Param(str, None, "only joins at this concept"),
              "limit": _LIMIT,
          }, ("cmocs", "concept", "contexts", "outcomes", "reason"), explain_bridges),
    Query("conflicts", conflicts,
          "Contradictions within one configuration, refuted CMOCs in pathways, mixed evidence.", {
              "kind": Param(str, None, "only this kind: " + ", ".join(sorted(CONFLICT_KINDS))),
              "limit": _LIMIT,
          }, ("kind", "level", "cmocs", "concepts", "reason"), explain_conflicts),
    Query("contrasts", contrasts,
          "One mechanism across contexts, or one context across mechanisms: realist contrasts.", {
              "by": Param(str, "mechanism", "the role of the shared concept: mechanism, context, "
                                            "resource or intervention"),
              "concept": Param(str, None, "only this shared concept"),
              "limit": _LIMIT,
          }, ("concept", "pattern", "cmocs", "contexts", "mechanisms", "outcomes", "quotes",
              "refuting", "reason"), explain_contrasts),
    Query("evidence", evidence,
          "Evidence per CMOC (quotes, sites, sources, confidence); thin support flagged.", {
              "by": Param(str, None, "split by this site attribute (e.g. deprivation)"),
              "flagged": Param(bool, False, "only rows with no evidence, a single source or a "
                               "single site"),
              "detail": Param(bool, False, "list the quotes with their source"),
              "limit": _LIMIT,
          }, ("cmoc", "area", "value", "quotes", "refuting", "participants", "sites", "waves",
              "flag", "sources", "confidence", "detail"), quiet=("sources", "confidence", "detail")),
    Query("hubs", hubs, "Concepts ranked by how many CMOCs and chains pass through them.", {
        "max_length": Param(int, 6, f"max_length of the chains counted (2-{MAX_LENGTH})"),
        "limit": _LIMIT,
    }, ("concept", "label", "cmocs", "chains")),
)}


def get_query(name: str) -> Query:
    """The query called ``name``, or a UsageError that suggests the nearest one."""
    if name not in QUERIES:
        raise UsageError(f"no query '{name}'{nearest(name, QUERIES)}; "
                         f"`ptgraph query --list` shows them: {', '.join(QUERIES)}")
    return QUERIES[name]


def run_query(name: str, G: nx.MultiDiGraph, params: Mapping[str, str] | None = None) -> Rows:
    """Run the query ``name`` with parameters given as text (``{"max_length": "4"}``).

    Raises :class:`~ptgraph.errors.UsageError` for an unknown query or
    parameter, a bad value, or an id that is not in the graph.

    >>> [r["cmocs"] for r in run_query("chains", example_graph(), {"from": "A", "limit": "1"})]
    [['A', 'B']]
    >>> run_query("chain", example_graph())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ptgraph.errors.UsageError: no query 'chain' (did you mean 'chains'?); ...
    """
    query = get_query(name)
    return query.run(G, query.parse(params or {}))


def format_query_list(fmt: str = "table", queries: Mapping[str, Query] | None = None) -> str:
    """The queries (default :data:`QUERIES`) with their one-line description and parameters."""
    queries = QUERIES if queries is None else queries
    if fmt == "json":
        return json.dumps([{"name": q.name, "description": q.description, "params": [
            {"name": n, "type": p.type.__name__, "default": p.default, "required": p.required,
             "help": p.help} for n, p in q.params.items()]} for q in queries.values()],
            indent=2) + "\n"
    lines = []
    width = max(11, *(len(q.name) + 1 for q in queries.values()))
    for q in queries.values():
        lines.append(f"{q.name:<{width}} {q.description}")
        for n, p in q.params.items():
            default = "required" if p.required else f"default {_cell(p.default) or 'none'}"
            lines.extend(textwrap.wrap(f"{p.help} ({default})", 100, break_on_hyphens=False,
                                       initial_indent=f"{'':<12}{n + '=' + p.type.__name__.upper():<17}",
                                       subsequent_indent=" " * 29))
    return "\n".join(lines) + "\n"


__all__ = [
    "CONFLICT_KINDS", "DEFAULT_BUDGET", "MAX_LENGTH", "Param", "QUERIES", "Query", "Rows",
    "bridges", "chains", "conflicts", "contrasts", "describe_conflict", "describe_contrast", "downstream",
    "evidence", "example_graph",
    "format_query_list", "format_rows", "get_query", "hubs", "paths", "run_query", "upstream",
]
