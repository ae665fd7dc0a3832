"""Queries across theories: several theories meeting through a shared vocabulary.

One module per query, each with its Cypher twin ``queries/across/NAME.cypher``, as the
single-theory queries of :mod:`ptgraph.queries`. They read the graph of
:func:`ptgraph.graph.build_shared_graph` (the embedded engine), or a Neo4j database
holding the vocabulary and the theories (``ptgraph across NAME ... --neo4j``), and give
the same rows. Every row names each CMOC with its theory: ``theory:CMOC``.

:data:`ACROSS` is the registry ``ptgraph across`` reads.
"""

from __future__ import annotations

from ..queries import Param, Query
from .cross_chains import cross_chains
from .cross_contrasts import BY, cross_contrasts
from .recurring import ROLES, recurring

_LIMIT = Param(int, None, "at most this many rows")
_TERM = Param(str, None, "only this vocabulary term")

ACROSS: dict[str, Query] = {q.name: q for q in (
    Query("recurring", recurring,
          "Vocabulary terms used as a mechanism (or resource) by CMOCs of two or more theories.", {
              "role": Param(str, "mechanism", "the role the term is used in: " + " or ".join(ROLES)),
              "term": _TERM,
              "limit": _LIMIT,
          }, ("term", "label", "role", "pattern", "theories", "cmocs", "contexts", "outcomes",
              "outcome_terms")),
    Query("cross-contrasts", cross_contrasts,
          "One term across the contexts (or mechanisms) of CMOCs of different theories.", {
              "by": Param(str, "mechanism", "the role of the shared term: " + ", ".join(BY)),
              "term": _TERM,
              "limit": _LIMIT,
          }, ("term", "label", "pattern", "theories", "cmocs", "contexts", "mechanisms",
              "outcomes")),
    Query("cross-chains", cross_chains,
          "Links across theories: one theory's outcome or mechanism is another's context.", {
              "term": _TERM,
              "limit": _LIMIT,
          }, ("cmocs", "theories", "term", "label", "concepts", "match")),
)}

__all__ = ["ACROSS", "cross_chains", "cross_contrasts", "recurring"]
