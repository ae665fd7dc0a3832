"""Properties of the queries on generated theories, against brute-force references."""

from __future__ import annotations

from dataclasses import replace
from itertools import permutations, product

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from ptgraph.graph import build_graph
from ptgraph.model import CMOC, Area, Concept, Evidence, Pathway, Theory
from ptgraph.queries import bridges, chains, conflicts, contrasts, downstream, hubs, paths, upstream
from test_queries import chain_problems, interleaved

SETTINGS = settings(max_examples=150, deadline=None)


@st.composite
def theories(draw, max_concepts: int = 7, max_cmocs: int = 7, shuffled: bool = False):
    """A small random theory, dense enough for loops and parallel links. With
    ``shuffled``, returns the same theory twice, the second with every dict and
    every unordered list in another order."""
    concepts = [f"c{i}" for i in range(draw(st.integers(2, max_concepts)))]
    some = st.lists(st.sampled_from(concepts), min_size=1, max_size=2, unique=True).map(tuple)
    cmocs = [CMOC(f"M{i}", draw(st.sampled_from(["a1", "a2", "a3"])), "s", draw(some), draw(some),
                  draw(some), status=draw(st.sampled_from(["new", "new", "confirmed", "refuted"])))
             for i in range(draw(st.integers(1, max_cmocs)))]
    # two or more contexts: all of them, or any one of them (context: {any: [...]})
    cmocs = [replace(m, context_any=len(m.context) > 1 and draw(st.booleans())) for m in cmocs]
    ids = [m.id for m in cmocs]
    opposes = draw(st.lists(st.tuples(st.sampled_from(concepts), st.sampled_from(concepts))
                            .filter(lambda p: p[0] != p[1]), max_size=4, unique=True))
    evidence = []
    for i in range(draw(st.integers(0, 5))):
        supports = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=2, unique=True))
        refutes = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True)
                       .map(lambda r, s=supports: [m for m in r if m not in s]))
        evidence.append(Evidence(f"e{i}", "q", tuple(supports), tuple(refutes)))
    pathways = [Pathway(f"p{i}", f"P{i}", tuple(draw(st.lists(st.sampled_from(concepts + ids),
                                                                min_size=1, max_size=4))))
                for i in range(draw(st.integers(0, 2)))]

    def make(order) -> Theory:
        opp = {c: order(tuple(b for a, b in opposes if a == c)) for c in concepts}
        return Theory(
            "gen", "Generated", areas={a: Area(a, a.upper()) for a in order(("a1", "a2", "a3"))},
            concepts={c: Concept(c, c.upper(), opposes=opp[c]) for c in order(tuple(concepts))},
            cmocs={m.id: CMOC(m.id, m.area, m.statement, order(m.context), order(m.mechanism),
                              order(m.outcome), status=m.status, context_any=m.context_any)
                   for m in order(tuple(cmocs))},
            evidence={e.id: Evidence(e.id, e.quote, order(e.supports), order(e.refutes))
                      for e in order(tuple(evidence))},
            pathways={p.id: p for p in order(tuple(pathways))})

    if not shuffled:
        return make(lambda xs: xs)
    rnd = draw(st.randoms(use_true_random=False))
    return make(lambda xs: xs), make(lambda xs: tuple(rnd.sample(list(xs), len(xs)))), rnd


def shuffled_graph(G, rnd):
    """The same graph with its nodes and edges added in another order."""
    H = nx.MultiDiGraph(**G.graph)
    H.add_nodes_from(rnd.sample(list(G.nodes(data=True)), len(G)))
    H.add_edges_from(rnd.sample(list(G.edges(keys=True, data=True)), G.number_of_edges()))
    return H


# --- references, written for clarity, not speed --------------------------------

def role(G, m, *rels):
    return {v[1] for _, v, t in G.out_edges(("CMOC", m), data="type") if t in rels}


