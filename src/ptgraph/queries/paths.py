"""``paths``: causal paths between two concepts (twin: ``queries/paths.cypher``)."""

from __future__ import annotations

from typing import Iterable, Iterator, Mapping

import networkx as nx

from ..errors import UsageError
from ._common import (DEFAULT_BUDGET, MAX_LENGTH, Rows, _causal, _check_int, _contexts, _distances,
                      _find, _joins, _JoinParts, _label, _reach, _roles, _state_distances, _Stop)
from ._common import example_graph  # noqa: F401 - the examples use it


def paths(G: nx.MultiDiGraph, *, source: str, target: str, max_length: int = 6,
          limit: int | None = None, budget: int = DEFAULT_BUDGET) -> Rows:
    """Causal paths between two concepts: CMOCs' claims, joined only where a configuration does.

    A causal path is a sequence of TRIGGERS (context -> mechanism) and
    PRODUCES (mechanism -> outcome) edges, each the claim of one CMOC, where
    two consecutive edges of *different* CMOCs meet at a concept that the
    first produces (its mechanism or outcome, as the end of its edge) and that
    is a **context of the second**. Within one CMOC every step is allowed.
    A row is such a path of distinct concepts ``source .. target``; one row
    per distinct choice of CMOCs along the way. Joins at a concept that is not
    a context of the next CMOC are hypotheses, which :func:`bridges` lists.

    Parameters
    ----------
    source, target : str
        Concept ids, different.
    max_length : int
        Most edges in a path, 1 to :data:`MAX_LENGTH`.
    limit : int, optional
        At most this many rows, the first in order.
    budget : int
        Steps of search before giving up; the rows found by then are the first
        in order and a note says the answer is incomplete.

    Returns
    -------
    Rows
        ``concepts`` (ordered concept ids), ``cmocs`` (the CMOC of each edge:
        the configurations the path rests on, in order) and ``length``
        (number of edges). Ordered by ``length``, then ``concepts``, then
        ``cmocs`` (shortest first).

    Notes
    -----
    Enumerated one length at a time, concepts first (depth-first in sorted
    order, keeping the CMOCs each prefix may end with under the join rule,
    and never entering a concept from which ``target`` is farther than the
    edges left), then the CMOC choices of each concept sequence in order.
    The Cypher twin (``queries/paths.cypher``) grows the paths an edge at a
    time under the same rule and sorts them.

    Examples
    --------
    A (x -> m1 -> y) sets up B and C (y -> m2 -> z, w). C's m2 does not
    produce B's z: B claims it in context y, and m2 is no context of B:

    >>> for row in paths(example_graph(), source="x", target="z"):
    ...     print(row["concepts"], row["cmocs"], row["length"])
    ['x', 'm1', 'y', 'm2', 'z'] ['A', 'A', 'B', 'B'] 4
    """
    _find(G, ("Concept",), source, "from")
    _find(G, ("Concept",), target, "to")
    if source == target:
        raise UsageError(f"from and to are the same concept '{source}'; a path needs two")
    _check_int("max_length", max_length, 1, MAX_LENGTH)
    _check_int("limit", limit, 1)
    step = _causal(G)
    ctx = _contexts(_roles(G))
    to_target = _state_distances(step, ctx, target, max_length)
    far = MAX_LENGTH + 1
    rows = Rows()
    work = 0
    trail = [source]

    def walk(length: int, ends: list[str] | None) -> Iterable[list[str]]:
        # Concept sequences of exactly ``length`` edges, in order. ``ends``: the
        # CMOCs a causal path along ``trail`` may end with (None at the start).
        nonlocal work
        work += 1
        if work > budget:
            rows.notes.append(
                f"paths: stopped after {budget:,} search steps (the work budget); the "
                f"{len(rows)} rows shown are the first in order and more may exist.")
            raise _Stop
        left = length - (len(trail) - 1)
        u = trail[-1]
        if u == target:  # a simple path cannot pass through its end
            if not left:
                yield list(trail)
            return
        for v, ms in step[u].items():
            if v in trail:
                continue
            nexts = [n for n in ms if ends is None or any(_joins(ctx, u, m, n) for m in ends)]
            if nexts and min(to_target.get((v, n), far) for n in nexts) <= left - 1:
                trail.append(v)
                yield from walk(length, nexts)
                trail.pop()

    try:
        firsts = [to_target.get((v, n), far) + 1 for v, ms in step[source].items() for n in ms]
        for length in range(min(firsts, default=far), max_length + 1):
            for seq in walk(length, None):
                for cmocs in _choices(seq, step, ctx):
                    rows.append({"concepts": seq, "cmocs": cmocs, "length": length})
                    if limit is not None and len(rows) >= limit:
                        raise _Stop
    except _Stop:
        pass
    finally:
        # walk recurses through its closure, a reference cycle that holds the causal
        # edges of the whole theory: break it (as chains does with its search).
        walk = None  # noqa: F841
    return rows


