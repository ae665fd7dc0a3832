"""``downstream``: what a concept leads to (twin: ``queries/downstream.cypher``)."""

from __future__ import annotations

import networkx as nx

from ._common import Rows, _reach
from ._common import example_graph  # noqa: F401 - the examples use it


def downstream(G: nx.MultiDiGraph, *, concept: str, max_length: int = 6,
               limit: int | None = None) -> Rows:
    """What a concept leads to: the concepts it has a causal path to.

    Parameters and rows as :func:`upstream`, with the direction reversed:
    ``distance`` is the fewest edges of a causal path from ``concept`` to the
    row's concept, and ``path`` runs from ``concept`` to it.

    Notes
    -----
    The search of :func:`upstream`, forwards: a state is a concept with the
    CMOC of the edge into it. Cypher: ``queries/downstream.cypher``.

    Examples
    --------
    >>> for r in downstream(example_graph(), concept="m1"):
    ...     print(r["concept"], r["distance"], r["path"], r["cmocs"])
    y 1 ['m1', 'y'] ['A']
    m2 2 ['m1', 'y', 'm2'] ['A', 'B']
    w 3 ['m1', 'y', 'm2', 'w'] ['A', 'C', 'C']
    z 3 ['m1', 'y', 'm2', 'z'] ['A', 'B', 'B']
    """
    return _reach(G, concept, max_length, limit, backwards=False)