def brute_chains(G, max_length, source=None, target=None):
    ms = sorted(k[1] for k in G if k[0] == "CMOC")
    ctx = {m: role(G, m, "HAS_CONTEXT") for m in ms}
    res = {m: role(G, m, "HAS_OUTCOME", "HAS_MECHANISM") for m in ms}
    area = {m: next(v[1] for _, v, t in G.out_edges(("CMOC", m), data="type") if t == "IN_AREA")
            for m in ms}
    succ = {m: {n for n in ms if n != m and res[m] & ctx[n]} for m in ms}
    preds = {n: {m for m in ms if n in succ[m]} for n in ms}
    rows = []

    def grow(seq, cs):
        if len(seq) >= 2:
            last, inside = seq[-1], set(seq)
            onward = succ[last] - inside
            full = len(seq) == max_length
            # the open end may be cut at max_length: the last CMOC, or with
            # only `to` given, the first
            cut_start = source is None and target is not None and not preds[seq[0]] <= inside
            cut_end = target is None and bool(onward)
            if source is None:
                start_ok = preds[seq[0]] <= inside or (cut_start and full)
            else:
                start_ok = seq[0] == source or source in ctx[seq[0]]
            if target is None:
                end_ok = not onward or full
            else:
                end_ok = last == target or target in res[last]
            if start_ok and end_ok:
                back = [m for m in seq[:-1] if m in succ[last]]
                rows.append({"cmocs": list(seq), "concepts": list(cs),
                             "areas": [area[m] for m in seq], "length": len(seq),
                             "cycle": back[0] if back else None,
                             "truncated": (cut_start or cut_end) and full})
        if len(seq) < max_length:
            for n in succ[seq[-1]] - set(seq):
                for c in sorted(res[seq[-1]] & ctx[n]):
                    grow(seq + [n], cs + [c])

    for m in ms:
        grow([m], [])
    return sorted(rows, key=interleaved)


def causal_edges(G):
    """Every TRIGGERS or PRODUCES edge as ``(from concept, to concept, its CMOC)``."""
    return {(u[1], v[1], d["cmoc"]) for u, v, d in G.edges(data=True)
            if d["type"] in ("TRIGGERS", "PRODUCES")}


def path_problems(G, concepts, cmocs) -> list[str]:
    """Everything wrong with a causal path by its definition (docs/graph-model.md), empty when
    valid: a sequence of TRIGGERS/PRODUCES edges, each carrying its CMOC, where consecutive
    edges of different CMOCs meet at a concept that is produced by the first (its outcome or
    mechanism) and is a context of the second. Written from the definition, not the queries."""
    out = []
    if len(cmocs) != len(concepts) - 1 or not cmocs:
        return ["not one CMOC per edge"]
    edges = causal_edges(G)
    for u, v, m in zip(concepts, concepts[1:], cmocs):
        if (u, v, m) not in edges:
            out.append(f"no edge {u} -> {v} of {m}")
    for at, m, n in zip(concepts[1:], cmocs, cmocs[1:]):
        if m != n and not (at in role(G, m, "HAS_OUTCOME", "HAS_MECHANISM")
                           and at in role(G, n, "HAS_CONTEXT")):
            out.append(f"{m} and {n} meet at {at}: not produced by {m}, or no context of {n}")
    return out


def forbidden_joins(G) -> set[tuple[str, str, str]]:
    """``(m, c, n)`` for every two consecutive edges, of m into c and of n out of c, that the
    old definition (any shared concept) allowed and the definition of a causal path forbids."""
    edges = causal_edges(G)
    return {(m, c, n) for u, c, m in edges for c2, w, n in edges
            if c2 == c and path_problems(G, [u, c, w], [m, n])}


