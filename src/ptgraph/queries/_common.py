"""What the named queries share: reading the graph, the CMOC link graph, searching.

Every query module reads the graph of :func:`ptgraph.graph.build_graph`
through these helpers, so that all of them see CMOCs, roles and links alike.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import networkx as nx

from ..errors import UsageError
from ..graph import ROLE_RELS
from ..model import CAUSAL_ROLES, ROLES
from ..rules._common import nearest


#: Highest ``max_length`` any query accepts: the twins grow their paths and
#: chains a step at a time, ``range(1, $max_length)`` steps, which this bounds.
MAX_LENGTH = 10


#: Steps of search a path-enumerating query may take before it stops and says so.
DEFAULT_BUDGET = 100_000


LEVELS = ("error", "warning", "info")


_CAUSAL = ("TRIGGERS", "PRODUCES")


_ROLE_OF = {rel: role for role, rel in ROLE_RELS.items()}


class Rows(list):
    """A query's rows, plus ``notes`` for people (e.g. that the work budget was hit).

    Notes never change the rows' shape; the command line prints them on stderr.
    """

    def __init__(self, rows: Iterable[dict] = (), notes: Iterable[str] = ()) -> None:
        super().__init__(rows)
        self.notes = list(notes)


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
    context_any: bool = False  # any one of the contexts will do (else all of them)
    resource: frozenset[str] = frozenset()
    intervention: frozenset[str] = frozenset()
    actor: frozenset[str] = frozenset()

    @property
    def produced(self) -> frozenset[str]:
        """What a link may leave from: what the CMOC produces, its mechanisms and outcomes.
        Not its resources: the programme introduces those, the CMOC does not produce them."""
        return self.mechanism | self.outcome

    @property
    def configuration(self) -> tuple:
        """Everything but the outcome, as configurations compare: the situation, then the
        resources, mechanisms, interventions and actors (each a set)."""
        return (self.situation, self.resource, self.mechanism, self.intervention, self.actor)

    @property
    def situation(self) -> tuple[frozenset[str], bool]:
        """The contexts as a configuration compares them: the set and whether any one will do."""
        return (self.context, self.context_any)


def _roles(G: nx.MultiDiGraph) -> dict[str, _Roles]:
    """CMOC id -> its concept ids in each role (:data:`ptgraph.model.ROLES`), and the context's mode."""
    found: dict[str, dict[str, set[str]]] = {m: defaultdict(set) for m in _ids(G, "CMOC")}
    for (kind, m), (_, c), rel in G.edges(data="type"):
        if kind == "CMOC" and rel in _ROLE_OF:
            found[m][_ROLE_OF[rel]].add(c)
    return {m: _Roles(context_any=bool(G.nodes["CMOC", m].get("context_any")),
                      **{role: frozenset(r[role]) for role in ROLES})
            for m, r in found.items()}


def _joined(ids: Iterable[str], any_one: bool = False) -> str:
    """Sorted ids joined as a row shows a role: ``a + b`` (all of them), ``a or b`` (any one)."""
    return (" or " if any_one else " + ").join(sorted(ids))


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
        for c in r.produced:
            by_result[c].add(m)
    links = {m: sorted({(c, n) for c in r.produced
                        for n in by_context.get(c, ()) if n != m})
             for m, r in roles.items()}
    succ = {m: {n for _, n in pairs} for m, pairs in links.items()}
    preds: dict[str, set[str]] = {m: set() for m in roles}
    for m, nexts in succ.items():
        for n in nexts:
            preds[n].add(m)
    return _Links(links, succ, {m: frozenset(p) for m, p in preds.items()}, _areas(G),
                  dict(by_context), dict(by_result))


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


@dataclass(frozen=True)
class _JoinParts:
    """What the join rule reads of each CMOC: its contexts and its resources."""

    context: Mapping[str, frozenset[str]]
    resource: Mapping[str, frozenset[str]]


def _joins(ctx: _JoinParts, at: str, first: str | None, second: str) -> bool:
    """May a causal path go on from an edge of CMOC ``first`` to one of ``second`` at ``at``?

    The join rule (docs/graph-model.md, "Causal path"): always within one
    CMOC; across two, only where ``at`` is produced by ``first`` (the end of
    its edge, and not a resource: the programme introduces those) and is a
    context of ``second``. ``first`` is None at the start of a path, where
    any edge may begin it.
    """
    return (first is None or first == second
            or (at in ctx.context[second] and at not in ctx.resource[first]))


def _contexts(roles: Mapping[str, _Roles]) -> _JoinParts:
    return _JoinParts({m: r.context for m, r in roles.items()},
                      {m: r.resource for m, r in roles.items()})


