"""Queries across theories on a real Neo4j: each twin (queries/across/NAME.cypher) gives the
embedded engine's rows, on tests/fixtures/across/ and on the two example theories with
examples/vocabulary, every theory and the vocabulary loaded into one database.

Each set is loaded as copies under fresh ids (``new_vocabulary``, ``new_theory``), so
rows name those ids in both engines; they are unloaded afterwards, theories first.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ptgraph.across import ACROSS
from ptgraph.check import load_mapped_theory
from ptgraph.graph import build_shared_graph
from ptgraph.twins import run_across_twin

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "across"
#: Every query's parameters, each asked what it should find on the fixture set.
PARAMS = {
    "recurring": [{}, {"role": "resource"}, {"term": "peer"}],
    "cross-contrasts": [{}, {"by": "context"}, {"by": "resource"}, {"by": "intervention"}],
    "cross-chains": [{}, {"term": "calm"}],
}


def load_set(ptgraph, neo4j_env, new_vocabulary, new_theory, vocabulary: Path, theories: list[Path]):
    """Copies of ``vocabulary`` and ``theories`` loaded with ``ptgraph load``: (vocabulary id,
    theory ids, the embedded graph of the copies)."""
    vpath, vid = new_vocabulary(vocabulary)
    assert ptgraph("load", vpath, env=neo4j_env).code == 0
    copies = []
    for source in theories:
        path, _ = new_theory(source, vocabulary=vpath)
        run = ptgraph("load", path, env=neo4j_env)
        assert run.code == 0, run
        copies.append(path)
    loaded = [load_mapped_theory(p) for p in copies]
    theories_ = [t for t, _ in loaded]
    return vid, sorted(t.id for t in theories_), build_shared_graph(theories_, loaded[0][1]), copies


def assert_same(store, name, G, vid, ids, raw) -> list[dict]:
    query = ACROSS[name]
    parsed = query.parse(raw)
    want = query.run(G, parsed)
    got = run_across_twin(store, query, parsed, vid, ids)
    assert got == want, f"{name} {raw}"
    return want


def test_the_fixture_set_gives_the_same_rows_on_both_engines(ptgraph, neo4j_env, store,
                                                             new_vocabulary, new_theory):
    vid, ids, G, _ = load_set(ptgraph, neo4j_env, new_vocabulary, new_theory, FIXTURE / "vocab",
                              [FIXTURE / n for n in ("alpha", "beta", "gamma")])
    for name, raws in PARAMS.items():
        for raw in raws:
            rows = assert_same(store, name, G, vid, ids, raw)
            if raw.get("by") != "intervention":
                assert rows, f"{name} {raw} should find something on the fixture set"
            assert assert_same(store, name, G, vid, ids, {**raw, "limit": "1"}) == rows[:1]
    # two theories of the three: the third's CMOCs leave every row, in both engines
    pair = ids[:2]
    for name in ACROSS:
        query = ACROSS[name]
        parsed = query.parse({})
        got = run_across_twin(store, query, parsed, vid, pair)
        assert got == query.func(G, theories=pair, **query.kwargs(parsed)), name


def test_the_examples_give_the_same_rows_on_both_engines(ptgraph, neo4j_env, store,
                                                         new_vocabulary, new_theory):
    vid, ids, G, copies = load_set(ptgraph, neo4j_env, new_vocabulary, new_theory,
                                   ROOT / "examples" / "vocabulary",
                                   [ROOT / "theory", ROOT / "examples" / "deprescribing-review"])
    found = 0
    for name, raws in PARAMS.items():
        for raw in raws:
            raw = {k: v for k, v in raw.items() if k != "term"}
            found += len(assert_same(store, name, G, vid, ids, raw))
    assert found >= 4
    # the command line prints the same with --neo4j
    for name in ACROSS:
        here = ptgraph("across", name, *copies, "--format", "json")
        there = ptgraph("across", name, *copies, "--format", "json", "--neo4j", env=neo4j_env)
        assert here.code == there.code == 0, there
        assert json.loads(there.out) == json.loads(here.out)


def test_an_unknown_term_or_vocabulary_is_refused_as_on_the_embedded_engine(
        ptgraph, neo4j_env, store, new_vocabulary, new_theory):
    vid, ids, G, copies = load_set(ptgraph, neo4j_env, new_vocabulary, new_theory,
                                   FIXTURE / "vocab", [FIXTURE / "alpha", FIXTURE / "beta"])
    run = ptgraph("across", "recurring", *copies, "-p", "term=per", "--neo4j", env=neo4j_env)
    assert run.code == 2 and f"no term 'per' in vocabulary '{vid}' (did you mean 'peer'?)" in run.err