def brute_walks(G, concept, max_length, backwards):
    """Every causal path (checked by path_problems) of 1..max_length edges starting at
    ``concept`` (ending there when ``backwards``), as (concepts, cmocs); concepts may repeat."""
    edges = sorted(causal_edges(G))
    found = []

    def grow(cs, ms):
        if ms:
            found.append((cs, ms))
        if len(ms) < max_length:
            for u, v, m in edges:
                if backwards and u != cs[0] and v == cs[0]:
                    new = ([u] + cs, [m] + ms)
                elif not backwards and u == cs[-1] and v != cs[-1]:
                    new = (cs + [v], ms + [m])
                else:
                    continue
                if not path_problems(G, *new):  # a causal path's parts are causal paths
                    grow(*new)

    grow([concept], [])
    return found


def old_paths(G, source, target, max_length):
    """The paths of the old definition: TRIGGERS/PRODUCES edges switching CMOC at any concept."""
    edge = {}
    for (_, u), (_, v), d in G.edges(data=True):
        if d["type"] in ("TRIGGERS", "PRODUCES"):
            edge.setdefault((u, v), set()).add(d["cmoc"])
    others = sorted({k[1] for k in G if k[0] == "Concept"} - {source, target})
    rows = []
    for length in range(1, max_length + 1):
        for middle in permutations(others, length - 1):
            seq = [source, *middle, target]
            steps = [sorted(edge.get(pair, ())) for pair in zip(seq, seq[1:])]
            rows += [{"concepts": seq, "cmocs": list(cm), "length": length} for cm in product(*steps)]
    return sorted(rows, key=lambda r: (r["length"], r["concepts"], r["cmocs"]))


# --- properties --------------------------------------------------------------------

@SETTINGS
@given(theories(), st.integers(2, 5))
def test_chains_are_valid_and_match_the_reference(theory, max_length):
    G = build_graph(theory)
    rows = chains(G, max_length=max_length)
    for row in rows:
        assert chain_problems(G, row, max_length=max_length) == []
    assert rows == brute_chains(G, max_length)


@SETTINGS
@given(theories(), st.integers(2, 5), st.data())
def test_chains_from_to_limit_match_the_reference(theory, max_length, data):
    G = build_graph(theory)
    ids = sorted(k[1] for k in G if k[0] in ("CMOC", "Concept"))
    source = data.draw(st.none() | st.sampled_from(ids))
    target = data.draw(st.none() | st.sampled_from(ids))
    rows = chains(G, source=source, target=target, max_length=max_length)
    assert rows == brute_chains(G, max_length, source, target)
    assert all(len(r["cmocs"]) <= max_length for r in rows)
    limit = data.draw(st.integers(1, 5))
    assert chains(G, source=source, target=target, max_length=max_length, limit=limit) == rows[:limit]


@SETTINGS
@given(theories(max_concepts=6), st.integers(1, 5), st.data())
def test_paths_are_the_causal_paths_of_the_definition(theory, max_length, data):
    G = build_graph(theory)
    concepts = sorted(theory.concepts)
    source, target = data.draw(st.permutations(concepts).map(lambda p: p[:2]))
    rows = paths(G, source=source, target=target, max_length=max_length)
    for r in rows:
        assert path_problems(G, r["concepts"], r["cmocs"]) == []
    old = old_paths(G, source, target, max_length)
    assert rows == [r for r in old if not path_problems(G, r["concepts"], r["cmocs"])]
    # what the old definition found and this one does not crosses a bridge, and only that
    joins = {(b["cmocs"][0], b["concept"], b["cmocs"][1]) for b in bridges(G)}
    assert [r for r in old if r not in rows] == [
        r for r in old if set(zip(r["cmocs"], r["concepts"][1:], r["cmocs"][1:])) & joins]
    assert paths(G, source=source, target=target, max_length=max_length, limit=2) == rows[:2]


