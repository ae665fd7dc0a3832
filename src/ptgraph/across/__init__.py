"""Queries across theories: several theories meeting through a shared vocabulary.

One module per query, each with its Cypher twin ``queries/across/NAME.cypher``, as the
single-theory queries of :mod:`ptgraph.queries`. They read the graph of
:func:`ptgraph.graph.build_shared_graph` (the embedded engine), or a Neo4j database
holding the vocabulary and the theories (``ptgraph across NAME ... --neo4j``), and give
the same rows. Every row names each CMOC with its theory: ``theory:CMOC``.

:data:`ACROSS` is the registry ``ptgraph across`` reads.
"""

from __future__ import annotations

import networkx as nx

from ..queries import Param, Query
from ._common import SAME, by_term, uses
from .cross_chains import cross_chains
from .cross_contrasts import BY, cross_contrasts
from .recurring import ROLES, recurring


def _mapped(G: nx.MultiDiGraph, role: str) -> tuple[str, bool]:
    """How many terms the theories' CMOCs use in ``role``, and how many of those by one
    theory only, in words; and whether some term is used by two theories or more."""
    groups = by_term(uses(G), role)
    alone = sum(1 for g in groups.values() if len({u.theory for u in g}) < 2)
    if not groups:
        return (f"no {role} of any CMOC maps to a vocabulary term with an "
                f"{' or '.join(SAME)} match; map them (mappings:, or `ptgraph align`)"), False
    return (f"the CMOCs' {role}s map to {len(groups)} terms, {alone} of them used by one "
            "theory only"), alone < len(groups)


def explain_recurring(G: nx.MultiDiGraph, *, role: str = "mechanism", **_: object) -> str:
    """Why :func:`recurring` finds nothing: one line for people."""
    return f"recurring: none: {_mapped(G, role)[0]}"


def explain_cross_contrasts(G: nx.MultiDiGraph, *, by: str = "mechanism", **_: object) -> str:
    """Why :func:`cross_contrasts` finds nothing: one line for people."""
    words, shared = _mapped(G, by)
    other = "mechanisms" if by == "context" else "contexts"
    more = (f"; the CMOCs of different theories that share one agree in their {other}"
            if shared else "")
    return f"cross-contrasts: none: {words}{more}"


def explain_cross_chains(G: nx.MultiDiGraph, **_: object) -> str:
    """Why :func:`cross_chains` finds nothing: one line for people."""
    return ("cross-chains: none: no outcome or mechanism of a CMOC of one theory maps to the "
            "same term as a context of a CMOC of another (exact or close)")

_LIMIT = Param(int, None, "at most this many rows")
_TERM = Param(str, None, "only this vocabulary term")

ACROSS: dict[str, Query] = {q.name: q for q in (
    Query("recurring", recurring,
          "Vocabulary terms used as a mechanism (or resource) by CMOCs of two or more theories.", {
              "role": Param(str, "mechanism", "the role the term is used in: " + " or ".join(ROLES)),
              "term": _TERM,
              "limit": _LIMIT,
          }, ("term", "label", "role", "pattern", "theories", "cmocs", "contexts", "outcomes",
              "outcome_terms"), explain_recurring),
    Query("cross-contrasts", cross_contrasts,
          "One term across the contexts (or mechanisms) of CMOCs of different theories.", {
              "by": Param(str, "mechanism", "the role of the shared term: " + ", ".join(BY)),
              "term": _TERM,
              "limit": _LIMIT,
          }, ("term", "label", "pattern", "theories", "cmocs", "contexts", "mechanisms",
              "outcomes"), explain_cross_contrasts),
    Query("cross-chains", cross_chains,
          "Links across theories: one theory's outcome or mechanism is another's context.", {
              "term": _TERM,
              "limit": _LIMIT,
          }, ("cmocs", "theories", "term", "label", "concepts", "match"), explain_cross_chains),
)}

__all__ = ["ACROSS", "cross_chains", "cross_contrasts", "recurring"]
