"""``upstream``: what leads to a concept (twin: ``queries/upstream.cypher``)."""

from __future__ import annotations

import networkx as nx

from ._common import Rows, _reach
from ._common import example_graph  # noqa: F401 - the examples use it


def upstream(G: nx.MultiDiGraph, *, concept: str, max_length: int = 6,
             limit: int | None = None) -> Rows:
    """What leads to a concept: concepts with a causal path to it.

    Parameters
    ----------
    concept : str
        A concept id.
    max_length : int
        Farthest distance looked at, in TRIGGERS/PRODUCES edges (1 to :data:`MAX_LENGTH`).
    limit : int, optional
        At most this many rows, the first in order.

    Returns
    -------
    Rows
        ``concept``, ``label`` and ``distance`` (fewest edges to ``concept``),
        ordered by ``distance`` then ``concept``. ``concept`` itself is left out.

    Notes
    -----
    Cypher (``queries/upstream.cypher``): a variable-length pattern to
    ``concept``, ``min(length(p))`` per concept, which Neo4j runs as a
    breadth-first search.

    Examples
    --------
    >>> [(r["concept"], r["distance"]) for r in upstream(example_graph(), concept="z")]
    [('m2', 1), ('y', 2), ('m1', 3), ('x', 4)]
    """
    return _reach(G, concept, max_length, limit, backwards=True)