@SETTINGS
@given(theories(), st.integers(1, 4), st.data())
def test_upstream_downstream_are_the_shortest_causal_paths(theory, max_length, data):
    G = build_graph(theory)
    concept = data.draw(st.sampled_from(sorted(theory.concepts)))
    for func, backwards in ((downstream, False), (upstream, True)):
        rows = func(G, concept=concept, max_length=max_length)
        for r in rows:
            assert path_problems(G, r["path"], r["cmocs"]) == []
            assert len(r["cmocs"]) == r["distance"] and r["label"] == r["concept"].upper()
            assert r["path"][0 if backwards else -1] == r["concept"]
            assert r["path"][-1 if backwards else 0] == concept
        # per concept reached, the first of its shortest causal paths in the order of paths
        first = {}
        for cs, ms in brute_walks(G, concept, max_length, backwards):
            end = cs[0] if backwards else cs[-1]
            key = (len(ms), cs, ms)
            if end != concept and (end not in first or key < first[end]):
                first[end] = key
        expected = sorted(((c, *key) for c, key in first.items()), key=lambda x: (x[1], x[0]))
        assert [(r["concept"], r["distance"], r["path"], r["cmocs"]) for r in rows] == expected
        assert func(G, concept=concept, max_length=max_length, limit=1) == rows[:1]


@SETTINGS
@given(theories(), st.integers(2, 5))
def test_chains_link_as_causal_paths_join(theory, max_length):
    G = build_graph(theory)
    rows = chains(G, max_length=max_length)
    for r in rows:
        for m, c, n in zip(r["cmocs"], r["concepts"], r["cmocs"][1:]):
            # an edge of m into c followed by an edge of n out of c is a causal path
            into = [(u, c, m) for u, v, k in causal_edges(G) if v == c and k == m]
            out = [(c, w, n) for u, w, k in causal_edges(G) if u == c and k == n]
            assert into and out and all(not path_problems(G, [a, c, w], [m, n])
                                        for a, _, _ in into for _, w, _ in out)
    # hubs counts these very chains
    through = {}
    for r in rows:
        for c in set(r["concepts"]):
            through[c] = through.get(c, 0) + 1
    assert {h["concept"]: h["chains"] for h in hubs(G, max_length=max_length)} == {
        c: through.get(c, 0) for c in {h["concept"] for h in hubs(G, max_length=max_length)}}


@SETTINGS
@given(theories(), st.data())
def test_bridges_are_exactly_the_joins_causal_paths_forbid(theory, data):
    G = build_graph(theory)
    rows = bridges(G)
    assert {(r["cmocs"][0], r["concept"], r["cmocs"][1]) for r in rows} == forbidden_joins(G)
    keys = [(r["cmocs"], r["concept"]) for r in rows]
    assert keys == sorted(keys)
    assert len(rows) == len(forbidden_joins(G))
    for r in rows:
        n = r["cmocs"][1]
        assert r["contexts"] == sorted(role(G, n, "HAS_CONTEXT"))
        assert r["outcomes"] == sorted(role(G, n, "HAS_OUTCOME"))
        assert r["reason"].startswith(f"No CMOC asserts that '{r['concept'].upper()}', as "
                                      f"{r['cmocs'][0]} produces it, leads to ")
    cmoc = data.draw(st.none() | st.sampled_from(sorted(theory.cmocs)))
    concept = data.draw(st.none() | st.sampled_from(sorted(theory.concepts)))
    assert bridges(G, cmoc=cmoc, concept=concept) == [
        r for r in rows if cmoc in (None, *r["cmocs"]) and concept in (None, r["concept"])]


@SETTINGS
@given(theories(shuffled=True))
def test_conflicts_do_not_depend_on_order(pair):
    first, second, rnd = pair
    rows = conflicts(build_graph(first))
    assert rows == conflicts(shuffled_graph(build_graph(second), rnd))
    assert len({(r["kind"], tuple(r["cmocs"])) for r in rows}) == len(rows)  # a total order
    assert all(r["cmocs"] == sorted(r["cmocs"]) for r in rows)


