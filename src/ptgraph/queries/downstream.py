"""``downstream``: what a concept leads to (twin: ``queries/downstream.cypher``)."""

from __future__ import annotations

import networkx as nx

from ._common import Rows, _reach
from ._common import example_graph  # noqa: F401 - the examples use it


def downstream(G: nx.MultiDiGraph, *, concept: str, max_length: int = 6,
               limit: int | None = None) -> Rows:
    """What a concept leads to: concepts it has a causal path to.

    Parameters and rows as :func:`upstream`, with the direction reversed.

    Notes
    -----
    Cypher (``queries/downstream.cypher``): that of :func:`upstream`, the pattern reversed.

    Examples
    --------
    >>> [(r["concept"], r["distance"]) for r in downstream(example_graph(), concept="x")]
    [('m1', 1), ('y', 2), ('m2', 3), ('w', 4), ('z', 4)]
    """
    return _reach(G, concept, max_length, limit, backwards=False)
