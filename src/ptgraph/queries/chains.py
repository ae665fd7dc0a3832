"""``chains``: how one configuration sets up the next (twin: ``queries/chains.cypher``)."""

from __future__ import annotations

import networkx as nx

from ._common import (DEFAULT_BUDGET, MAX_LENGTH, Rows, _check_int, _distances, _find, _label,
                      _Links, _links, _Stop, _within)
from ._common import example_graph  # noqa: F401 - the examples use it


def chains(G: nx.MultiDiGraph, *, source: str | None = None, target: str | None = None,
           max_length: int = 6, limit: int | None = None, budget: int = DEFAULT_BUDGET) -> Rows:
    """Causal chains across CMOCs: the outcome (or mechanism) of one is a context of the next.

    CMOC ``m`` *links* to CMOC ``n`` (``m != n``) through concept ``c`` when ``c``
    is an outcome or mechanism of ``m`` and a context of ``n``. A chain is a
    sequence of two or more distinct CMOCs ``m1 .. mk``, each linking to the
    next through ``c1 .. c(k-1)``; one row per distinct choice of linking
    concepts. Only *maximal* chains are returned: the first CMOC has no
    predecessor outside the chain, and the last has no successor outside it,
    unless the chain was cut at ``max_length`` (then ``truncated`` is true).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph of :func:`ptgraph.graph.build_graph`.
    source : str, optional
        Fixes the start (no start-maximality then): a CMOC id is the first
        CMOC; a concept id means the first CMOC has it as a context. An id
        naming both a CMOC and a concept is taken as the CMOC.
    target : str, optional
        Fixes the end: a CMOC id is the last CMOC; a concept id means the last
        CMOC has it as an outcome or mechanism. A chain may pass through an
        end to a later one. Without ``source``, the start is the open end
        instead: a chain of ``max_length`` CMOCs whose first one has
        predecessors outside it is returned with ``truncated`` true.
    max_length : int
        Most CMOCs in a chain, 2 to :data:`MAX_LENGTH`.
    limit : int, optional
        At most this many rows, the first in order.
    budget : int
        Steps of search before giving up; the rows found by then are the first
        in order and a note says the answer is incomplete.

    Returns
    -------
    Rows
        ``cmocs`` (ordered CMOC ids), ``concepts`` (the linking concepts),
        ``areas`` (area of each CMOC), ``length`` (number of CMOCs), ``cycle``
        (the earliest CMOC of the chain the last one links back to, else
        ``None``) and ``truncated`` (cut at ``max_length`` at its open end:
        the last CMOC, or with ``target`` alone the first). Ordered by the
        interleaved id list
        ``[m1, c1, m2, c2, ..., mk]``.

    Notes
    -----
    The search is a depth-first walk visiting links in sorted order, so rows
    come out already in order and ``limit`` stops it early. It is pruned
    exactly: a start whose predecessors cannot all join the chain within
    ``max_length`` (too many, or not reachable from it in time) is skipped,
    and with ``target`` a CMOC too far from any end is not entered.
    The Cypher twin (``queries/chains.cypher``) grows the chains a link at a
    time in the same way, with the same pruning of starts, and sorts them.

    Examples
    --------
    >>> G = example_graph()
    >>> for row in chains(G):
    ...     print(row["cmocs"], row["concepts"], row["areas"], row["cycle"], row["truncated"])
    ['A', 'B'] ['y'] ['a1', 'a2'] None False
    ['A', 'C'] ['y'] ['a1', 'a2'] None False
    >>> [r["cmocs"] for r in chains(G, target="w")]
    [['A', 'C']]
    """
    _check_int("max_length", max_length, 2, MAX_LENGTH)
    _check_int("limit", limit, 1)
    return _chains(G, _links(G), source, target, max_length, limit, budget)


def _chains(G: nx.MultiDiGraph, net: _Links, source: str | None, target: str | None,
            max_length: int, limit: int | None, budget: int) -> Rows:
    source_kind = source and _find(G, ("CMOC", "Concept"), source, "from")
    target_kind = target and _find(G, ("CMOC", "Concept"), target, "to")
    ends = None
    if target is not None:
        ends = {target} if target_kind == "CMOC" else net.by_result.get(target, set())
    if source is not None:
        starts = [source] if source_kind == "CMOC" else net.by_context.get(source, [])
    elif ends is not None:
        starts = sorted(net.links)  # may be cut at the start, so any CMOC can begin
    else:
        # A start is maximal only once all its predecessors have joined the
        # chain, so each must be within reach: few enough, and near enough.
        starts = [m for m in sorted(net.links) if len(net.preds[m]) < max_length
                  and _within(net.succ, m, net.preds[m], max_length - 1)]
    return _walk_chains(net, starts, source is not None, ends, max_length, limit, budget)


