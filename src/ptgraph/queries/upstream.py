"""``upstream``: what leads to a concept (twin: ``queries/upstream.cypher``)."""

from __future__ import annotations

import networkx as nx

from ._common import Rows, _reach
from ._common import example_graph  # noqa: F401 - the examples use it


def upstream(G: nx.MultiDiGraph, *, concept: str, max_length: int = 6,
             limit: int | None = None) -> Rows:
    """What leads to a concept: the concepts with a causal path to it.

    A causal path follows TRIGGERS and PRODUCES edges, each the claim of one
    CMOC, and goes on from one CMOC to another only at a concept that the
    first produces and that is a context of the second (the join rule of
    :func:`paths`).

    Parameters
    ----------
    concept : str
        A concept id.
    max_length : int
        Farthest distance looked at, in edges (1 to :data:`MAX_LENGTH`).
    limit : int, optional
        At most this many rows, the first in order.

    Returns
    -------
    Rows
        ``concept``, ``label``, ``distance`` (fewest edges of a causal path
        from it to ``concept``), and that shortest path: ``path`` (its
        concepts, from the row's concept to ``concept``) and ``cmocs`` (the
        CMOC of each edge, the configurations it rests on). Of several
        shortest paths, the first in the order of :func:`paths` (concepts,
        then CMOCs). Ordered by ``distance`` then ``concept``; ``concept``
        itself is left out.

    Notes
    -----
    A breadth-first search backwards over *states*, a concept with the CMOC
    of the path's edge out of it, so a shortest path may pass a concept twice
    under two configurations (where two CMOCs share a mechanism and the
    outcome of one is a context of the other); :func:`paths` lists only paths
    of distinct concepts. The Cypher twin (``queries/upstream.cypher``) grows
    the same states a layer at a time, keeping the first path to each.

    Examples
    --------
    C's m2 does not lead to B's z (m2 is no context of B), so z has one way up:

    >>> for r in upstream(example_graph(), concept="z"):
    ...     print(r["concept"], r["distance"], r["path"], r["cmocs"])
    m2 1 ['m2', 'z'] ['B']
    y 2 ['y', 'm2', 'z'] ['B', 'B']
    m1 3 ['m1', 'y', 'm2', 'z'] ['A', 'B', 'B']
    x 4 ['x', 'm1', 'y', 'm2', 'z'] ['A', 'A', 'B', 'B']
    """
    return _reach(G, concept, max_length, limit, backwards=True)
