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
from ptgraph.queries import (QUERIES, chains, conflicts, downstream, evidence, hubs, paths,
                             run_query, upstream)

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
        (("x", "ma", "r"), ("A", "F"), 2),  # x triggers ma in A too
        (("x", "ma", "r"), ("F", "F"), 2),
        (("x", "ma", "mc", "r"), ("A", "C", "C"), 3),
        (("x", "ma", "mc", "r"), ("F", "C", "C"), 3),
        (("x", "ma", "p", "mc", "r"), ("A", "A", "C", "C"), 4),
        (("x", "ma", "p", "mc", "r"), ("F", "A", "C", "C"), 4),
    ]
    assert paths(chains_g, source="x", target="r", max_length=2) == rows[:2]
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
    assert ids(upstream(chains_g, concept="r"), "concept", "distance") == [
        ("ma", 1), ("mc", 1), ("p", 2), ("x", 2)]
    assert ids(upstream(chains_g, concept="q"), "concept", "distance") == [
        ("mb", 1), ("me", 1), ("p", 2), ("s", 2), ("ma", 3), ("md", 3), ("x", 4)]  # q left out
    assert ids(downstream(chains_g, concept="x"), "concept", "distance") == [
        ("ma", 1), ("mc", 2), ("p", 2), ("r", 2), ("mb", 3), ("q", 4), ("md", 5), ("s", 6)]
    assert ids(downstream(chains_g, concept="x", max_length=2), "concept") == [
        ("ma",), ("mc",), ("p",), ("r",)]
    assert downstream(chains_g, concept="x")[0]["label"] == "MA"


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
        ("alternative-mechanisms", "info", ("A1", "A2"), ("duty", "trust")),
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
    assert reasons["alternative-mechanisms"] == (
        "A1 and A2 explain the same outcome 'Attends' in context 'GP referral' through "
        "different mechanisms: 'Trust' (A1) vs 'Sense of duty' (A2).")
    assert conflicts(graph("conflicts"), kind="mixed-evidence") == rows[6:8]
    assert conflicts(graph("conflicts"), limit=1) == rows[:1]
    with pytest.raises(UsageError, match="did you mean 'mixed-evidence'"):
        conflicts(graph("conflicts"), kind="mixed-evidnce")


def test_conflicts_clean_fixture_finds_nothing():
    assert conflicts(graph("clean")) == []


def test_conflicts_chains_fixture_and_buyin(chains_g, buyin_graph):
    assert ids(conflicts(chains_g), "kind", "cmocs") == [("divergent-outcomes", ("A", "F"))]
    assert conflicts(buyin_graph) == []


# --- evidence --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def evidence_g():
    return graph("evidence")


def test_evidence_per_cmoc(evidence_g):
    rows = evidence(evidence_g)
    assert rows == [
        {"cmoc": "K1", "area": "x", "value": None, "quotes": 4, "refuting": 0, "participants": 3,
         "sites": ["s1", "s2"], "waves": ["follow-up", "interview"], "flag": None},
        {"cmoc": "K2", "area": "x", "value": None, "quotes": 1, "refuting": 0, "participants": 1,
         "sites": ["s3"], "waves": ["observation"], "flag": "single-site"},
        {"cmoc": "K3", "area": "x", "value": None, "quotes": 0, "refuting": 0, "participants": 0,
         "sites": [], "waves": [], "flag": "no-evidence"},
        {"cmoc": "K4", "area": "x", "value": None, "quotes": 1, "refuting": 1, "participants": 0,
         "sites": [], "waves": [], "flag": "single-site"},  # no site recorded
    ]
    assert evidence(evidence_g, flagged=True) == rows[1:]


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
        assert table.code == 0 and all(len(line) <= 100 for line in table.out.splitlines()), table
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