def _choices(seq: list[str], step: Mapping[str, Mapping[str, list[str]]],
             ctx: _JoinParts) -> Iterator[list[str]]:
    """The CMOCs of each edge along ``seq`` that make a causal path, in order."""
    options = [step[u][v] for u, v in zip(seq, seq[1:])]
    # Backwards: the CMOCs of edge i that some choice for the edges after it can follow.
    ok = [options[-1]]
    for i in range(len(options) - 2, -1, -1):
        ok.insert(0, [m for m in options[i] if any(_joins(ctx, seq[i + 1], m, n) for n in ok[0])])
    return _choose(seq, ok, ctx, [], 0)


def _choose(seq: list[str], ok: list[list[str]], ctx: _JoinParts, chosen: list[str],
            i: int) -> Iterator[list[str]]:
    # A function of the module rather than a closure calling itself: such a closure
    # is a reference cycle, which would keep ``ctx`` alive until the cyclic collector ran.
    if i == len(ok):
        yield list(chosen)
        return
    for n in ok[i]:
        if not chosen or _joins(ctx, seq[i], chosen[-1], n):
            chosen.append(n)
            yield from _choose(seq, ok, ctx, chosen, i + 1)
            chosen.pop()


def explain_paths(G: nx.MultiDiGraph, *, source: str, target: str, max_length: int = 6,
                  **_: object) -> str:
    """Why :func:`paths` finds no path from ``source`` to ``target``: one line for people.

    >>> explain_paths(example_graph(), source="w", target="z")  # doctest: +ELLIPSIS
    "paths: nothing leads from 'W' to 'Z': ..."
    """
    a, b = (f"'{_label(G, 'Concept', c)}'" for c in (source, target))
    anyhow = _distances(_causal(G), [source], MAX_LENGTH).get(target)
    causal = next((r for r in _reach(G, source, MAX_LENGTH, None, backwards=False)
                   if r["concept"] == target), None)
    if causal is not None and causal["distance"] > max_length:
        return (f"paths: a causal path from {a} to {b} takes at least {causal['distance']} edges, "
                f"more than max_length {max_length}.")
    if causal is not None:
        return (f"paths: the causal paths from {a} to {b} within max_length {max_length} pass a "
                f"concept twice, under two configurations (as {' -> '.join(causal['path'])}); "
                "paths lists paths of distinct concepts, downstream shows this one.")
    if anyhow is None:
        return (f"paths: nothing leads from {a} to {b}: no TRIGGERS or PRODUCES edges join them "
                f"within {MAX_LENGTH} edges, even switching CMOCs at any shared concept.")
    return (f"paths: no configuration joins {a} to {b} (within {MAX_LENGTH} edges): every way "
            "from one to the other switches CMOCs at a concept that is not a context of the next "
            "CMOC. `ptgraph query bridges` lists such joins, as hypotheses.")
