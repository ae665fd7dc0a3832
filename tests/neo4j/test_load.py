"""``ptgraph load`` / ``unload`` against a real Neo4j: counts, reloads, edits, coexistence."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

import pytest

import ptgraph as ptgraph_pkg
from ptgraph.check import ReadTheory, load_theory
from ptgraph.graph import build_graph, dump_graph, records
from ptgraph.errors import TheoryError
from ptgraph.load import load

from theory_edits import edit_theory

pytestmark = pytest.mark.neo4j

LABEL_COUNTS = """
MATCH (n) WHERE n.theory = $theory
UNWIND labels(n) AS label
RETURN label, count(*) AS n
"""
TYPE_COUNTS = """
MATCH ()-[r]->() WHERE r.theory = $theory
RETURN type(r) AS type, count(*) AS n
"""


def expected_dump(path: Path) -> dict:
    """The embedded engine's dump of a theory: what Neo4j must hold after a load."""
    return dump_graph(build_graph(load_theory(path)))


def load_ok(ptgraph, env, path, *args) -> str:
    run = ptgraph("load", path, *args, env=env)
    assert run.code == 0, run
    return run.out


def test_buyin_loads_with_the_counts_of_the_graph_model(ptgraph, neo4j_env, new_theory, store):
    path, tid = new_theory()
    out = load_ok(ptgraph, neo4j_env, path)
    assert re.fullmatch(rf"loaded {tid}: 142 nodes, 280 relationships in \d+\.\d s\n", out), out

    nodes, rels = records(load_theory(path))
    want_labels = Counter(label for n in nodes for label in n.labels)
    assert want_labels["Concept"] == 62 and want_labels["CMOC"] == 26 and want_labels["Mechanism"] > 0
    got_labels = {r["label"]: r["n"] for r in store.run_query_text(LABEL_COUNTS, {"theory": tid})}
    assert got_labels == dict(want_labels)
    got_types = {r["type"]: r["n"] for r in store.run_query_text(TYPE_COUNTS, {"theory": tid})}
    assert got_types == dict(Counter(r.type for r in rels))
    assert store.read_dump(tid) == expected_dump(path)
    assert tid in store.theories()


def test_loading_again_changes_nothing_and_says_so_before_parsing(ptgraph, neo4j_env, new_theory,
                                                                  store, monkeypatch):
    path, tid = new_theory()
    load_ok(ptgraph, neo4j_env, path)
    before = store.dump_all()
    theory_node = next(n for labels, n in before["nodes"] if n.get("id") == tid and "Theory" in labels)
    assert theory_node["graph_model"] == ptgraph_pkg.GRAPH_MODEL_VERSION
    assert len(theory_node["content_hash"]) == 64

    def no_parsing(*args, **kwargs):
        raise AssertionError("an unchanged theory must not be parsed")

    monkeypatch.setattr("ptgraph.load.read_for_check", no_parsing)
    out = load_ok(ptgraph, neo4j_env, path)
    assert out == (f"{tid} is unchanged since the last load "
                   f"(hash {theory_node['content_hash'][:12]}); nothing to do\n")
    assert store.dump_all() == before  # every node, relationship and property


def test_a_new_graph_model_version_reloads(ptgraph, neo4j_env, new_theory, store, monkeypatch):
    path, tid = new_theory()
    load_ok(ptgraph, neo4j_env, path)
    old = store.read_dump(tid, meta=True)
    monkeypatch.setattr(ptgraph_pkg, "GRAPH_MODEL_VERSION", ptgraph_pkg.GRAPH_MODEL_VERSION + 1)
    out = load_ok(ptgraph, neo4j_env, path)
    assert out.startswith(f"loaded {tid}: 142 nodes, 280 relationships in ")
    assert "(update 1 node)" in out  # the Theory node's bookkeeping, nothing else
    new = store.read_dump(tid, meta=True)
    theory = next(props for labels, props in new["nodes"] if labels == ["Theory"])
    assert theory["graph_model"] == ptgraph_pkg.GRAPH_MODEL_VERSION
    assert new != old and store.read_dump(tid) == expected_dump(path)
    assert "is unchanged" in load_ok(ptgraph, neo4j_env, path)