def refuted_in_pathways_reference(theory: Theory) -> dict[str, tuple[list[str], list[str]]]:
    """Refuted CMOC -> (pathways relying on it, concepts of its steps they use), from the definition."""
    def claims(m):
        return ({(a, b) for a in m.context for b in m.mechanism + m.outcome}
                | {(a, b) for a in m.mechanism for b in m.outcome})
    live = set().union(*(claims(m) for m in theory.cmocs.values() if m.status != "refuted"))
    found = {}
    for m in theory.cmocs.values():
        if m.status != "refuted":
            continue
        used, concepts = [], set()
        for p in sorted(theory.pathways.values(), key=lambda p: p.id):
            steps = [s for s in p.steps if s in theory.concepts]
            pairs = {(steps[i], steps[j]) for i in range(len(steps)) for j in range(i + 1, len(steps))
                     if (steps[i], steps[j]) in claims(m) - live}
            if pairs or m.id in p.steps:
                used.append(p.id)
                concepts |= {c for pair in pairs for c in pair}
        if used:
            found[m.id] = (used, sorted(concepts))
    return found


@SETTINGS
@given(theories())
def test_refuted_in_pathway_matches_its_definition(theory):
    rows = conflicts(build_graph(theory), kind="refuted-in-pathway")
    expected = refuted_in_pathways_reference(theory)
    assert {r["cmocs"][0]: r["concepts"] for r in rows} == {m: c for m, (_, c) in expected.items()}
    for r in rows:
        named = [p for p in sorted(theory.pathways) if f"({p})" in r["reason"]]
        assert named == expected[r["cmocs"][0]][0]


# --- contrasts: the definition, pair by pair (docs/graph-model.md) ------------------------------

def contrasts_reference(theory: Theory, by: str) -> dict[str, tuple[str, list[str]]]:
    """Shared concept -> (pattern, its CMOCs), from every pair, straight from the definition."""
    other = "context" if by == "mechanism" else "mechanism"
    live = {m: c for m, c in theory.cmocs.items() if c.status != "refuted"}
    opposes = {frozenset((c.id, o)) for c in theory.concepts.values() for o in c.opposes}
    names = ({"opposing": "opposing", "different": "context-dependent", "same": "demi-regularity"}
             if by == "mechanism" else
             {"opposing": "opposing", "different": "mechanism-dependent", "same": "equifinality"})
    out = {}
    for k in sorted({k for c in live.values() for k in getattr(c, by)}):
        ms = sorted(m for m, c in live.items() if k in getattr(c, by))
        # contexts differ in their set or their mode (any one of them, or all)
        differ = [(a, b) for a in ms for b in ms if a < b
                  and (set(getattr(live[a], other)) != set(getattr(live[b], other))
                       or (other == "context" and live[a].context_any != live[b].context_any))]
        if not differ:
            continue
        if any(x != y and frozenset((x, y)) in opposes
               for a, b in differ for x in live[a].outcome for y in live[b].outcome):
            pattern = names["opposing"]
        elif any(set(live[a].outcome) != set(live[b].outcome) for a, b in differ):
            pattern = names["different"]
        else:
            pattern = names["same"]
        out[k] = (pattern, ms)
    return out


@SETTINGS
@given(theories(), st.sampled_from(["mechanism", "context"]))
def test_contrasts_follow_the_definition(theory, by):
    rows = contrasts(build_graph(theory), by=by)
    assert {r["concept"]: (r["pattern"], r["cmocs"]) for r in rows} == contrasts_reference(theory, by)
    order = {"opposing": 0, "context-dependent": 1, "mechanism-dependent": 1}
    keys = [(order.get(r["pattern"], 2), r["concept"]) for r in rows]
    assert keys == sorted(keys)
    for r in rows:
        m = [theory.cmocs[x] for x in r["cmocs"]]
        assert r["contexts"] == [(" or " if c.context_any else " + ").join(sorted(c.context))
                                 for c in m]
        assert r["outcomes"] == [" + ".join(sorted(c.outcome)) for c in m]


@SETTINGS
@given(theories(shuffled=True), st.sampled_from(["mechanism", "context"]))
def test_contrasts_do_not_depend_on_order(pair, by):
    first, second, rnd = pair
    rows = contrasts(build_graph(first), by=by)
    assert rows == contrasts(shuffled_graph(build_graph(second), rnd), by=by)