def _state_distances(step: Mapping[str, Mapping[str, list[str]]], ctx: _JoinParts,
                     target: str, most: int) -> dict[tuple[str, str], int]:
    """Fewest edges from each state ``(concept, cmoc)`` to ``target`` along causal paths.

    A state is where a causal path stands: at ``concept``, reached by an edge
    of ``cmoc``. Paths from it may pass a concept twice (a lower bound for the
    paths of distinct concepts), up to ``most`` edges.
    """
    into: dict[str, set[str]] = defaultdict(set)  # concept -> CMOCs with an edge into it
    back: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)  # v -> (u, CMOCs of u -> v)
    for u, nexts in step.items():
        for v, ms in nexts.items():
            into[v].update(ms)
            back[v].append((u, ms))
    dist = {(target, m): 0 for m in sorted(into[target])}
    queue = deque(dist)
    while queue:
        w, n = queue.popleft()
        d = dist[w, n]
        if d >= most:
            continue
        for v, ms in back[w]:
            if n not in ms:
                continue
            # from (v, m) the edge v -> w of n may follow when the join rule allows it
            for m in (x for x in into[v] if _joins(ctx, v, x, n)):
                if (v, m) not in dist:
                    dist[v, m] = d + 1
                    queue.append((v, m))
    return dist


def _reach(G: nx.MultiDiGraph, concept: str, max_length: int, limit: int | None,
           backwards: bool) -> Rows:
    """The rows of upstream (``backwards``) or downstream: a breadth-first search over states.

    A state is a concept with the CMOC of the path's edge beside it (the edge
    into it going downstream, the edge out of it going upstream); the join
    rule decides which edge may come next. Each layer keeps, for every state
    first reached in it, the first of the shortest paths to it in the order of
    ``paths`` (concepts, then CMOCs): extending paths of equal length by the
    same edge keeps their order, so the first path to a state extends the
    first path to the state before it.
    """
    _find(G, ("Concept",), concept, "concept")
    _check_int("max_length", max_length, 1, MAX_LENGTH)
    _check_int("limit", limit, 1)
    step = _causal(G)
    ctx = _contexts(_roles(G))
    if backwards:
        back: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
        for u, nexts in step.items():
            for v, ms in nexts.items():
                back[v].append((u, ms))
    Key = tuple[tuple[str, ...], tuple[str, ...]]
    layer: dict[tuple[str, str | None], Key] = {(concept, None): ((concept,), ())}
    seen = set(layer)
    best: dict[str, tuple[int, Key]] = {}
    for distance in range(1, max_length + 1):
        nxt: dict[tuple[str, str | None], Key] = {}
        for (v, m), (path, cmocs) in layer.items():
            if backwards:  # edges u -> v of n, before an edge of m out of v
                for u, ns in back[v]:
                    for n in ns:
                        if m is None or _joins(ctx, v, n, m):
                            key = ((u, *path), (n, *cmocs))
                            if (u, n) not in seen and ((u, n) not in nxt or key < nxt[u, n]):
                                nxt[u, n] = key
            else:  # edges v -> w of n, after an edge of m into v
                for w, ns in step[v].items():
                    for n in ns:
                        if _joins(ctx, v, m, n):
                            key = ((*path, w), (*cmocs, n))
                            if (w, n) not in seen and ((w, n) not in nxt or key < nxt[w, n]):
                                nxt[w, n] = key
        seen.update(nxt)
        for (x, _), key in nxt.items():
            if x != concept and (x not in best or (best[x][0] == distance and key < best[x][1])):
                best[x] = (distance, key)
        layer = nxt
        if not layer:
            break
    rows = [{"concept": x, "label": _label(G, "Concept", x), "distance": d, "path": list(path),
             "cmocs": list(cmocs)}
            for x, (d, (path, cmocs)) in sorted(best.items(), key=lambda kv: (kv[1][0], kv[0]))]
    return Rows(rows[:limit])


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
    from ..graph import build_graph
    from ..model import CMOC, Area, Concept, Evidence, Site, Theory

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


def explain_reach(G: nx.MultiDiGraph, *, concept: str, backwards: bool, **_: object) -> str:
    """Why ``upstream`` (``backwards``) or ``downstream`` finds nothing: one line for people.

    >>> explain_reach(example_graph(), concept="x", backwards=True)
    "upstream: nothing leads to 'X': no CMOC has it as a mechanism or outcome (A has it as a context)."
    """
    name, what = ("upstream", "leads to") if backwards else ("downstream", "follows from")
    roles = _roles(G)
    where = {role: sorted(m for m, r in roles.items() if concept in getattr(r, role))
             for role in CAUSAL_ROLES}
    label = _label(G, "Concept", concept)
    if not any(where.values()):
        return f"{name}: nothing {what} '{label}': no CMOC uses it."
    uses = "; ".join(f"{', '.join(ms)} {'has' if len(ms) == 1 else 'have'} it as "
                     f"{'an' if role == 'outcome' else 'a'} {role}"
                     for role, ms in where.items() if ms)
    # a theory without resources is told as before: its causal order has no such part
    resource = "resource, " if any(r.resource for r in roles.values()) else ""
    if backwards:
        return (f"{name}: nothing leads to '{label}': no CMOC has it as a {resource}mechanism "
                f"or outcome ({uses}).")
    with_resource = "context, resource " if resource else "context "
    return (f"{name}: nothing follows from '{label}': no CMOC has it as a {with_resource}or "
            f"mechanism ({uses}).")
