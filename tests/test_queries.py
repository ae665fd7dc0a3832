"""The named queries on small fixture theories with hand-computed answers, and the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from ptgraph.check import load_theory
from ptgraph.errors import UsageError
from ptgraph.graph import build_graph
from ptgraph.queries._format import _cell
from ptgraph.queries import (QUERIES, bridges, chains, conflicts, contrasts, downstream, evidence,
                             hubs, paths, run_query, upstream)
from ptgraph.queries.conflicts import explain_conflicts
from ptgraph.queries.contrasts import explain_contrasts

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "queries"


def graph(name: str):
    return build_graph(load_theory(FIXTURES / name))


@pytest.fixture(scope="module")
def chains_g():
    return graph("chains")


def chain_problems(G, row: dict, *, max_length: int = 6) -> list[str]:
    """Everything wrong with a chains row, by the definition (empty when valid)."""
    def concepts_of(m: str, *rels: str) -> set[str]:
        return {v[1] for _, v, t in G.out_edges(("CMOC", m), data="type") if t in rels}

    def links(m: str) -> set[tuple[str, str]]:
        return {(c, n) for c in concepts_of(m, "HAS_OUTCOME", "HAS_MECHANISM")
                for (_, n), _, t in G.in_edges(("Concept", c), data="type")
                if t == "HAS_CONTEXT" and n != m}

    ms, cs = row["cmocs"], row["concepts"]
    out = []
    if not 2 <= len(ms) <= max_length or row["length"] != len(ms) or len(cs) != len(ms) - 1:
        out.append("wrong length")
    if len(set(ms)) != len(ms):
        out.append("a CMOC repeats")
    for m, c, n in zip(ms, cs, ms[1:]):
        if (c, n) not in links(m):
            out.append(f"{m} does not link to {n} through {c}")
    areas = [next(v[1] for _, v, t in G.out_edges(("CMOC", m), data="type") if t == "IN_AREA")
             for m in ms]
    if row["areas"] != areas:
        out.append("wrong areas")
    back = [m for m in ms[:-1] if m in {n for _, n in links(ms[-1])}]
    if row["cycle"] != (back[0] if back else None):
        out.append("wrong cycle")
    onward = {n for _, n in links(ms[-1])} - set(ms)
    if row["truncated"] != (bool(onward) and len(ms) == max_length):
        out.append("wrong truncated")
    return out


def interleaved(row: dict) -> list[str]:
    out = [row["cmocs"][0]]
    for c, m in zip(row["concepts"], row["cmocs"][1:]):
        out += [c, m]
    return out


# --- chains ------------------------------------------------------------------

def ids(rows, *keys):
    return [tuple(tuple(r[k]) if isinstance(r[k], list) else r[k] for k in keys) for r in rows]


def test_chains_maximal_by_hand(chains_g):
    rows = chains(chains_g)
    assert ids(rows, "cmocs", "concepts", "cycle", "truncated") == [
        (("A", "C"), ("ma",), None, False),
        (("A", "B", "D", "E"), ("p", "q", "s"), "D", False),  # E links back to D
        (("A", "C"), ("p",), None, False),  # A links to C twice: two rows
        (("E", "D"), ("q",), "E", False),  # the loop, entered where nothing leads in
        (("F", "C"), ("ma",), None, False),
    ]
    assert rows[1]["areas"] == ["a1", "a2", "a3", "a3"] and rows[1]["length"] == 4
    assert all(chain_problems(chains_g, r) == [] for r in rows)


def test_chains_cut_at_max_length(chains_g):
    rows = chains(chains_g, max_length=3)
    assert ids(rows, "cmocs", "cycle", "truncated") == [
        (("A", "C"), None, False), (("A", "B", "D"), None, True), (("A", "C"), None, False),
        (("E", "D"), "E", False), (("F", "C"), None, False)]
    assert ids(chains(chains_g, max_length=2), "cmocs", "truncated")[1] == (("A", "B"), True)


@pytest.mark.parametrize("params, expected", [
    ({"source": "B"}, [("B", "D", "E")]),
    ({"source": "p"}, [("B", "D", "E")]),  # C has p as context but links nowhere
    ({"source": "x"}, [("A", "C"), ("A", "B", "D", "E"), ("A", "C"), ("F", "C")]),
    ({"target": "D"}, [("A", "B", "D"), ("E", "D")]),
    ({"target": "s"}, [("A", "B", "D"), ("E", "D")]),
    ({"target": "q"}, [("A", "B"), ("A", "B", "D", "E")]),  # passes one end to reach another
    ({"source": "A", "target": "C"}, [("A", "C"), ("A", "C")]),
    ({"source": "A", "target": "A"}, []),
    ({"limit": 2}, [("A", "C"), ("A", "B", "D", "E")]),
])
def test_chains_from_to_limit(chains_g, params, expected):
    rows = chains(chains_g, **params)
    assert ids(rows, "cmocs") == [(e,) for e in expected]
    assert all(r["truncated"] is False for r in rows)


def test_chains_to_cut_at_the_start(chains_g):
    # B has a predecessor (A) left out: with `to`, the start is the open end.
    assert ids(chains(chains_g, target="D", max_length=2), "cmocs", "cycle", "truncated") == [
        (("B", "D"), None, True), (("E", "D"), "E", False)]
    assert ids(chains(chains_g, source="B", target="D", max_length=2), "cmocs", "truncated") == [
        (("B", "D"), False)]


def test_chains_budget_gives_first_rows_and_a_note(chains_g):
    rows = chains(chains_g, budget=4)
    assert rows == chains(chains_g)[:len(rows)] and len(rows) < 5
    assert rows.notes and "budget" in rows.notes[0]
    assert chains(chains_g).notes == []


@pytest.mark.parametrize("params, message", [
    ({"source": "Z"}, "from: no CMOC or concept 'Z'"),
    ({"target": "mx"}, "(did you mean"),
    ({"max_length": 1}, "max_length must be a whole number from 2 to 10"),
    ({"max_length": 11}, "from 2 to 10"),
    ({"limit": 0}, "limit must be"),
])
def test_chains_bad_params(chains_g, params, message):
    with pytest.raises(UsageError, match=message.replace("(", r"\(")):
        chains(chains_g, **params)


def test_buyin_chains_span_areas_and_are_valid(buyin_graph):
    rows = chains(buyin_graph)
    assert all(chain_problems(buyin_graph, r) == [] for r in rows)
    spanning = [r for r in rows if len(set(r["areas"])) >= 2]
    assert len(spanning) >= 3
    assert {"cmocs": ["EN2", "AP4", "AP1"], "concepts": ["take-up-referral", "trusted-link-worker"],
            "areas": ["enrolment", "anchor-point", "anchor-point"], "length": 3, "cycle": None,
            "truncated": False} in rows
    keys = [interleaved(r) for r in rows]
    assert keys == sorted(keys) and len(set(map(tuple, keys))) == len(keys)


# --- paths, upstream, downstream ------------------------------------------------

def test_paths_by_hand(chains_g):
    rows = paths(chains_g, source="x", target="r")
    assert ids(rows, "concepts", "cmocs", "length") == [
        # not (A, F): x triggers ma in A too, but ma is no context of F, which claims ma -> r
        (("x", "ma", "r"), ("F", "F"), 2),
        (("x", "ma", "mc", "r"), ("A", "C", "C"), 3),  # ma is a context of C
        (("x", "ma", "mc", "r"), ("F", "C", "C"), 3),
        (("x", "ma", "p", "mc", "r"), ("A", "A", "C", "C"), 4),  # so is p
        # not (F, A, C, C): ma is no context of A, which claims ma -> p
    ]
    assert paths(chains_g, source="x", target="r", max_length=2) == rows[:1]
    assert paths(chains_g, source="x", target="r", limit=3) == rows[:3]
    assert ids(paths(chains_g, source="s", target="md"), "concepts", "cmocs") == [
        (("s", "me", "q", "md"), ("E", "E", "D"))]
    assert paths(chains_g, source="r", target="x") == []


def test_paths_bad_params(chains_g):
    with pytest.raises(UsageError, match="same concept"):
        paths(chains_g, source="x", target="x")
    with pytest.raises(UsageError, match="to: no concept 'A'"):  # a CMOC is not a concept
        paths(chains_g, source="x", target="A")


def test_upstream_downstream_by_hand(chains_g):
    assert ids(upstream(chains_g, concept="r"), "concept", "distance", "path", "cmocs") == [
        ("ma", 1, ("ma", "r"), ("F",)), ("mc", 1, ("mc", "r"), ("C",)),
        ("p", 2, ("p", "mc", "r"), ("C", "C")),
        ("x", 2, ("x", "ma", "r"), ("F", "F"))]  # not A then F: ma is no context of F
    assert ids(upstream(chains_g, concept="q"), "concept", "distance") == [
        ("mb", 1), ("me", 1), ("p", 2), ("s", 2), ("ma", 3), ("md", 3), ("x", 4)]  # q left out
    assert ids(downstream(chains_g, concept="x"), "concept", "distance") == [
        ("ma", 1), ("mc", 2), ("p", 2), ("r", 2), ("mb", 3), ("q", 4), ("md", 5), ("s", 6)]
    assert ids(downstream(chains_g, concept="x", max_length=2), "concept", "path", "cmocs") == [
        ("ma", ("x", "ma"), ("A",)), ("mc", ("x", "ma", "mc"), ("A", "C")),
        ("p", ("x", "ma", "p"), ("A", "A")), ("r", ("x", "ma", "r"), ("F", "F"))]
    assert downstream(chains_g, concept="x")[0]["label"] == "MA"
    assert ids(downstream(chains_g, concept="x"), "concept", "cmocs")[-1] == (
        "s", ("A", "A", "B", "B", "D", "D"))


def test_bridges_by_hand(chains_g):
    # A and F share context x and mechanism ma: each produces ma, which the other
    # has produce its outcome, in context x (which both share).
    rows = bridges(chains_g)
    assert rows == [
        {"cmocs": ["A", "F"], "concept": "ma", "contexts": ["x"], "outcomes": ["r"],
         "reason": "No CMOC asserts that 'MA', as A produces it, leads to 'R': F claims that only "
                   "in context 'X', which A shares, so F's own claim may cover it."},
        {"cmocs": ["F", "A"], "concept": "ma", "contexts": ["x"], "outcomes": ["p"],
         "reason": "No CMOC asserts that 'MA', as F produces it, leads to 'P': A claims that only "
                   "in context 'X', which F shares, so A's own claim may cover it."}]
    assert bridges(chains_g, cmoc="F") == rows
    assert bridges(chains_g, concept="ma", limit=1) == rows[:1]
    assert bridges(chains_g, cmoc="G") == [] and bridges(chains_g, concept="p") == []
    with pytest.raises(UsageError, match="cmoc: no CMOC 'x'"):
        bridges(chains_g, cmoc="x")


def test_buyin_paths_respect_configurations(buyin_graph):
    # Issue 14: connect-to-external-support -> feel-less-alone -> able-to-cope joined RD5's
    # context and mechanism to IS3's outcome; IS3 claims it only given space to be heard.
    concepts = sorted(key[1] for key in buyin_graph if key[0] == "Concept")
    found = [r for a in concepts for b in concepts if a != b
             for r in paths(buyin_graph, source=a, target=b)]
    assert len(found) == 132  # of the 198 the old definition found; the other 66 cross a bridge
    assert not [r for r in found if any(
        (m, c, n) == ("RD5", "feel-less-alone", "IS3")
        for m, c, n in zip(r["cmocs"], r["concepts"][1:], r["cmocs"][1:]))]
    assert paths(buyin_graph, source="connect-to-external-support", target="able-to-cope") == []
    rd5 = bridges(buyin_graph, cmoc="RD5", concept="feel-less-alone")
    assert [r["cmocs"] for r in rd5] == [["AP1", "RD5"], ["AP2", "RD5"], ["IS3", "RD5"],
                                         ["RD3", "RD5"], ["RD5", "AP1"], ["RD5", "IS3"]]
    assert rd5[-1]["reason"] == (
        "No CMOC asserts that 'Feel less alone', as RD5 produces it, leads to 'Feel able to cope': "
        "IS3 claims that only in context 'Space to talk and be heard'. A hypothesis, a candidate "
        "for theory testing.")
    assert len(bridges(buyin_graph)) == 19
    # each of paths, upstream and downstream names the CMOCs it rests on
    row = downstream(buyin_graph, concept="connect-to-external-support")
    assert {r["concept"]: r["cmocs"] for r in row} == {
        "feel-less-alone": ["RD5"], "feel-less-burdened": ["RD5"],
        "better-relationships": ["RD5", "RD5"]}


@pytest.mark.parametrize("name, params, note", [
    ("chains", {"source": "G"}, "chains: none from G: CMOC G links to no other CMOC: none has one "
                                "of its outcomes or mechanisms as a context."),
    ("chains", {"source": "h"}, "chains: none from h: no CMOC has 'H' as a context."),
    ("chains", {"target": "x"}, "chains: none to x: no CMOC has 'X' as an outcome or mechanism."),
    ("chains", {"source": "A", "target": "E", "max_length": 3},
     "chains: none from A to E within max_length 3: every chain that could be one is longer, or "
     "(without from) can be extended at its start, as a chain starts where no other CMOC links "
     "in; try a higher max_length."),
    ("paths", {"source": "r", "target": "x"},
     "paths: nothing leads from 'R' to 'X': no TRIGGERS or PRODUCES edges join them within 10 "
     "edges, even switching CMOCs at any shared concept."),
    ("paths", {"source": "x", "target": "q", "max_length": 3},
     "paths: a causal path from 'X' to 'Q' takes at least 4 edges, more than max_length 3."),
    ("bridges", {"cmoc": "B"}, "bridges: none for CMOC B: wherever the mechanism or outcome of "
                               "one CMOC is a mechanism of another, it is also a context of that "
                               "other, so every join of configurations there is one a CMOC "
                               "asserts."),
])
def test_empty_answers_say_why(chains_g, name, params, note):
    query = QUERIES[name]
    parsed = query.parse({"from" if k == "source" else "to" if k == "target" else k: str(v)
                          for k, v in params.items()})
    rows = query.run(chains_g, parsed, explain=True)
    assert rows == [] and rows.notes == [note]
    assert query.run(chains_g, parsed).notes == []  # only when asked: figures word their own


def test_empty_answers_say_why_no_chains_and_no_configuration(tmp_path, buyin_graph):
    (tmp_path / "theory.yaml").write_text(
        "ptgraph: 1\ntheory: {id: t, title: T}\nareas: {x: X}\n"
        "concepts: {a: A, m: M, o: O, b: B, p: P}\ncmocs:\n"
        "  X1: {area: x, statement: s, context: a, mechanism: m, outcome: o}\n"
        "  X2: {area: x, statement: s, context: b, mechanism: m, outcome: p}\n")
    G = build_graph(load_theory(tmp_path))
    assert run_query("chains", G).notes == []
    assert QUERIES["chains"].run(G, {"from": None, "to": None, "max_length": 6, "limit": None},
                                 explain=True).notes == [
        "chains: none: no outcome or mechanism of any CMOC is a context of another. A chain forms "
        "where the outcome (or mechanism) of one configuration is the context of the next: the "
        "same concept id in both."]
    note = QUERIES["paths"].run(G, QUERIES["paths"].parse({"from": "a", "to": "p"}),
                                explain=True).notes
    assert note == ["paths: no configuration joins 'A' to 'P' (within 10 edges): every way from "
                    "one to the other switches CMOCs at a concept that is not a context of the "
                    "next CMOC. `ptgraph query bridges` lists such joins, as hypotheses."]
    assert ids(bridges(G), "cmocs", "concept") == [(("X1", "X2"), "m"), (("X2", "X1"), "m")]


def revisiting_theory():
    """N1: a -> v -> b and N2: b -> v -> w share the mechanism v, and N1's outcome b is N2's
    context: the only causal path from a to w passes v twice, under each configuration."""
    from ptgraph.model import CMOC, Area, Concept, Theory
    return Theory("revisit", "Revisit", areas={"x": Area("x", "X")},
                  concepts={c: Concept(c, c.upper()) for c in ("a", "v", "b", "w")},
                  cmocs={"N1": CMOC("N1", "x", "a -> v -> b", ("a",), ("v",), ("b",)),
                         "N2": CMOC("N2", "x", "b -> v -> w", ("b",), ("v",), ("w",))})


def test_shortest_causal_path_may_pass_a_concept_twice():
    G = build_graph(revisiting_theory())
    assert ids(downstream(G, concept="a"), "concept", "distance", "path", "cmocs") == [
        ("v", 1, ("a", "v"), ("N1",)), ("b", 2, ("a", "v", "b"), ("N1", "N1")),
        ("w", 4, ("a", "v", "b", "v", "w"), ("N1", "N1", "N2", "N2"))]  # not a -> v -> w: no claim
    assert ids(upstream(G, concept="w"), "concept", "distance", "cmocs") == [
        ("v", 1, ("N2",)), ("b", 2, ("N2", "N2")), ("a", 4, ("N1", "N1", "N2", "N2"))]
    assert chains(G)[0]["cmocs"] == ["N1", "N2"]
    rows = QUERIES["paths"].run(G, QUERIES["paths"].parse({"from": "a", "to": "w"}), explain=True)
    assert rows == [] and rows.notes == [
        "paths: the causal paths from 'A' to 'W' within max_length 6 pass a concept twice, under "
        "two configurations (as a -> v -> b -> v -> w); paths lists paths of distinct concepts, "
        "downstream shows this one."]
    assert ids(bridges(G), "cmocs", "concept") == [(("N1", "N2"), "v"), (("N2", "N1"), "v")]


def test_cli_explains_an_empty_answer_on_stderr(ptgraph, repo_root):
    run = ptgraph("query", "paths", repo_root / "theory", "-p", "from=connect-to-external-support",
                  "-p", "to=able-to-cope")
    assert run.code == 0 and run.out == "(no rows)\n"
    assert run.err.startswith("ptgraph: paths: no configuration joins 'Connects to external "
                              "support' to 'Feel able to cope'")
    run = ptgraph("query", "bridges", repo_root / "theory", "-p", "cmoc=RD5", "--format", "json")
    assert run.code == 0 and len(json.loads(run.out)["rows"]) == 8 and run.err == ""


# --- hubs ------------------------------------------------------------------------

def test_hubs_by_hand(chains_g):
    assert ids(hubs(chains_g), "concept", "cmocs", "chains") == [
        ("ma", 3, 2), ("p", 3, 2), ("q", 3, 2), ("s", 2, 1), ("r", 2, 0), ("x", 2, 0),
        ("g", 1, 0), ("h", 1, 0), ("mb", 1, 0), ("mc", 1, 0), ("md", 1, 0), ("me", 1, 0),
        ("mg", 1, 0)]
    assert len(hubs(chains_g, limit=2)) == 2


# --- conflicts ------------------------------------------------------------------------

def test_conflicts_planted():
    rows = conflicts(graph("conflicts"))
    assert ids(rows, "kind", "level", "cmocs", "concepts") == [
        ("opposing-outcomes", "error", ("O1", "O2"), ("engage", "withdraw")),
        ("refuted-in-pathway", "error", ("R1",), ("act", "advice")),
        ("divergent-outcomes", "warning", ("D1", "D2"), ("tired",)),
        ("divergent-outcomes", "warning", ("M2", "M3"), ("leave", "stay")),
        ("divergent-outcomes", "warning", ("O1", "O3"), ("calm-down", "engage")),
        ("divergent-outcomes", "warning", ("O2", "O3"), ("calm-down", "withdraw")),
        ("mixed-evidence", "warning", ("M1",), ("belong", "group")),
        ("mixed-evidence", "warning", ("M2", "M3"), ("peer", "valued")),
        # A1 and A2 (same context and outcome, other mechanisms) are alternatives, no conflict
    ]
    reasons = {r["kind"]: r["reason"] for r in reversed(rows)}  # the first of each kind
    assert reasons["opposing-outcomes"] == (
        "O1 and O2 share context 'Support at home' and mechanism 'Hope' but lead to opposing "
        "outcomes: 'Engages' (O1) vs 'Withdraws' (O2).")
    assert reasons["refuted-in-pathway"] == (
        "R1 is marked refuted but pathways 'Quick route' (p1), 'Direct' (p2) still rely on it.")
    assert reasons["divergent-outcomes"] == (
        "D1 and D2 share context 'Lonely' and mechanism 'Feels heard' but lead to different "
        "outcomes: 'Calm' (D1) vs 'Calm' + 'Tired' (D2).")
    assert reasons["mixed-evidence"] == (
        "Evidence on context 'Group' and mechanism 'Belonging' points both ways "
        "(M1: 1 supporting, 1 refuting).")
    assert conflicts(graph("conflicts"), kind="mixed-evidence") == rows[6:8]
    assert conflicts(graph("conflicts"), limit=1) == rows[:1]
    with pytest.raises(UsageError, match="did you mean 'mixed-evidence'"):
        conflicts(graph("conflicts"), kind="mixed-evidnce")


def test_conflicts_clean_fixture_finds_nothing():
    G = graph("clean")
    assert conflicts(G) == []
    assert explain_conflicts(G) == (
        "conflicts: none: no two CMOCs (refuted ones aside) share a configuration (the same "
        "contexts and mechanisms), no pathway relies on a refuted CMOC and no configuration has "
        "evidence both for and against it; CMOCs that differ in context or mechanism do not "
        "contradict each other: `contrasts` compares them")
    # asked for (as the command line asks), only an empty answer gets it
    assert QUERIES["conflicts"].run(G, {"kind": None, "limit": None}, explain=True).notes == [
        explain_conflicts(G)]
    assert QUERIES["conflicts"].run(graph("conflicts"), {"kind": None, "limit": None},
                                    explain=True).notes == []


def test_deliberate_alternatives_are_no_conflicts():
    # Same context and outcome through other mechanisms (A1, A2), one mechanism with
    # opposing outcomes in other contexts (B1, B2): what a realist review sets side by side.
    G = graph("alternatives")
    assert conflicts(G) == []
    assert explain_conflicts(G) == (
        "conflicts: none: no two CMOCs share a configuration (the same contexts and mechanisms), "
        "no CMOC is marked refuted and no evidence refutes a CMOC; CMOCs that differ in context or "
        "mechanism do not contradict each other: `contrasts` compares them")
    for kind, why in (("opposing-outcomes", "no two CMOCs share a configuration (the same "
                                            "contexts and mechanisms)"),
                      ("refuted-in-pathway", "no CMOC is marked refuted"),
                      ("mixed-evidence", "no evidence refutes a CMOC")):
        assert conflicts(G, kind=kind) == []
        assert explain_conflicts(G, kind=kind) == f"conflicts: no {kind}: {why}"


@pytest.mark.parametrize("kind, why", [
    ("opposing-outcomes", "no two CMOCs that share a configuration lead to opposing outcomes"),
    ("refuted-in-pathway", "no pathway relies on a refuted CMOC"),
    ("mixed-evidence", "no configuration has evidence both for and against it"),
])
def test_conflicts_say_why_none_of_a_kind(tmp_path, kind, why):
    # A divergent pair (D1, D2), a refuted CMOC in no pathway, evidence that refutes
    # a CMOC nobody supports.
    (tmp_path / "theory.yaml").write_text(
        "ptgraph: 1\ntheory: {id: t, title: T}\nareas: {x: X}\n"
        "concepts: {c: C, m: M, o1: O1, o2: O2, o3: O3}\ncmocs:\n"
        "  D1: {area: x, statement: s, context: c, mechanism: m, outcome: o1}\n"
        "  D2: {area: x, statement: s, context: c, mechanism: m, outcome: o2}\n"
        "  R: {area: x, statement: s, context: o1, mechanism: m, outcome: o3, status: refuted}\n"
        "evidence: {e: {quote: q, supports: [D1], refutes: [R]}}\n")
    G = build_graph(load_theory(tmp_path))
    assert ids(conflicts(G), "kind", "cmocs") == [("divergent-outcomes", ("D1", "D2"))]
    assert conflicts(G, kind=kind) == []
    assert explain_conflicts(G, kind=kind) == f"conflicts: no {kind}: {why}"


def test_conflicts_chains_fixture_and_buyin(chains_g, buyin_graph):
    assert ids(conflicts(chains_g), "kind", "cmocs") == [("divergent-outcomes", ("A", "F"))]
    assert conflicts(buyin_graph) == []


# --- contexts any one of which will do ----------------------------------------------------

@pytest.fixture(scope="module")
def any_g():
    return graph("any-context")


def test_any_context_is_a_property_of_the_cmoc_node(any_g):
    assert any_g.nodes["CMOC", "B"]["context_any"] is True
    assert "context_any" not in any_g.nodes["CMOC", "D"]  # absent: all of them
    # the contexts are HAS_CONTEXT relationships in the order written, in either mode
    assert sorted((v[1], d["order"]) for _, v, d in any_g.out_edges(("CMOC", "F3"), data=True)
                  if d["type"] == "HAS_CONTEXT") == [("p", 1), ("q", 0)]


def test_any_context_chains_by_hand(any_g):
    # One alternative suffices to link: A reaches B through x, C through y (B: x or y).
    # D needs z and w together; B reaches it through z, E through w: each row claims
    # only that one of the contexts D needs is produced.
    assert ids(chains(any_g), "cmocs", "concepts") == [
        (("A", "B", "D"), ("x", "z")),
        (("A", "K"), ("x",)),
        (("C", "B", "D"), ("y", "z")),
        (("C", "L", "D"), ("y", "z")),
        (("E", "D"), ("w",)),
    ]
    assert ids(chains(any_g, source="x"), "cmocs", "concepts") == [(("B", "D"), ("z",))]
    assert ids(chains(any_g, target="z"), "cmocs", "concepts") == [
        (("A", "B"), ("x",)), (("C", "B"), ("y",)), (("C", "L"), ("y",))]
    for row in chains(any_g):
        assert chain_problems(any_g, row) == []
    assert ids(paths(any_g, source="t", target="r"), "concepts", "cmocs") == [
        (("t", "mc", "y", "mb", "z", "md", "r"), ("C", "C", "B", "B", "D", "D")),
        (("t", "mc", "y", "ml", "z", "md", "r"), ("C", "C", "L", "L", "D", "D")),
    ]


def test_any_context_configurations_differ_by_mode(any_g):
    # F1 and F3 (p or q, mf) are one configuration; F2 (p and q, mf) another, though
    # its context set is the same: no conflict of F2 with F1, however opposed.
    rows = conflicts(any_g)
    assert ids(rows, "kind", "cmocs", "concepts") == [
        ("opposing-outcomes", ("F1", "F3"), ("bad", "good")),
        ("mixed-evidence", ("F1", "F3"), ("mf", "p", "q")),
    ]
    assert rows[0]["reason"] == ("F1 and F3 share contexts 'P' or 'Q' and mechanism 'Mf' but lead "
                                 "to opposing outcomes: 'Good' (F1) vs 'Bad' (F3).")
    assert rows[1]["reason"] == ("Evidence on contexts 'P' or 'Q' and mechanism 'Mf' points both "
                                 "ways (F1: 1 supporting, 0 refuting; F3: 0 supporting, 1 refuting).")
    # ... and F2 contrasts with F1: the same mechanism, the contexts in another mode
    rows = contrasts(any_g)
    assert ids(rows, "concept", "pattern", "cmocs", "contexts", "outcomes") == [
        ("mf", "opposing", ("F1", "F2", "F3"), ("p or q", "p + q", "p or q"),
         ("good", "bad", "bad")),
        ("mb", "context-dependent", ("B", "K"), ("x or y", "x"), ("z", "k")),
    ]
    assert rows[0]["reason"] == ("'Mf' leads to opposing outcomes in different contexts: "
                                 "'Good' in 'P' or 'Q' (F1) vs 'Bad' in 'P' + 'Q' (F2).")
    assert rows[1]["reason"] == ("'Mb' leads to different outcomes in different contexts: "
                                 "in 'X' or 'Y' to 'Z' (B); in 'X' to 'K' (K).")
    rows = contrasts(any_g, by="context")
    assert ids(rows, "concept", "pattern", "cmocs") == [("y", "equifinality", ("B", "L"))]
    assert rows[0]["reason"] == ("In 'Y', different mechanisms lead to the same outcome 'Z': "
                                 "'Mb' (B, or given 'X'); 'Ml' (L).")


def test_any_context_bridges_covered_by_one_shared_alternative(any_g):
    rows = {tuple(r["cmocs"]): r["reason"] for r in bridges(any_g, cmoc="B")}
    # K (context x) shares one of B's alternatives, so B's own claim may cover the join
    assert rows[("K", "B")] == (
        "No CMOC asserts that 'Mb', as K produces it, leads to 'Z': B claims that only in "
        "contexts 'X' or 'Y', one of which K shares, so B's own claim may cover it.")
    # B needs only one of x, y: it is not sure to be in K's context x, so no cover
    assert rows[("B", "K")].endswith("K claims that only in context 'X'. A hypothesis, a "
                                     "candidate for theory testing.")


# --- contrasts --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def contrasts_g():
    return graph("contrasts")


def test_contrasts_by_mechanism_planted(contrasts_g):
    rows = contrasts(contrasts_g)
    assert rows == [
        {"concept": "sim", "pattern": "opposing", "cmocs": ["S1", "S2", "S3"],
         "contexts": ["copes", "struggles", "struggles"],
         "mechanisms": ["sim", "sim", "feedback + sim"], "outcomes": ["up", "down", "up"],
         "quotes": [1, 0, 0], "refuting": [0, 1, 0],
         # S2 and S3 share their context: their opposing outcomes are no contrast of sim
         "reason": "'Simulated patient' leads to opposing outcomes in different contexts: "
                   "'Learns more' in 'Copes with pressure' (S1) vs 'Learns less' in 'Struggles "
                   "with pressure' (S2)."},
        {"concept": "heard", "pattern": "context-dependent", "cmocs": ["M2", "U2"],
         "contexts": ["clinic + peer", "lonely"], "mechanisms": ["heard", "duty + heard"],
         "outcomes": ["calm", "attend"], "quotes": [0, 0], "refuting": [0, 0],
         "reason": "'Feels heard' leads to different outcomes in different contexts: in 'At the "
                   "clinic' + 'Peer support' to 'Calms down' (M2); in 'Lonely' to 'Attends' (U2, "
                   "also through 'Sense of duty')."},
        # R1 (clinic -> hope -> withdraw, opposing engage) is refuted: left out
        {"concept": "hope", "pattern": "context-dependent", "cmocs": ["H1", "H2", "H3"],
         "contexts": ["home", "group", "home"], "mechanisms": ["hope", "hope", "belong + hope"],
         "outcomes": ["engage", "calm", "engage"], "quotes": [0, 0, 0], "refuting": [0, 0, 0],
         "reason": "'Hope' leads to different outcomes in different contexts: in 'Support at home' "
                   "to 'Engages' (H1); in 'Group setting' to 'Calms down' (H2); in 'Support at "
                   "home' to 'Engages' (H3, also through 'Belonging')."},
        # D1 and D3 share gp: D3's peer is what differs
        {"concept": "trust", "pattern": "demi-regularity", "cmocs": ["D1", "D2", "D3"],
         "contexts": ["gp", "self", "gp + peer"], "mechanisms": ["trust", "trust", "trust"],
         "outcomes": ["attend", "attend", "attend"], "quotes": [2, 1, 0], "refuting": [0, 0, 0],
         "reason": "'Trust' leads to the same outcome 'Attends' in different contexts: 'GP "
                   "referral' (D1); 'Self-referral' (D2); 'GP referral' + 'Peer support' (D3)."},
    ]  # duty (U1, U2: both lonely) is no contrast
    assert contrasts(contrasts_g, limit=2) == rows[:2]
    assert contrasts(contrasts_g, concept="hope") == rows[2:3]


def test_contrasts_by_context_planted(contrasts_g):
    rows = contrasts(contrasts_g, by="context")
    assert ids(rows, "concept", "pattern", "cmocs", "mechanisms", "outcomes") == [
        ("struggles", "opposing", ("S2", "S3"), ("sim", "feedback + sim"), ("down", "up")),
        ("clinic", "mechanism-dependent", ("M1", "M2"), ("info", "heard"), ("informed", "calm")),
        ("peer", "mechanism-dependent", ("D3", "M2"), ("trust", "heard"), ("attend", "calm")),
        ("home", "equifinality", ("H1", "H3"), ("hope", "belong + hope"), ("engage", "engage")),
        ("lonely", "equifinality", ("U1", "U2"), ("duty", "duty + heard"), ("attend", "attend")),
    ]  # gp: D1 and D3 both through trust
    reasons = [r["reason"] for r in rows]
    assert reasons[0] == ("In 'Struggles with pressure', different mechanisms lead to opposing "
                          "outcomes: 'Learns less' through 'Simulated patient' (S2) vs 'Learns more' "
                          "through 'Feedback' + 'Simulated patient' (S3).")
    assert reasons[1] == ("In 'At the clinic', different mechanisms lead to different outcomes: "
                          "'Information' to 'Informed' (M1); 'Feels heard' to 'Calms down' (M2, "
                          "also given 'Peer support').")
    assert reasons[4] == ("In 'Lonely', different mechanisms lead to the same outcome 'Attends': "
                          "'Sense of duty' (U1); 'Sense of duty' + 'Feels heard' (U2).")
    assert rows[2]["contexts"] == ["gp + peer", "clinic + peer"]


def test_contrasts_of_deliberate_alternatives():
    G = graph("alternatives")
    assert ids(contrasts(G), "concept", "pattern", "cmocs") == [
        ("challenge", "opposing", ("A2", "B1", "B2")), ("safety", "demi-regularity", ("C1", "C2"))]
    assert contrasts(G)[0]["reason"] == (
        "'Challenged to reason' leads to opposing outcomes in different contexts: 'Illness scripts "
        "grow' in 'Real patient encounter' (A2) vs 'Illness scripts stall' in 'Simulated patient "
        "encounter' + 'Student struggles with uncertainty' (B2); 'Illness scripts grow' in "
        "'Student copes with uncertainty' + 'Simulated patient encounter' (B1) vs 'Illness scripts "
        "stall' in 'Simulated patient encounter' + 'Student struggles with uncertainty' (B2).")
    # the alternative mechanisms conflicts used to report: equifinality, by context
    assert ids(contrasts(G, by="context"), "concept", "pattern", "cmocs") == [
        ("simulated-patient", "mechanism-dependent", ("B1", "B2", "C1", "C2")),
        ("struggles", "mechanism-dependent", ("B2", "C2")),
        ("real-patient", "equifinality", ("A1", "A2"))]


def test_buyin_contrasts_feel_less_alone(buyin_graph):
    rows = contrasts(buyin_graph)
    assert ids(rows, "concept", "pattern", "cmocs") == [
        ("feel-less-alone", "context-dependent", ("AP1", "IS3", "RD5")),
        ("feel-less-burdened", "context-dependent", ("IS4", "RD5")),
        ("feel-valued", "context-dependent", ("IS1", "IS5"))]
    alone = rows[0]
    # AP1: a responsive, reliable link worker (C) -> not alone (M) -> less stress (O);
    # IS3: space to be listened to (C) -> less alone, less stressed (M) -> able to cope (O);
    # RD5: connecting with local support (C) -> less alone or overwhelmed (M) -> relationships (O).
    assert alone["contexts"] == ["trusted-link-worker", "space-to-be-heard",
                                 "connect-to-external-support"]
    assert alone["mechanisms"] == ["feel-less-alone", "feel-less-alone + less-stressed",
                                   "feel-less-alone + feel-less-burdened"]
    assert alone["outcomes"] == ["less-stressed", "able-to-cope", "better-relationships"]
    assert alone["quotes"] == [3, 4, 2] and alone["refuting"] == [0, 0, 0]
    assert alone["reason"] == (
        "'Feel less alone' leads to different outcomes in different contexts: in 'Reliable, "
        "trusted link worker' to 'Less stressed or anxious' (AP1); in 'Space to talk and be heard' "
        "to 'Feel able to cope' (IS3, also through 'Less stressed or anxious'); in 'Connects to "
        "external support' to 'Better family and friend relationships' (RD5, also through 'Feel "
        "less burdened').")
    assert ids(contrasts(buyin_graph, by="context"), "concept", "pattern") == [
        ("connection-with-link-worker", "mechanism-dependent"), ("lw-advocacy", "mechanism-dependent"),
        ("lw-offers-options", "mechanism-dependent"), ("open-up", "mechanism-dependent"),
        ("space-to-be-heard", "mechanism-dependent")]


@pytest.mark.parametrize("name, params, note", [
    ("chains", {}, "contrasts: none: the CMOCs that share a mechanism (ma) share their contexts too; "
                   "contrasts compare one mechanism across the contexts it fires in (`conflicts` "
                   "compares CMOCs of one configuration)"),
    ("evidence", {}, "contrasts: none: no concept is the mechanism of two or more CMOCs; contrasts "
                     "compare one mechanism across the contexts it fires in"),
    ("evidence", {"by": "context"},
     "contrasts: none: no concept is the context of two or more CMOCs; by context, contrasts compare "
     "the mechanisms one context triggers"),
    ("clean", {"by": "context", "concept": "b"},
     "contrasts: none: the 2 CMOCs with 'b' as their context (N3, N4) share their mechanisms too; by "
     "context, contrasts compare the mechanisms one context triggers (`conflicts` compares CMOCs "
     "of one configuration)"),
    ("contrasts", {"concept": "info"},
     "contrasts: none: 'info' is the mechanism of one CMOC (M1); contrasts compare one mechanism "
     "across the contexts it fires in"),
    ("contrasts", {"by": "context", "concept": "clinic", "limit": 1}, None),  # has a row
    ("contrasts", {"concept": "withdraw"},
     "contrasts: none: 'withdraw' is the mechanism of no CMOC; contrasts compare one mechanism across "
     "the contexts it fires in"),
    ("contrasts", {"concept": "duty"},
     "contrasts: none: the 2 CMOCs with 'duty' as their mechanism (U1, U2) share their contexts too; "
     "contrasts compare one mechanism across the contexts it fires in (`conflicts` compares CMOCs "
     "of one configuration)"),
    ("contrasts", {"by": "context", "concept": "gp"},
     "contrasts: none: the 2 CMOCs with 'gp' as their context (D1, D3) share their mechanisms too; by "
     "context, contrasts compare the mechanisms one context triggers (`conflicts` compares CMOCs "
     "of one configuration)"),
])
def test_contrasts_say_why_there_are_none(name, params, note):
    G = graph(name)
    rows = QUERIES["contrasts"].run(G, {"by": "mechanism", "concept": None, "limit": None, **params},
                                    explain=True)
    if note is None:
        assert rows and rows.notes == []
    else:
        assert rows == [] and rows.notes == [note]
        assert explain_contrasts(G, **params) == note


def test_contrasts_say_when_refuted_cmocs_were_left_out(tmp_path):
    (tmp_path / "theory.yaml").write_text(
        "ptgraph: 1\ntheory: {id: t, title: T}\nareas: {x: X}\n"
        "concepts: {c1: C1, c2: C2, m: M, o1: O1, o2: O2}\ncmocs:\n"
        "  A: {area: x, statement: s, context: c1, mechanism: m, outcome: o1}\n"
        "  R: {area: x, statement: s, context: c2, mechanism: m, outcome: o2, status: refuted}\n")
    G = build_graph(load_theory(tmp_path))
    assert contrasts(G) == [] and explain_contrasts(G) == (
        "contrasts: none: no concept is the mechanism of two or more CMOCs once those marked refuted "
        "are left out; contrasts compare one mechanism across the contexts it fires in")
    assert explain_contrasts(G, concept="m") == (
        "contrasts: none: 'm' is the mechanism of one CMOC (A) (and of 1 marked refuted, left out); "
        "contrasts compare one mechanism across the contexts it fires in")


@pytest.mark.parametrize("params, message", [
    ({"by": "outcome"}, "by: contrasts group by mechanism, context, resource or intervention, not 'outcome'"),
    ({"by": "contexts"}, "(did you mean 'context'?)"),
    ({"concept": "simm"}, "concept: no concept 'simm' in theory 'contrasts' (did you mean 'sim'?)"),
    ({"concept": "S1"}, "concept: no concept 'S1'"),  # a CMOC is not a concept
    ({"limit": 0}, "limit must be"),
])
def test_contrasts_bad_params(contrasts_g, params, message):
    with pytest.raises(UsageError) as info:
        contrasts(contrasts_g, **params)
    assert message in str(info.value)


def test_cli_contrasts_notes_on_stderr(ptgraph):
    run = ptgraph("query", "contrasts", FIXTURES / "contrasts", "-p", "concept=duty")
    assert run.code == 0 and run.out == "(no rows)\n"
    assert run.err.startswith("ptgraph: contrasts: none: the 2 CMOCs with 'duty' as their mechanism")
    run = ptgraph("query", "conflicts", FIXTURES / "alternatives", "--format", "json")
    assert run.code == 0 and json.loads(run.out)["rows"] == []
    assert "ptgraph: conflicts: none: no two CMOCs share a configuration" in run.err


# --- evidence --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def evidence_g():
    return graph("evidence")


def test_evidence_per_cmoc(evidence_g):
    rows = evidence(evidence_g)
    old = [
        {"cmoc": "K1", "area": "x", "value": None, "quotes": 4, "refuting": 0, "participants": 3,
         "sites": ["s1", "s2"], "waves": ["follow-up", "interview"], "flag": None},
        {"cmoc": "K2", "area": "x", "value": None, "quotes": 1, "refuting": 0, "participants": 1,
         "sites": ["s3"], "waves": ["observation"], "flag": "single-site"},
        {"cmoc": "K3", "area": "x", "value": None, "quotes": 0, "refuting": 0, "participants": 0,
         "sites": [], "waves": [], "flag": "no-evidence"},
        {"cmoc": "K4", "area": "x", "value": None, "quotes": 1, "refuting": 1, "participants": 0,
         "sites": [], "waves": [], "flag": "single-site"},  # no site recorded
    ]
    # the columns added by issue 15 come after the old ones, which keep their values
    assert [{k: v for k, v in r.items() if k not in NEW_EVIDENCE_COLUMNS} for r in rows] == old
    assert [list(r)[-3:] for r in rows] == [list(NEW_EVIDENCE_COLUMNS)] * 4
    assert [(r["sources"], r["confidence"], r["detail"]) for r in rows] == [(0, None, None)] * 4
    assert evidence(evidence_g, flagged=True) == rows[1:]


#: Columns of ``evidence`` added by issue 15 (sources and confidence), at the end.
NEW_EVIDENCE_COLUMNS = ("sources", "confidence", "detail")


@pytest.fixture(scope="module")
def sources_g():
    return graph("sources")


def test_evidence_counts_sources_and_shows_confidence(sources_g):
    rows = evidence(sources_g)
    # K1: three sources, but only site s1 (its own on q3, obs-1's on q2): single-site;
    # K2: q3 and q4 both from t-p7 (q3 with its own site s1, q4 with t-p7's s2): single-source;
    # K3: free text and report-2020: one source; K4: refuted only
    assert [(r["cmoc"], r["quotes"], r["participants"], r["sites"], r["waves"], r["sources"],
             r["flag"], r["confidence"]) for r in rows] == [
        ("K1", 3, 1, ["s1"], ["follow-up", "observation"], 3, "single-site", "high"),
        ("K2", 2, 2, ["s1", "s2"], ["follow-up"], 1, "single-source", "moderate"),
        ("K3", 3, 0, [], [], 1, "single-source", "very-low"),
        ("K4", 0, 0, [], [], 0, "no-evidence", None)]


def test_evidence_detail_lists_the_quotes_with_their_source(sources_g):
    rows = evidence(sources_g, detail=True)
    assert rows[2]["detail"] == ["q5 [Table 2, p. 5]: Five.", "q6: Six.", "q7 [report-2020]: Seven."]
    assert rows[3]["detail"] == ["q4 [t-p7] refutes: Four."]
    assert rows[0]["detail"][0] == "q1 [smith2019]: One, from the study."


def test_evidence_never_flags_single_site_without_sites(tmp_path):
    (tmp_path / "theory.yaml").write_text(
        "ptgraph: 1\ntheory: {id: t, title: T}\nareas: {a: A}\n"
        "concepts: {c: C, m: M, o: O}\n"
        "cmocs: {X: {area: a, statement: s, context: c, mechanism: m, outcome: o}}\n"
        "evidence: {q1: {quote: One., supports: [X]}}\n", encoding="utf-8")
    rows = evidence(build_graph(load_theory(tmp_path)))
    assert [(r["quotes"], r["flag"]) for r in rows] == [(1, None)]


@pytest.mark.parametrize("by, expected", [
    ("deprivation", [("K1", "High", 2, 0, 1, ("s1",)), ("K1", "Low", 2, 0, 2, ("s2",)),
                     ("K2", "High", 1, 0, 1, ("s3",)), ("K3", None, 0, 0, 0, ()),
                     ("K4", "Low", 0, 1, 0, ()), ("K4", None, 1, 0, 0, ())]),
    ("months_in_role", [("K1", 3, 2, 0, 2, ("s2",)), ("K1", 10, 2, 0, 1, ("s1",)),  # numbers
                        ("K2", None, 1, 0, 1, ("s3",)), ("K3", None, 0, 0, 0, ()),
                        ("K4", 3, 0, 1, 0, ()), ("K4", None, 1, 0, 0, ())]),
    ("tags", [("K1", "coastal", 2, 0, 1, ("s1",)), ("K1", "urban", 2, 0, 1, ("s1",)),
              ("K1", None, 2, 0, 2, ("s2",)), ("K2", None, 1, 0, 1, ("s3",)),
              ("K3", None, 0, 0, 0, ()), ("K4", None, 1, 1, 0, ())]),
    ("id", [("K1", "s1", 2, 0, 1, ("s1",)), ("K1", "s2", 2, 0, 2, ("s2",)),
            ("K2", "s3", 1, 0, 1, ("s3",)), ("K3", None, 0, 0, 0, ()),
            ("K4", "s2", 0, 1, 0, ()), ("K4", None, 1, 0, 0, ())]),
])
def test_evidence_by_site_attribute(evidence_g, by, expected):
    rows = evidence(evidence_g, by=by)
    assert ids(rows, "cmoc", "value", "quotes", "refuting", "participants", "sites") == expected
    # The flag is over each row's evidence: one site, or none, behind a value is thin support.
    assert all(r["flag"] == ("no-evidence" if not r["quotes"] else
                             "single-site" if len(r["sites"]) <= 1 else None) for r in rows)
    assert evidence(evidence_g, by=by, flagged=True) == [r for r in rows if r["flag"]]


def test_evidence_bad_params(evidence_g):
    with pytest.raises(UsageError, match="no site attribute 'deprivaton' .*did you mean 'deprivation'"):
        evidence(evidence_g, by="deprivaton")


# --- registry ----------------------------------------------------------------------------

def test_registry_parses_text_params(chains_g):
    assert run_query("chains", chains_g, {"from": "B", "max_length": "3"}) == \
        chains(chains_g, source="B", max_length=3)
    assert run_query("evidence", graph("evidence"), {"flagged": "yes"})[0]["cmoc"] == "K2"
    for q in QUERIES.values():
        assert q.description and "\n" not in q.description
        assert list(q.params) == list(dict.fromkeys(q.params))


@pytest.mark.parametrize("name, params, message", [
    ("chian", {}, "no query 'chian' (did you mean 'chains'?)"),
    ("chains", {"form": "A"}, "has no parameter 'form' (did you mean 'from'?); its parameters: "
                              "from, to, max_length, limit"),
    ("chains", {"max_length": "six"}, "max_length must be a whole number, not 'six'"),
    ("evidence", {"flagged": "maybe"}, "flagged must be true or false"),
    ("paths", {"from": "x"}, "query paths needs --param to="),
    ("upstream", {"concept": "rr"}, "concept: no concept 'rr' in theory 'chains' (did you mean 'r'?)"),
])
def test_registry_errors(chains_g, name, params, message):
    with pytest.raises(UsageError) as info:
        run_query(name, chains_g, params)
    assert message in str(info.value)


# --- the command line ------------------------------------------------------------------------

def test_cli_json_shape(ptgraph):
    run = ptgraph("query", "chains", FIXTURES / "chains", "--param", "from=B", "--format", "json")
    assert run.code == 0, run
    doc = json.loads(run.out)
    assert doc == {"query": "chains", "params": {"from": "B", "to": None, "max_length": 6, "limit": None},
                   "rows": [{"cmocs": ["B", "D", "E"], "concepts": ["q", "s"],
                             "areas": ["a2", "a3", "a3"], "length": 3, "cycle": "D",
                             "truncated": False}]}


def test_cli_every_query_on_buyin(ptgraph, repo_root):
    needs = {"paths": ["from=take-up-referral", "to=less-stressed"],
             "upstream": ["concept=less-stressed"], "downstream": ["concept=open-up"]}
    for name in QUERIES:
        args = [a for p in needs.get(name, []) for a in ("-p", p)]
        run = ptgraph("query", name, repo_root / "theory", *args, "--format", "json")
        assert run.code == 0, run
        doc = json.loads(run.out)
        assert doc["query"] == name and list(doc["params"]) == list(QUERIES[name].params)
        table = ptgraph("query", name, repo_root / "theory", *args)
        # fits 100 columns, unless its ids alone need more: no id is ever cut in two
        rows = doc["rows"]
        floor = sum(max([len(c), 8] + [len(w) for r in rows for w in _cell(r[c]).split()]) + 2
                    for c in (rows[0] if rows else ())) - 2
        assert table.code == 0 and all(len(line) <= max(100, floor)
                                       for line in table.out.splitlines()), table
        ids = {w.strip(",") for r in rows for c in r for w in _cell(r[c]).split() if "-" in w}
        assert all(i in table.out for i in ids), name
    assert len(json.loads(ptgraph("query", "paths", repo_root / "theory", "-p", "from=take-up-referral",
                                  "-p", "to=less-stressed", "--format", "json").out)["rows"]) == 1


def test_cli_csv_and_table(ptgraph):
    run = ptgraph("query", "chains", FIXTURES / "chains", "-p", "limit=2", "--format", "csv")
    assert list(csv.reader(io.StringIO(run.out))) == [
        ["cmocs", "concepts", "areas", "length", "cycle", "truncated"],
        ["A;C", "ma", "a1;a2", "2", "", "false"],
        ["A;B;D;E", "p;q;s", "a1;a2;a3;a3", "4", "D", "false"]]
    empty = ptgraph("query", "conflicts", FIXTURES / "clean", "--format", "csv")
    assert empty.out == "kind,level,cmocs,concepts,reason\n"
    assert ptgraph("query", "conflicts", FIXTURES / "clean").out == "(no rows)\n"
    table = ptgraph("query", "conflicts", FIXTURES / "conflicts")
    lines = table.out.splitlines()
    assert lines[0].split() == ["kind", "level", "cmocs", "concepts", "reason"]
    assert all(len(line) <= 100 for line in lines) and "Withdraws" in table.out


def test_cli_list(ptgraph):
    run = ptgraph("query", "--list")
    assert run.code == 0
    for name, q in QUERIES.items():
        assert f"{name:<11} {q.description}" in run.out
    assert "max_length=INT" in run.out and all(len(line) <= 100 for line in run.out.splitlines())
    listed = json.loads(ptgraph("query", "--list", "--format", "json").out)
    assert [q["name"] for q in listed] == list(QUERIES)


@pytest.mark.parametrize("args, message", [
    (["chian"], "did you mean 'chains'?"),
    (["chains", "-p", "lmit=2"], "did you mean 'limit'?"),
    (["chains", "-p", "from=Q9"], "from: no CMOC or concept 'Q9'"),
    (["chains", "-p", "limit"], "is not KEY=VALUE"),
    (["chains", "-p", "limit=1", "-p", "limit=2"], "given twice"),
    (["paths"], "needs --param from="),
    ([], "name a query"),
])
def test_cli_errors_exit_2(ptgraph, args, message):
    run = ptgraph("query", *args[:1], FIXTURES / "chains", *args[1:]) if args else ptgraph("query")
    assert run.code == 2, run
    assert message in run.err
    assert "Traceback" not in run.err


def test_cli_theory_that_fails_check(ptgraph, tmp_path):
    (tmp_path / "theory.yaml").write_text(
        "ptgraph: 1\ntheory: {id: bad, title: Bad}\nareas: {x: X}\nconcepts: {c: C}\n"
        "cmocs:\n  A: {area: x, statement: s, context: c, mechanism: c, outcome: nope}\n")
    run = ptgraph("query", "chains", tmp_path)
    assert run.code == 2
    assert "E201" in run.err and "theory.yaml:6:" in run.err


def test_each_query_is_a_module_named_as_its_cypher_twin(repo_root):
    """A reader finds both halves of a query by its name: ``ptgraph/queries/NAME.py`` and
    ``queries/NAME.cypher``."""
    import importlib
    for name, query in QUERIES.items():
        module = importlib.import_module(f"ptgraph.queries.{name}")
        assert query.func is getattr(module, name), name
        assert (repo_root / "queries" / f"{name}.cypher").is_file(), name


def test_a_table_never_breaks_an_id_or_a_word():
    from ptgraph.queries import format_rows
    rows = [{"concept": "feel-connected-to-others-in-the-community", "distance": 1,
             "reason": "a long sentence " * 10}]
    text = format_rows("upstream", {}, rows, "table", width=40)
    assert "feel-connected-to-others-in-the-community" in text
    assert all(w in ("a", "long", "sentence") for line in text.splitlines()[2:]
               for w in line.split()[2 if "feel" in line else 0:])


def test_empty_upstream_and_downstream_say_why(ptgraph, repo_root):
    up = ptgraph("query", "upstream", repo_root / "theory", "-p", "concept=gp-referral")
    assert up.out == "(no rows)\n"
    assert up.err == ("ptgraph: upstream: nothing leads to 'Referred through GP': no CMOC has it "
                      "as a mechanism or outcome (EN4 has it as a context).\n")
    down = ptgraph("query", "downstream", repo_root / "theory", "-p", "concept=self-confidence")
    assert "no CMOC has it as a context or mechanism (RD6 has it as an outcome)" in down.err
