"""Named queries over a theory's graph, for the embedded engine (networkx).

Each query is a plain function over the graph of :func:`ptgraph.graph.build_graph`
that returns rows: flat dicts of strings, whole numbers, booleans, ``None`` and
lists of those. Rows come in a total order that a Cypher ``ORDER BY`` can also
state, and ``limit`` applies after that order, so the Neo4j twin of each query
returns the very same rows: ``queries/NAME.cypher``, run by ``ptgraph query NAME
--neo4j`` (:mod:`ptgraph.twins`). The definitions are in ``docs/graph-model.md``.

:data:`QUERIES` is the registry the command line reads; :func:`run_query` runs
one by name with parameters given as text (``--param max_length=4``).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import textwrap
from collections import defaultdict, deque
from dataclasses import dataclass, field
from itertools import product
from typing import Any, Callable, Iterable, Mapping

import networkx as nx

from .errors import UsageError
from .gcpause import collector_paused
from .rules._common import nearest

#: Highest ``max_length`` any query accepts. A variable-length bound cannot be a
#: Cypher parameter, so the upstream and downstream twins write this number in
#: their patterns (``*1..10``).
MAX_LENGTH = 10
#: Steps of search a path-enumerating query may take before it stops and says so.
DEFAULT_BUDGET = 100_000
LEVELS = ("error", "warning", "info")
#: Conflict kinds, in no particular order: kind -> level.
CONFLICT_KINDS = {
    "opposing-outcomes": "error",
    "refuted-in-pathway": "error",
    "divergent-outcomes": "warning",
    "mixed-evidence": "warning",
    "alternative-mechanisms": "info",
}
_CAUSAL = ("TRIGGERS", "PRODUCES")
_ROLE_OF = {"HAS_CONTEXT": "context", "HAS_MECHANISM": "mechanism", "HAS_OUTCOME": "outcome"}


class Rows(list):
    """A query's rows, plus ``notes`` for people (e.g. that the work budget was hit).

    Notes never change the rows' shape; the command line prints them on stderr.
    """

    def __init__(self, rows: Iterable[dict] = (), notes: Iterable[str] = ()) -> None:
        super().__init__(rows)
        self.notes = list(notes)


# --- reading the graph ------------------------------------------------------

def _ids(G: nx.MultiDiGraph, label: str) -> list[str]:
    return sorted(key[1] for key in G if key[0] == label)


def _label(G: nx.MultiDiGraph, kind: str, id: str) -> str:
    return G.nodes[kind, id].get("label", id)


def _theory_name(G: nx.MultiDiGraph) -> str:
    return G.graph.get("theory") or "?"


def _find(G: nx.MultiDiGraph, kinds: tuple[str, ...], id: str, param: str) -> str:
    """The kind (node label) ``id`` has, trying ``kinds`` in order; else a UsageError."""
    for kind in kinds:
        if (kind, id) in G:
            return kind
    nouns = " or ".join("CMOC" if k == "CMOC" else k.lower() for k in kinds)
    known = [key[1] for key in G if key[0] in kinds]
    raise UsageError(f"{param}: no {nouns} '{id}' in theory '{_theory_name(G)}'{nearest(id, known)}")


def _check_int(name: str, value: int | None, low: int, high: int | None = None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high and value > high):
        span = f"from {low} to {high}" if high else f"{low} or more"
        raise UsageError(f"{name} must be a whole number {span}, not {value!r}")


@dataclass(frozen=True)
class _Roles:
    context: frozenset[str]
    mechanism: frozenset[str]
    outcome: frozenset[str]


def _roles(G: nx.MultiDiGraph) -> dict[str, _Roles]:
    """CMOC id -> its context, mechanism and outcome concept ids."""
    found: dict[str, dict[str, set[str]]] = {m: defaultdict(set) for m in _ids(G, "CMOC")}
    for (kind, m), (_, c), rel in G.edges(data="type"):
        if kind == "CMOC" and rel in _ROLE_OF:
            found[m][_ROLE_OF[rel]].add(c)
    return {m: _Roles(*(frozenset(r[role]) for role in ("context", "mechanism", "outcome")))
            for m, r in found.items()}


def _areas(G: nx.MultiDiGraph) -> dict[str, str | None]:
    out: dict[str, str | None] = dict.fromkeys(_ids(G, "CMOC"))
    for (kind, m), (_, a), rel in G.edges(data="type"):
        if kind == "CMOC" and rel == "IN_AREA":
            out[m] = a
    return out


@dataclass
class _Links:
    """The link graph of CMOCs: m -> n via concept c when c is an outcome or
    mechanism of m and a context of n (m != n)."""

    links: dict[str, list[tuple[str, str]]]  # m -> sorted (concept, next CMOC)
    succ: dict[str, set[str]]
    preds: dict[str, frozenset[str]]
    area: dict[str, str | None]
    by_context: dict[str, list[str]]  # concept -> sorted CMOCs with it as context
    by_result: dict[str, set[str]]  # concept -> CMOCs with it as mechanism or outcome


def _links(G: nx.MultiDiGraph, roles: dict[str, _Roles] | None = None) -> _Links:
    roles = _roles(G) if roles is None else roles
    by_context: dict[str, list[str]] = defaultdict(list)
    by_result: dict[str, set[str]] = defaultdict(set)
    for m, r in roles.items():  # roles is in id order, so the lists come out sorted
        for c in r.context:
            by_context[c].append(m)
        for c in r.mechanism | r.outcome:
            by_result[c].add(m)
    links = {m: sorted({(c, n) for c in r.mechanism | r.outcome
                        for n in by_context.get(c, ()) if n != m})
             for m, r in roles.items()}
    succ = {m: {n for _, n in pairs} for m, pairs in links.items()}
    preds: dict[str, set[str]] = {m: set() for m in roles}
    for m, nexts in succ.items():
        for n in nexts:
            preds[n].add(m)
    return _Links(links, succ, {m: frozenset(p) for m, p in preds.items()}, _areas(G),
                  dict(by_context), dict(by_result))


# --- chains -----------------------------------------------------------------

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


def _within(succ: Mapping[str, Iterable[str]], start: str, wanted: frozenset[str], most: int) -> bool:
    """Are all of ``wanted`` reachable from ``start`` in at most ``most`` steps?"""
    left = set(wanted)
    seen, frontier = {start}, [start]
    for _ in range(most):
        if not left:
            break
        reached = []
        for m in frontier:
            for n in succ[m]:
                if n not in seen:
                    seen.add(n)
                    reached.append(n)
        left.difference_update(reached)
        frontier = reached
    return not left


def _distances(step: Mapping[str, Iterable[str]], starts: Iterable[str], most: int) -> dict[str, int]:
    """Fewest steps from any of ``starts`` (distance 0) along ``step``, up to ``most``."""
    dist = dict.fromkeys(starts, 0)
    queue = deque(dist)
    while queue:
        u = queue.popleft()
        if dist[u] < most:
            for v in step.get(u, ()):
                if v not in dist:
                    dist[v] = dist[u] + 1
                    queue.append(v)
    return dist


class _Stop(Exception):
    pass


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
    return rows


# --- paths, upstream, downstream ---------------------------------------------

def _causal(G: nx.MultiDiGraph) -> dict[str, dict[str, list[str]]]:
    """Concept -> next concept -> sorted CMOCs of the TRIGGERS/PRODUCES edges between them."""
    out: dict[str, dict[str, set[str]]] = {c: defaultdict(set) for c in _ids(G, "Concept")}
    for (_, u), (_, v), d in G.edges(data=True):
        if d["type"] in _CAUSAL:
            out[u][v].add(d["cmoc"])
    return {u: {v: sorted(ms) for v, ms in sorted(nexts.items())} for u, nexts in out.items()}


def _reverse(step: Mapping[str, Mapping[str, Any]]) -> dict[str, list[str]]:
    back: dict[str, list[str]] = defaultdict(list)
    for u, nexts in step.items():
        for v in nexts:
            back[v].append(u)
    return back


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


def _reach(G: nx.MultiDiGraph, concept: str, max_length: int, limit: int | None,
           backwards: bool) -> Rows:
    _find(G, ("Concept",), concept, "concept")
    _check_int("max_length", max_length, 1, MAX_LENGTH)
    _check_int("limit", limit, 1)
    step = _causal(G)
    dist = _distances(_reverse(step) if backwards else step, [concept], max_length)
    rows = [{"concept": c, "label": _label(G, "Concept", c), "distance": d}
            for c, d in sorted(dist.items(), key=lambda item: (item[1], item[0])) if c != concept]
    return Rows(rows[:limit])


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


# --- conflicts ----------------------------------------------------------------

def conflicts(G: nx.MultiDiGraph, *, kind: str | None = None, limit: int | None = None) -> Rows:
    """Configurations that disagree, and claims that rest on refuted or mixed ground.

    CMOCs marked ``refuted`` are left out of the comparisons (a refuted
    configuration is expected to disagree with the one that replaced it).
    Configurations are compared as *sets* of concept ids. Kinds:

    ``opposing-outcomes`` (error)
        Two CMOCs with the same contexts and mechanisms, and an outcome of one
        opposes (``opposes``, either direction) an outcome of the other.
    ``divergent-outcomes`` (warning)
        Same contexts and mechanisms, different outcomes, none opposing.
    ``alternative-mechanisms`` (info)
        Same contexts and outcomes through different mechanisms.
    ``refuted-in-pathway`` (error)
        A refuted CMOC that a pathway still uses: it is a step, or the pathway
        steps (in order, not necessarily adjacent) from one of its contexts to
        one of its mechanisms or outcomes, or from a mechanism to an outcome,
        and no CMOC that is not refuted makes that same step.
    ``mixed-evidence`` (warning)
        Among the CMOCs sharing contexts and mechanisms (possibly one CMOC),
        evidence both supports and refutes.

    Parameters
    ----------
    kind : str, optional
        Only findings of this kind.
    limit : int, optional
        At most this many rows, the first in order.

    Returns
    -------
    Rows
        ``kind``, ``level``, ``cmocs`` (sorted ids), ``concepts`` (sorted ids:
        the opposing outcomes; the outcomes or mechanisms that differ; the
        pathway steps a refuted CMOC joins; the shared contexts and mechanisms
        of mixed evidence) and ``reason`` (a sentence, with labels). Ordered by
        level (error, warning, info), ``kind``, ``cmocs``.

    Notes
    -----
    Pairs are found by grouping CMOCs on their sorted context and mechanism
    (or context and outcome) id lists; the Cypher twin
    (``queries/conflicts.cypher``) groups them alike and words the reason
    sentence of :func:`describe_conflict` itself, so that Neo4j Browser shows it
    too.

    Examples
    --------
    >>> for row in conflicts(example_graph()):
    ...     print(row["kind"], row["level"], row["cmocs"], row["concepts"])
    ...     print(row["reason"])
    opposing-outcomes error ['B', 'C'] ['w', 'z']
    B and C share context 'Y' and mechanism 'M2' but lead to opposing outcomes: 'Z' (B) vs 'W' (C).
    """
    if kind is not None and kind not in CONFLICT_KINDS:
        raise UsageError(f"kind: no conflict kind '{kind}'{nearest(kind, CONFLICT_KINDS)}; "
                         f"one of {', '.join(sorted(CONFLICT_KINDS))}")
    _check_int("limit", limit, 1)
    facts = [f for f in _conflict_facts(G) if kind is None or f["kind"] == kind]
    names = {key: d.get("label", key[1]) for key, d in G.nodes(data=True)}
    rows = [{"kind": f["kind"], "level": CONFLICT_KINDS[f["kind"]], "cmocs": f["cmocs"],
             "concepts": f["concepts"], "reason": describe_conflict(f, names)} for f in facts]
    rows.sort(key=lambda r: (LEVELS.index(r["level"]), r["kind"], r["cmocs"]))
    return Rows(rows[:limit])


def _conflict_facts(G: nx.MultiDiGraph) -> list[dict]:
    roles = _roles(G)
    live = {m: r for m, r in roles.items() if G.nodes["CMOC", m].get("status") != "refuted"}
    opposes = {frozenset((u[1], v[1])) for u, v, t in G.edges(data="type") if t == "OPPOSES"}
    facts: list[dict] = []

    def groups(*key_roles: str) -> Iterable[list[str]]:
        by: dict[tuple, list[str]] = defaultdict(list)
        for m, r in live.items():
            by[tuple(getattr(r, role) for role in key_roles)].append(m)
        return [sorted(ms) for ms in by.values()]

    for group in groups("context", "mechanism"):
        for a, b in _differing_pairs(group, {m: live[m].outcome for m in group}):
            ra, rb = live[a], live[b]
            clash = sorted((x, y) for x in ra.outcome for y in rb.outcome
                           if frozenset((x, y)) in opposes and x != y)
            base = {"cmocs": [a, b], "context": sorted(ra.context),
                    "mechanism": sorted(ra.mechanism)}
            if clash:
                facts.append({**base, "kind": "opposing-outcomes", "pairs": clash,
                              "concepts": sorted({c for pair in clash for c in pair})})
            else:
                facts.append({**base, "kind": "divergent-outcomes",
                              "outcomes": [sorted(ra.outcome), sorted(rb.outcome)],
                              "concepts": sorted(ra.outcome ^ rb.outcome)})
        evidence = {m: _evidence_counts(G, m) for m in group}
        if sum(s for s, _ in evidence.values()) and sum(r for _, r in evidence.values()):
            r0 = live[group[0]]
            facts.append({"kind": "mixed-evidence", "cmocs": [m for m in group if any(evidence[m])],
                          "context": sorted(r0.context), "mechanism": sorted(r0.mechanism),
                          "counts": [list(evidence[m]) for m in group if any(evidence[m])],
                          "concepts": sorted(r0.context | r0.mechanism)})
    for group in groups("context", "outcome"):
        for a, b in _differing_pairs(group, {m: live[m].mechanism for m in group}):
            ra, rb = live[a], live[b]
            facts.append({"kind": "alternative-mechanisms", "cmocs": [a, b],
                          "context": sorted(ra.context), "outcome": sorted(ra.outcome),
                          "mechanisms": [sorted(ra.mechanism), sorted(rb.mechanism)],
                          "concepts": sorted(ra.mechanism ^ rb.mechanism)})
    facts.extend(_refuted_in_pathways(G, roles))
    return facts


def _differing_pairs(group: list[str], value: Mapping[str, frozenset[str]]) -> Iterable[tuple[str, str]]:
    """Pairs ``(a, b)``, ``a < b``, of CMOCs in ``group`` whose ``value`` differs.

    CMOCs with the same value are bucketed first, so that many identical
    configurations (duplicates, which ``check`` reports, or the relationship-free
    skeleton the Neo4j twins check parameters on) cost nothing.
    """
    buckets: dict[frozenset[str], list[str]] = defaultdict(list)
    for m in group:
        buckets[value[m]].append(m)
    members = list(buckets.values())
    for i, first in enumerate(members):
        for second in members[i + 1:]:
            for x, y in product(first, second):
                yield (x, y) if x < y else (y, x)


def _evidence_counts(G: nx.MultiDiGraph, cmoc: str) -> tuple[int, int]:
    """(supporting, refuting) evidence items of a CMOC."""
    rels = [t for _, _, t in G.in_edges(("CMOC", cmoc), data="type")]
    return rels.count("SUPPORTS"), rels.count("REFUTES")


def _pathway_steps(G: nx.MultiDiGraph) -> dict[str, list[tuple[str, str]]]:
    """Pathway id -> its steps in order, each ``(label, id)``."""
    steps: dict[str, list[tuple[int, tuple[str, str]]]] = {p: [] for p in _ids(G, "Pathway")}
    for (kind, p), target, d in G.edges(data=True):
        if kind == "Pathway" and d["type"] == "STEP":
            steps[p].append((d["order"], target))
    return {p: [t for _, t in sorted(s)] for p, s in steps.items()}


def _claims(r: _Roles) -> set[tuple[str, str]]:
    """The causal steps a CMOC claims: context to mechanism or outcome, mechanism to outcome."""
    return ({(a, b) for a in r.context for b in r.mechanism | r.outcome}
            | {(a, b) for a in r.mechanism for b in r.outcome})


def _refuted_in_pathways(G: nx.MultiDiGraph, roles: dict[str, _Roles]) -> list[dict]:
    refuted = [m for m in roles if G.nodes["CMOC", m].get("status") == "refuted"]
    if not refuted:
        return []
    dead = set(refuted)
    live_claims = set().union(*(_claims(r) for m, r in roles.items() if m not in dead))
    # Index the pathways once by the ordered concept pairs they step along and by
    # the CMOCs they step on, so each refuted CMOC looks up only its own claims.
    order: dict[str, int] = {}
    by_pair: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_cmoc: dict[str, list[str]] = defaultdict(list)
    for p, seq in _pathway_steps(G).items():
        order[p] = len(order)
        ids = [id for kind, id in seq if kind == "Concept"]
        for pair in {(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]}:
            by_pair[pair].append(p)
        for m in {id for kind, id in seq if kind == "CMOC"}:
            by_cmoc[m].append(p)
    facts = []
    for m in refuted:
        used: dict[str, set[str]] = {p: set() for p in by_cmoc.get(m, ())}
        for pair in _claims(roles[m]) - live_claims:  # steps a live CMOC also makes are safe
            for p in by_pair.get(pair, ()):
                used.setdefault(p, set()).update(pair)
        if used:
            facts.append({"kind": "refuted-in-pathway", "cmocs": [m],
                          "pathways": sorted(used, key=order.__getitem__),
                          "concepts": sorted(set().union(*used.values()))})
    return facts


def describe_conflict(fact: Mapping[str, Any], names: Mapping[tuple[str, str], str]) -> str:
    """The ``reason`` sentence of a conflict, from its facts and node labels.

    ``names`` maps ``(label, id)`` node keys to display labels.
    ``queries/conflicts.cypher`` builds the same sentences in Cypher.
    """
    def c(ids: Iterable[str]) -> str:
        return " + ".join(f"'{names.get(('Concept', i), i)}'" for i in ids)

    def noun(word: str, ids: list) -> str:
        return word + "s" * (len(ids) != 1)

    kind, ms = fact["kind"], fact["cmocs"]
    if kind in ("opposing-outcomes", "divergent-outcomes"):
        a, b = ms
        shared = (f"{a} and {b} share {noun('context', fact['context'])} {c(fact['context'])} "
                  f"and {noun('mechanism', fact['mechanism'])} {c(fact['mechanism'])}")
        if kind == "opposing-outcomes":
            clash = "; ".join(f"{c([x])} ({a}) vs {c([y])} ({b})" for x, y in fact["pairs"])
            return f"{shared} but lead to opposing outcomes: {clash}."
        oa, ob = fact["outcomes"]
        return f"{shared} but lead to different outcomes: {c(oa)} ({a}) vs {c(ob)} ({b})."
    if kind == "alternative-mechanisms":
        a, b = ms
        ma, mb = fact["mechanisms"]
        return (f"{a} and {b} explain the same {noun('outcome', fact['outcome'])} {c(fact['outcome'])} in "
                f"{noun('context', fact['context'])} {c(fact['context'])} through different "
                f"mechanisms: {c(ma)} ({a}) vs {c(mb)} ({b}).")
    if kind == "refuted-in-pathway":
        ps = ", ".join(f"'{names.get(('Pathway', p), p)}' ({p})" for p in fact["pathways"])
        return f"{ms[0]} is marked refuted but {noun('pathway', fact['pathways'])} {ps} still rely on it."
    if kind == "mixed-evidence":
        parts = "; ".join(f"{m}: {s} supporting, {r} refuting" for m, (s, r) in zip(ms, fact["counts"]))
        return (f"Evidence on {noun('context', fact['context'])} {c(fact['context'])} and "
                f"{noun('mechanism', fact['mechanism'])} {c(fact['mechanism'])} points both ways "
                f"({parts}).")
    raise ValueError(kind)  # pragma: no cover


# --- evidence -------------------------------------------------------------------

def _site_keys(G: nx.MultiDiGraph) -> set[str]:
    return {k for key, d in G.nodes(data=True) if key[0] == "Site" for k in d} - {"theory", "labels"}


def _type_rank(value: Any) -> tuple:
    # Cypher orders strings before booleans before numbers, and null last.
    if value is None:
        return (3,)
    if isinstance(value, str):
        return (0, value)
    if isinstance(value, bool):
        return (1, value)
    return (2, value)


def evidence(G: nx.MultiDiGraph, *, by: str | None = None, flagged: bool = False,
             limit: int | None = None) -> Rows:
    """How much evidence each CMOC rests on; with ``by``, split by a site attribute.

    Parameters
    ----------
    by : str, optional
        A site attribute (``deprivation``, ``region``, ... or ``id`` for one row
        per site). List-valued attributes count once per value.
    flagged : bool
        Only rows with a ``flag``.
    limit : int, optional
        At most this many rows, the first in order.

    Returns
    -------
    Rows
        ``cmoc``, ``area``, ``value``, ``quotes`` (supporting items),
        ``refuting``, and over the supporting items ``participants`` (distinct
        codes), ``sites`` and ``waves`` (sorted ids), and ``flag``:
        ``no-evidence`` (no supporting item), ``single-site`` (all from one
        site, or none recorded) or ``None``. Without ``by``, one row per CMOC
        with ``value`` ``None``, ordered by ``cmoc``. With ``by``, one row per
        CMOC and attribute value that has evidence, the counts and the flag over
        that value's items; evidence with no site or no value for the attribute
        counts under ``value`` ``None``, and a CMOC without any evidence has one
        such row of zeros. Ordered by ``cmoc`` then ``value`` (Cypher order:
        text, then false/true, then numbers, then null).

    Notes
    -----
    One row shape with and without ``by``, because a Cypher query returns the
    same columns whatever its parameters. The Cypher twin
    (``queries/evidence.cypher``) reads ``s[$by]`` of each item's site and
    groups the items by CMOC and value.

    Examples
    --------
    >>> for row in evidence(example_graph()):
    ...     print(row["cmoc"], row["quotes"], row["sites"], row["waves"], row["flag"])
    A 2 ['s1', 's2'] ['follow-up', 'interview'] None
    B 1 ['s1'] ['interview'] single-site
    C 0 [] [] no-evidence
    >>> [(r["cmoc"], r["value"], r["quotes"]) for r in evidence(example_graph(), by="deprivation")]
    [('A', 'High', 1), ('A', 'Low', 1), ('B', 'High', 1), ('C', None, 0)]
    """
    _check_int("limit", limit, 1)
    if by is not None and by not in _site_keys(G):
        keys = sorted(_site_keys(G))
        raise UsageError(f"by: no site attribute '{by}' in theory '{_theory_name(G)}'"
                         f"{nearest(by, keys)}; one of {', '.join(keys) or '(no sites)'}")
    areas = _areas(G)
    items: dict[str, list[tuple[str, dict, dict | None]]] = {m: [] for m in areas}
    for (kind, e), (_, m), rel in G.edges(data="type"):
        if kind == "Evidence" and rel in ("SUPPORTS", "REFUTES"):
            site = next((G.nodes[s] for s in G.successors(("Evidence", e)) if s[0] == "Site"), None)
            items[m].append((rel, G.nodes["Evidence", e], site))
    rows = []
    for m in sorted(items):
        # Split by the value's rank, so that True and 1 (equal in Python) stay apart as in Cypher.
        split: dict[tuple, list] = {_type_rank(None): []} if not items[m] else defaultdict(list)
        for rel, e, site in items[m]:
            value = None if by is None or site is None else site.get(by)
            for v in (value if isinstance(value, list) else [value]):
                split[_type_rank(v)].append((rel, e, site))
        for rank in sorted(split):
            summary = _tally(split[rank])
            flag = "no-evidence" if not summary["quotes"] else \
                "single-site" if len(summary["sites"]) <= 1 else None
            if flag or not flagged:
                rows.append({"cmoc": m, "area": areas[m], "value": rank[-1] if len(rank) > 1 else None,
                             **summary, "flag": flag})
    return Rows(rows[:limit])


def _tally(found: list[tuple[str, dict, dict | None]]) -> dict:
    support = [(e, s) for rel, e, s in found if rel == "SUPPORTS"]
    return {
        "quotes": len({e["id"] for e, _ in support}),
        "refuting": len({e["id"] for rel, e, _ in found if rel == "REFUTES"}),
        "participants": len({e["participant"] for e, _ in support if "participant" in e}),
        "sites": sorted({s["id"] for _, s in support if s is not None}),
        "waves": sorted({e["wave"] for e, _ in support if "wave" in e}),
    }


# --- hubs --------------------------------------------------------------------------

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
        for c in r.context | r.mechanism | r.outcome:
            users[c].add(m)
    rows = [{"concept": c, "label": _label(G, "Concept", c), "cmocs": len(ms), "chains": through[c]}
            for c, ms in users.items()]
    rows.sort(key=lambda r: (-r["cmocs"], -r["chains"], r["concept"]))
    notes = [f"hubs: chain counts are lower bounds. {n}" for n in found.notes]
    return Rows(rows[:limit], notes)


# --- the registry ------------------------------------------------------------------

@dataclass(frozen=True)
class Param:
    """One query parameter as the command line takes it (``--param name=value``)."""

    type: type  # int, str or bool
    default: Any
    help: str
    required: bool = False
    keyword: str | None = None  # the function's keyword, when it differs from the name


@dataclass(frozen=True)
class Query:
    """A named query: its function, a one-line description, parameters and columns."""

    name: str
    func: Callable[..., Rows]
    description: str
    params: dict[str, Param] = field(default_factory=dict)
    columns: tuple[str, ...] = ()

    def parse(self, raw: Mapping[str, str]) -> dict[str, Any]:
        """Typed parameters from text, every parameter present (defaults filled in)."""
        unknown = [k for k in raw if k not in self.params]
        if unknown:
            valid = ", ".join(self.params) or "none"
            raise UsageError(f"query {self.name} has no parameter '{unknown[0]}'"
                             f"{nearest(unknown[0], self.params)}; its parameters: {valid}")
        out = {}
        for name, p in self.params.items():
            if name not in raw:
                if p.required:
                    raise UsageError(f"query {self.name} needs --param {name}=... ({p.help})")
                out[name] = p.default
            else:
                out[name] = _parse_value(name, p.type, raw[name])
        return out

    def run(self, G: nx.MultiDiGraph, parsed: Mapping[str, Any]) -> Rows:
        """Run on parsed parameters (as from :meth:`parse`)."""
        kwargs = {self.params[k].keyword or k: v for k, v in parsed.items()}
        with collector_paused():  # a search allocates many short-lived objects over a large graph
            return self.func(G, **kwargs)


def _parse_value(name: str, kind: type, text: str) -> Any:
    if kind is int:
        try:
            return int(text)
        except ValueError:
            raise UsageError(f"parameter {name} must be a whole number, not '{text}'") from None
    if kind is bool:
        word = text.strip().lower()
        if word in ("true", "yes", "1", "on"):
            return True
        if word in ("false", "no", "0", "off"):
            return False
        raise UsageError(f"parameter {name} must be true or false, not '{text}'")
    if not text:
        raise UsageError(f"parameter {name} is empty")
    return text


_LIMIT = Param(int, None, "at most this many rows")
QUERIES: dict[str, Query] = {q.name: q for q in (
    Query("chains", chains,
          "Causal chains across CMOCs: an outcome or mechanism of one is a context of the next.", {
              "from": Param(str, None, "first CMOC, or a concept in its context", keyword="source"),
              "to": Param(str, None, "last CMOC, or a concept in its outcome or mechanism",
                          keyword="target"),
              "max_length": Param(int, 6, f"most CMOCs in a chain (2-{MAX_LENGTH})"),
              "limit": _LIMIT,
          }, ("cmocs", "concepts", "areas", "length", "cycle", "truncated")),
    Query("paths", paths, "Causal paths between two concepts through TRIGGERS/PRODUCES edges.", {
        "from": Param(str, None, "concept the paths start from", required=True, keyword="source"),
        "to": Param(str, None, "concept the paths end at", required=True, keyword="target"),
        "max_length": Param(int, 6, f"most edges in a path (1-{MAX_LENGTH})"),
        "limit": _LIMIT,
    }, ("concepts", "cmocs", "length")),
    Query("upstream", upstream, "What leads to a concept, nearest first.", {
        "concept": Param(str, None, "the concept", required=True),
        "max_length": Param(int, 6, f"farthest distance in edges (1-{MAX_LENGTH})"),
        "limit": _LIMIT,
    }, ("concept", "label", "distance")),
    Query("downstream", downstream, "What a concept leads to, nearest first.", {
        "concept": Param(str, None, "the concept", required=True),
        "max_length": Param(int, 6, f"farthest distance in edges (1-{MAX_LENGTH})"),
        "limit": _LIMIT,
    }, ("concept", "label", "distance")),
    Query("conflicts", conflicts,
          "Conflicting configurations, refuted CMOCs in pathways and mixed evidence.", {
              "kind": Param(str, None, "only this kind: " + ", ".join(sorted(CONFLICT_KINDS))),
              "limit": _LIMIT,
          }, ("kind", "level", "cmocs", "concepts", "reason")),
    Query("evidence", evidence,
          "Evidence per CMOC (quotes, participants, sites, waves); thin support flagged.", {
              "by": Param(str, None, "split by this site attribute (e.g. deprivation)"),
              "flagged": Param(bool, False, "only rows with no evidence or a single site"),
              "limit": _LIMIT,
          }, ("cmoc", "area", "value", "quotes", "refuting", "participants", "sites", "waves",
              "flag")),
    Query("hubs", hubs, "Concepts ranked by how many CMOCs and chains pass through them.", {
        "max_length": Param(int, 6, f"max_length of the chains counted (2-{MAX_LENGTH})"),
        "limit": _LIMIT,
    }, ("concept", "label", "cmocs", "chains")),
)}


def get_query(name: str) -> Query:
    """The query called ``name``, or a UsageError that suggests the nearest one."""
    if name not in QUERIES:
        raise UsageError(f"no query '{name}'{nearest(name, QUERIES)}; "
                         f"`ptgraph query --list` shows them: {', '.join(QUERIES)}")
    return QUERIES[name]


def run_query(name: str, G: nx.MultiDiGraph, params: Mapping[str, str] | None = None) -> Rows:
    """Run the query ``name`` with parameters given as text (``{"max_length": "4"}``).

    Raises :class:`~ptgraph.errors.UsageError` for an unknown query or
    parameter, a bad value, or an id that is not in the graph.

    >>> [r["cmocs"] for r in run_query("chains", example_graph(), {"from": "A", "limit": "1"})]
    [['A', 'B']]
    >>> run_query("chain", example_graph())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ptgraph.errors.UsageError: no query 'chain' (did you mean 'chains'?); ...
    """
    query = get_query(name)
    return query.run(G, query.parse(params or {}))


# --- output ---------------------------------------------------------------------------

def _cell(value: Any, list_sep: str = ", ") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return list_sep.join(_cell(v) for v in value)
    return str(value)


def format_rows(name: str, params: Mapping[str, Any], rows: list[dict], fmt: str = "table",
                columns: Iterable[str] = (), width: int | None = None) -> str:
    """Rows as ``table`` (for people), ``json`` or ``csv`` text.

    JSON is ``{"query": NAME, "params": {...}, "rows": [...]}``; CSV joins
    list cells with ``;``. ``columns`` name the columns when there are no rows.
    """
    if fmt == "json":
        return json.dumps({"query": name, "params": dict(params), "rows": list(rows)},
                          indent=2, ensure_ascii=False) + "\n"
    cols = list(rows[0]) if rows else list(columns)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(cols)
        writer.writerows([_cell(row[c], ";") for c in cols] for row in rows)
        return out.getvalue()
    if fmt != "table":
        raise UsageError(f"no output format '{fmt}'; one of table, json, csv")
    if not rows:
        return "(no rows)\n"
    return _table(cols, [[_cell(row[c]) for c in cols] for row in rows],
                  width or shutil.get_terminal_size((100, 24)).columns)


def _table(cols: list[str], cells: list[list[str]], width: int) -> str:
    """A plain text table that fits ``width``: the widest columns wrap first."""
    gap = 2
    natural = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(cols)]
    widths = list(natural)
    room = max(width, 40) - gap * (len(cols) - 1)
    floor = [min(w, max(len(c), 8)) for w, c in zip(natural, cols)]
    while sum(widths) > room and any(w > f for w, f in zip(widths, floor)):
        i = max(range(len(cols)), key=lambda j: widths[j] - floor[j] if widths[j] > floor[j] else -1)
        widths[i] -= 1
    wrapped_any = widths != natural
    lines = []

    def put(parts: list[str]) -> None:
        wrapped = [textwrap.wrap(p, w, break_on_hyphens=False) or [""] for p, w in zip(parts, widths)]
        for k in range(max(len(w) for w in wrapped)):
            line = (" " * gap).join((w[k] if k < len(w) else "").ljust(widths[i])
                                    for i, w in enumerate(wrapped))
            lines.append(line.rstrip())

    put(cols)
    lines.append((" " * gap).join("-" * w for w in widths))
    for k, row in enumerate(cells):
        if wrapped_any and k:
            lines.append("")  # rows that wrap read better apart
        put(row)
    return "\n".join(lines) + "\n"


def format_query_list(fmt: str = "table") -> str:
    """The queries with their one-line description and parameters."""
    if fmt == "json":
        return json.dumps([{"name": q.name, "description": q.description, "params": [
            {"name": n, "type": p.type.__name__, "default": p.default, "required": p.required,
             "help": p.help} for n, p in q.params.items()]} for q in QUERIES.values()],
            indent=2) + "\n"
    lines = []
    for q in QUERIES.values():
        lines.append(f"{q.name:<11} {q.description}")
        for n, p in q.params.items():
            default = "required" if p.required else f"default {_cell(p.default) or 'none'}"
            lines.extend(textwrap.wrap(f"{p.help} ({default})", 100, break_on_hyphens=False,
                                       initial_indent=f"{'':<12}{n + '=' + p.type.__name__.upper():<17}",
                                       subsequent_indent=" " * 29))
    return "\n".join(lines) + "\n"


# --- the tiny theory of the examples ---------------------------------------------------

def example_graph() -> nx.MultiDiGraph:
    """The graph of a tiny theory used by the examples in this module.

    Three CMOCs: ``A`` (area a1) x -> m1 -> y, ``B`` (a2) y -> m2 -> z and
    ``C`` (a2) y -> m2 -> w, where ``w`` opposes ``z``. Evidence: q1 (site s1,
    deprivation High, interview) supports A and B; q2 (s2, Low, follow-up)
    supports A.

    >>> G = example_graph()
    >>> sorted(id for kind, id in G if kind == "CMOC")
    ['A', 'B', 'C']
    """
    from .graph import build_graph
    from .model import CMOC, Area, Concept, Evidence, Site, Theory

    concepts = {i: Concept(i, i.upper()) for i in ("x", "m1", "y", "m2", "z")}
    concepts["w"] = Concept("w", "W", opposes=("z",))
    return build_graph(Theory(
        "example", "Example",
        areas={"a1": Area("a1", "Area 1"), "a2": Area("a2", "Area 2")},
        sites={"s1": Site("s1", "Site 1", {"deprivation": "High"}),
               "s2": Site("s2", "Site 2", {"deprivation": "Low"})},
        concepts=concepts,
        cmocs={"A": CMOC("A", "a1", "x -> m1 -> y", ("x",), ("m1",), ("y",)),
               "B": CMOC("B", "a2", "y -> m2 -> z", ("y",), ("m2",), ("z",)),
               "C": CMOC("C", "a2", "y -> m2 -> w", ("y",), ("m2",), ("w",))},
        evidence={"q1": Evidence("q1", "...", ("A", "B"), participant="P1", site="s1", wave="interview"),
                  "q2": Evidence("q2", "...", ("A",), participant="P2", site="s2", wave="follow-up")},
    ))


__all__ = [
    "CONFLICT_KINDS", "DEFAULT_BUDGET", "MAX_LENGTH", "Param", "QUERIES", "Query", "Rows",
    "chains", "conflicts", "describe_conflict", "downstream", "evidence", "example_graph",
    "format_query_list", "format_rows", "get_query", "hubs", "paths", "run_query", "upstream",
]