def test_an_edited_theory_leaves_no_stale_nodes(ptgraph, neo4j_env, new_theory, store):
    path, tid = new_theory()
    load_ok(ptgraph, neo4j_env, path)
    edit_theory(path)
    out = load_ok(ptgraph, neo4j_env, path)
    assert re.search(r"\(add 1 node, update \d+ nodes, remove 5 nodes, add \d+ relationships, "
                     r"remove \d+ relationships\)", out), out

    got = store.read_dump(tid)
    assert got == expected_dump(path)
    ids = {props["id"] for _, props in got["nodes"]}
    assert not ids & {"AP5", "tapering-off", "prepared-to-move-on", "not-abandoned",
                      "feel-less-alone"}
    assert "feeling-less-alone" in ids
    site1 = next(p for labels, p in got["nodes"] if labels == ["Site"] and p["id"] == "site-1")
    assert "region" not in site1

    fresh_path, fresh_id = new_theory(path)  # the edited files, loaded from scratch
    load_ok(ptgraph, neo4j_env, fresh_path)
    assert str(store.read_dump(fresh_id)).replace(fresh_id, tid) == str(got)


def test_nodes_left_without_their_theory_node_are_compared_not_duplicated(ptgraph, neo4j_env,
                                                                          new_theory, store):
    # A first load skips reading what is stored; nodes of the theory that are there all
    # the same (here: the Theory node deleted by hand) must be found and brought in line.
    path, tid = new_theory()
    load_ok(ptgraph, neo4j_env, path)
    store.run_query_text("MATCH (t:Theory {theory: $theory, id: $theory}) DETACH DELETE t",
                         {"theory": tid}, write=True)
    store.run_query_text("MATCH (m:CMOC {theory: $theory}) WITH m LIMIT 1 SET m.statement = 'x'",
                         {"theory": tid}, write=True)
    out = load_ok(ptgraph, neo4j_env, path)
    assert out.endswith(" (add 1 node, update 1 node)\n"), out
    assert store.read_dump(tid) == expected_dump(path)


def test_a_theory_of_one_batch_and_one_of_many_get_the_same_graph(new_theory, store):
    # One batch: nodes and relationships in one statement; more: a statement per batch.
    small, small_id = new_theory()
    load(store, small)
    many, many_id = new_theory()
    load(store, many, batch_size=50)
    assert store.read_dump(small_id) == expected_dump(small)
    assert str(store.read_dump(many_id)).replace(many_id, small_id) == str(store.read_dump(small_id))


def test_servers_before_neo4j_5_26_get_the_same_graph(new_theory, store, monkeypatch):
    # Without labels and types from an expression, a statement per label and per type.
    path, tid = new_theory()
    monkeypatch.setattr(store, "dynamic_labels", False)
    load(store, path)
    assert store.read_dump(tid) == expected_dump(path)
    edit_theory(path)
    load(store, path)
    assert store.read_dump(tid) == expected_dump(path)


def test_role_labels_follow_the_cmocs(ptgraph, neo4j_env, new_theory, store):
    path, tid = new_theory()
    load_ok(ptgraph, neo4j_env, path)
    # AP4 is the only CMOC using trusted-link-worker as a mechanism; give it
    # lw-advocacy (so far a context only) instead.
    cmocs = path / "cmocs" / "anchor-point.yaml"
    text = cmocs.read_text(encoding="utf-8")
    assert text.count("    mechanism: trusted-link-worker\n") == 1
    cmocs.write_text(text.replace("    mechanism: trusted-link-worker\n", "    mechanism: lw-advocacy\n"),
                     encoding="utf-8")
    out = load_ok(ptgraph, neo4j_env, path)
    assert "(update 3 nodes, " in out, out  # the Theory node and the two concepts
    labels = {props["id"]: labels for labels, props in store.read_dump(tid)["nodes"]}
    assert labels["trusted-link-worker"] == ["Concept", "Context"]
    assert labels["lw-advocacy"] == ["Concept", "Context", "Mechanism"]
    assert store.read_dump(tid) == expected_dump(path)