def _walk_chains(net: _Links, starts: list[str], fixed_start: bool, ends: set[str] | None,
                 max_length: int, limit: int | None, budget: int) -> Rows:
    rows = Rows()
    hops = _distances(net.preds, ends, max_length - 1) if ends is not None else None
    # Which end may be cut at max_length: the open one (the end, unless `to` fixes it).
    cut_start = ends is not None and not fixed_start
    path: list[str] = []
    concepts: list[str] = []
    work = 0

    def emit(truncated: bool) -> None:
        last = path[-1]
        rows.append({
            "cmocs": list(path), "concepts": list(concepts),
            "areas": [net.area[m] for m in path], "length": len(path),
            "cycle": next((m for m in path[:-1] if m in net.succ[last]), None),
            "truncated": truncated,
        })
        if limit is not None and len(rows) >= limit:
            raise _Stop

    def visit(missing: frozenset[str]) -> None:
        # ``missing``: predecessors of the first CMOC not yet in the chain; the
        # start is maximal once it is empty.
        nonlocal work
        work += 1
        if work > budget:
            rows.notes.append(
                f"chains: stopped after {budget:,} search steps (the work budget); the "
                f"{len(rows)} rows shown are the first in order and more may exist. "
                "Narrow the search with from, to or a lower max_length.")
            raise _Stop
        last, room = path[-1], max_length - len(path)
        onward = [(c, n) for c, n in net.links[last] if n not in path]
        if ends is not None:
            if len(path) >= 2 and last in ends and (not missing or not room):
                emit(bool(missing))
        elif not onward or not room:
            if len(path) >= 2 and not missing:
                emit(bool(onward))
            return
        if not room:
            return
        for c, n in onward:
            rest = missing - {n}
            if (len(rest) > room - 1 and not cut_start) or \
                    (hops is not None and hops.get(n, max_length) > room - 1):
                continue
            path.append(n)
            concepts.append(c)
            visit(rest)
            path.pop()
            concepts.pop()

    try:
        for start in starts:
            if hops is not None and start not in hops:
                continue
            path[:] = [start]
            visit(frozenset() if fixed_start else net.preds[start])
    except _Stop:
        pass
    finally:
        # visit calls itself through its closure, a reference cycle that holds the
        # link graph: break it, so that the link graph is freed on return, not left
        # for the cyclic collector to walk and free once the query is over.
        visit = None  # noqa: F841
    return rows


def explain_chains(G: nx.MultiDiGraph, *, source: str | None = None, target: str | None = None,
                   max_length: int = 6, **_: object) -> str:
    """Why :func:`chains` finds no chain: one line for people.

    >>> explain_chains(example_graph(), source="B")  # doctest: +ELLIPSIS
    'chains: none from B: CMOC B links to no other CMOC: none has ...'
    """
    net = _links(G)
    if not any(net.succ.values()):
        return ("chains: none: no outcome or mechanism of any CMOC is a context of another. A "
                "chain forms where the outcome (or mechanism) of one configuration is the context "
                "of the next: the same concept id in both.")

    def side(id: str, first: bool) -> str | None:
        # Why no chain can start (first) or end at ``id``, or None when some link is there.
        linked = net.succ if first else net.preds
        if ("CMOC", id) in G:
            if linked[id]:
                return None
            return (f"CMOC {id} links to no other CMOC: none has one of its outcomes or mechanisms "
                    "as a context" if first else f"no other CMOC links to {id}: none of its "
                    "contexts is another CMOC's outcome or mechanism")
        said = f"'{_label(G, 'Concept', id)}'"
        role = "a context" if first else "an outcome or mechanism"
        ms = net.by_context.get(id, []) if first else sorted(net.by_result.get(id, ()))
        if not ms:
            return f"no CMOC has {said} as {role}"
        if any(linked[m] for m in ms):
            return None
        return (f"no CMOC with {said} as {role} ({', '.join(ms)}) links to another: none of their "
                "outcomes or mechanisms is another CMOC's context" if first else
                f"no other CMOC links to those with {said} as {role} ({', '.join(ms)}): none of "
                "their contexts is another CMOC's outcome or mechanism")

    for id, first in ((source, True), (target, False)):
        if id is not None and (why := side(id, first)):
            return f"chains: none {'from' if first else 'to'} {id}: {why}."
    ends = " ".join(filter(None, (source and f"from {source}", target and f"to {target}")))
    return (f"chains: none {ends + ' ' if ends else ''}within max_length {max_length}: every chain "
            "that could be one is longer, or (without from) can be extended at its start, as a "
            "chain starts where no other CMOC links in; try a higher max_length.")
