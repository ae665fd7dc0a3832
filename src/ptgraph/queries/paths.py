"""``paths``: causal paths between two concepts (twin: ``queries/paths.cypher``)."""

from __future__ import annotations

from itertools import product
from typing import Iterable

import networkx as nx

from ..errors import UsageError
from ._common import (DEFAULT_BUDGET, MAX_LENGTH, Rows, _causal, _check_int, _distances, _find,
                      _reverse, _Stop)
from ._common import example_graph  # noqa: F401 - the examples use it


def paths(G: nx.MultiDiGraph, *, source: str, target: str, max_length: int = 6,
          limit: int | None = None, budget: int = DEFAULT_BUDGET) -> Rows:
    """Causal paths between two concepts along TRIGGERS and PRODUCES edges.

    A path is a sequence of distinct concepts ``source .. target``, each edge
    being a TRIGGERS (context -> mechanism) or PRODUCES (mechanism -> outcome)
    edge of some CMOC; one row per distinct choice of CMOCs along the way.

    Parameters
    ----------
    source, target : str
        Concept ids, different.
    max_length : int
        Most edges in a path, 1 to :data:`MAX_LENGTH`.
    limit : int, optional
        At most this many rows, the first in order.

    Returns
    -------
    Rows
        ``concepts`` (ordered concept ids), ``cmocs`` (the CMOC of each edge)
        and ``length`` (number of edges). Ordered by ``length``, then
        ``concepts``, then ``cmocs`` (shortest first).

    Notes
    -----
    Enumerated one length at a time, concepts first (depth-first in sorted
    order, never entering a concept farther from ``target`` than the edges
    left), then the CMOC choices of each concept sequence in order. The
    Cypher twin (``queries/paths.cypher``) grows the paths an edge at a time
    and sorts them.

    Examples
    --------
    Both B and C have y trigger m2, so there are two ways along the same concepts:

    >>> for row in paths(example_graph(), source="x", target="z"):
    ...     print(row["concepts"], row["cmocs"], row["length"])
    ['x', 'm1', 'y', 'm2', 'z'] ['A', 'A', 'B', 'B'] 4
    ['x', 'm1', 'y', 'm2', 'z'] ['A', 'A', 'C', 'B'] 4
    """
    _find(G, ("Concept",), source, "from")
    _find(G, ("Concept",), target, "to")
    if source == target:
        raise UsageError(f"from and to are the same concept '{source}'; a path needs two")
    _check_int("max_length", max_length, 1, MAX_LENGTH)
    _check_int("limit", limit, 1)
    step = _causal(G)
    to_target = _distances(_reverse(step), [target], max_length)
    rows = Rows()
    work = 0
    trail = [source]

    def walk(length: int) -> Iterable[list[str]]:
        # Concept sequences of exactly ``length`` edges, in order.
        nonlocal work
        work += 1
        if work > budget:
            rows.notes.append(
                f"paths: stopped after {budget:,} search steps (the work budget); the "
                f"{len(rows)} rows shown are the first in order and more may exist.")
            raise _Stop
        left = length - (len(trail) - 1)
        if trail[-1] == target:  # a simple path cannot pass through its end
            if not left:
                yield list(trail)
            return
        for v in step[trail[-1]]:
            if v not in trail and to_target.get(v, MAX_LENGTH + 1) <= left - 1:
                trail.append(v)
                yield from walk(length)
                trail.pop()

    try:
        if source in to_target:
            for length in range(to_target[source], max_length + 1):
                for seq in walk(length):
                    for cmocs in product(*(step[u][v] for u, v in zip(seq, seq[1:]))):
                        rows.append({"concepts": seq, "cmocs": list(cmocs), "length": length})
                        if limit is not None and len(rows) >= limit:
                            raise _Stop
    except _Stop:
        pass
    return rows