def test_dry_run_reports_and_writes_nothing(ptgraph, neo4j_env, new_theory, store):
    path, tid = new_theory()
    before = store.dump_all()
    out = load_ok(ptgraph, neo4j_env, path, "--dry-run")
    assert out.startswith(f"dry run: loading {tid} (142 nodes, 280 relationships) would add "
                          "142 nodes, add 280 relationships; nothing was written\n")
    assert re.search(r"^  Concept +\+62 ~0 -0$", out, re.M), out
    assert re.search(r"^  SUPPORTS +\+52 -0$", out, re.M), out
    assert store.dump_all() == before

    load_ok(ptgraph, neo4j_env, path)
    loaded = store.dump_all()
    edit_theory(path)
    out = load_ok(ptgraph, neo4j_env, path, "--dry-run")
    assert "remove 5 nodes" in out and re.search(r"^  CMOC +\+0 ~0 -1$", out, re.M), out
    assert store.dump_all() == loaded


def test_two_theories_coexist_and_unload_removes_one(ptgraph, neo4j_env, new_theory, store):
    path_a, a = new_theory()
    path_b, b = new_theory()
    edit_theory(path_b)
    before = store.dump_all()
    load_ok(ptgraph, neo4j_env, path_a)
    with_a = store.dump_all()
    load_ok(ptgraph, neo4j_env, path_b)
    assert store.read_dump(a) == expected_dump(path_a)
    assert store.read_dump(b) == expected_dump(path_b)

    run = ptgraph("unload", b, env=neo4j_env)
    assert run.code == 0, run
    assert run.out.startswith(f"unloaded {b}: 138 nodes, ")
    assert store.dump_all() == with_a
    run = ptgraph("unload", a, env=neo4j_env)
    assert run.code == 0, run
    assert store.dump_all() == before

    run = ptgraph("unload", a, env=neo4j_env)
    assert run.code == 2 and f"no theory '{a}'" in run.err, run


# --- check beside the write -------------------------------------------------------------------

#: Theories that fail check in ways the write would meet too, each with the problem check
#: reports: a context no concept has (the relationship finds no end), an id given twice (a
#: uniqueness constraint refuses the second), a context that is not an id at all (the
#: records cannot be built).
BROKEN = {
    "E201": ("cmocs/anchor-point.yaml", "    context: trusted-link-worker\n",
             "    context: no-such-concept\n"),
    "E106": ("cmocs/enrolment.yaml", "  EN1:\n", "  AP1:\n"),
    "E104": ("cmocs/anchor-point.yaml", "    context: trusted-link-worker\n",
             "    context: {nested: [1, 2]}\n"),
}


@pytest.mark.parametrize("slow_rules", [False, True], ids=["rules-as-they-are", "rules-last"])
@pytest.mark.parametrize("batch_size", [5_000, 7], ids=["one-statement", "many-batches"])
@pytest.mark.parametrize("code", sorted(BROKEN))
def test_a_theory_failing_check_is_refused_with_its_problems_though_written_meanwhile(
        new_theory, store, code, batch_size, slow_rules, monkeypatch):
    # The rules run while the server writes; the write of a broken theory may fail
    # first or go through (the rules slowed down, it always finishes first), and either
    # way the problems are what the researcher sees and nothing is committed.
    if slow_rules:
        passed = ReadTheory.passed

        def late(self, *args, **kwargs):
            time.sleep(1.0)
            return passed(self, *args, **kwargs)

        monkeypatch.setattr(ReadTheory, "passed", late)
    path, tid = new_theory()
    name, old, new = BROKEN[code]
    text = (path / name).read_text(encoding="utf-8")
    assert text.count(old) >= 1
    (path / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    before = store.dump_all()
    with pytest.raises(TheoryError) as info:
        load(store, path, batch_size=batch_size)
    assert code in {p.code for p in info.value.problems}, info.value.problems
    assert store.dump_all() == before
    assert tid not in store.theories()
