"""Properties of the queries on generated theories, against brute-force references."""

from __future__ import annotations

from itertools import permutations, product

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from ptgraph.graph import build_graph
from ptgraph.model import CMOC, Area, Concept, Evidence, Pathway, Theory
from ptgraph.queries import chains, conflicts, downstream, paths, upstream
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
                              order(m.outcome), status=m.status) for m in order(tuple(cmocs))},
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


def brute_paths(G, source, target, max_length):
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
def test_paths_match_brute_force(theory, max_length, data):
    G = build_graph(theory)
    concepts = sorted(theory.concepts)
    source, target = data.draw(st.permutations(concepts).map(lambda p: p[:2]))
    rows = paths(G, source=source, target=target, max_length=max_length)
    assert rows == brute_paths(G, source, target, max_length)
    assert paths(G, source=source, target=target, max_length=max_length, limit=2) == rows[:2]


@SETTINGS
@given(theories(), st.integers(1, 4), st.data())
def test_upstream_downstream_are_shortest_distances(theory, max_length, data):
    G = build_graph(theory)
    C = nx.DiGraph([(u[1], v[1]) for u, v, t in G.edges(data="type") if t in ("TRIGGERS", "PRODUCES")])
    concept = data.draw(st.sampled_from(sorted(theory.concepts)))
    for func, graph in ((downstream, C), (upstream, C.reverse())):
        dist = nx.single_source_shortest_path_length(graph, concept, cutoff=max_length) \
            if concept in graph else {}
        expected = sorted(((c, d) for c, d in dist.items() if c != concept), key=lambda x: (x[1], x[0]))
        assert [(r["concept"], r["distance"]) for r in func(G, concept=concept, max_length=max_length)] \
            == expected


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
