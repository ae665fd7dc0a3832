"""``hubs``: the concepts most CMOCs and chains pass through (twin: ``queries/hubs.cypher``)."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from ..model import ROLES
from ._common import DEFAULT_BUDGET, MAX_LENGTH, Rows, _check_int, _label, _links, _roles
from ._common import example_graph  # noqa: F401 - the examples use it
from .chains import _chains


def hubs(G: nx.MultiDiGraph, *, max_length: int = 6, limit: int | None = None,
         budget: int = DEFAULT_BUDGET) -> Rows:
    """Concepts ranked by how many CMOCs use them and how many chains link through them.

    Parameters
    ----------
    max_length : int
        ``max_length`` of the :func:`chains` counted.
    limit : int, optional
        At most this many rows, the first in order.

    Returns
    -------
    Rows
        ``concept``, ``label``, ``cmocs`` (CMOCs using it in any role) and
        ``chains`` (maximal chains of :func:`chains` with it among their
        linking ``concepts``), for concepts some CMOC uses. Ordered by
        ``cmocs`` descending, ``chains`` descending, ``concept``. When the
        chain search hits its work budget the counts are lower bounds (a
        note says so).

    Notes
    -----
    Cypher (``queries/hubs.cypher``): the chains of ``queries/chains.cypher``
    in a ``CALL`` subquery, then for each used concept the chains through it.

    Examples
    --------
    >>> [(r["concept"], r["cmocs"], r["chains"]) for r in hubs(example_graph(), limit=3)]
    [('y', 3, 2), ('m2', 2, 0), ('m1', 1, 0)]
    """
    _check_int("max_length", max_length, 2, MAX_LENGTH)
    _check_int("limit", limit, 1)
    roles = _roles(G)  # built once: the chains need them too
    found = _chains(G, _links(G, roles), None, None, max_length, None, budget)
    through: dict[str, int] = defaultdict(int)
    for row in found:
        for c in set(row["concepts"]):
            through[c] += 1
    users: dict[str, set[str]] = defaultdict(set)
    for m, r in roles.items():
        for c in set().union(*(getattr(r, role) for role in ROLES)):
            users[c].add(m)
    rows = [{"concept": c, "label": _label(G, "Concept", c), "cmocs": len(ms), "chains": through[c]}
            for c, ms in users.items()]
    rows.sort(key=lambda r: (-r["cmocs"], -r["chains"], r["concept"]))
    notes = [f"hubs: chain counts are lower bounds. {n}" for n in found.notes]
    return Rows(rows[:limit], notes)
