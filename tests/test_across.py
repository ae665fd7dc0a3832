"""Queries across theories (``ptgraph across``), on the embedded engine.

On tests/fixtures/across/ (three theories and a vocabulary; its README says what each
CMOC is for) and on the two example theories with examples/vocabulary. The Neo4j twins
give the same rows (tests/neo4j/test_across_twins.py); Browser runs their files
(tests/browser/test_browser.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ptgraph.across import ACROSS
from ptgraph.check import load_mapped_theory
from ptgraph.errors import UsageError
from ptgraph.graph import build_shared_graph
from ptgraph.store import QUERIES_DIR
from ptgraph.twins import ACROSS_DIR, read_twin

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "across"
THEORIES = [FIXTURE / name for name in ("alpha", "beta", "gamma")]
EXAMPLES = [ROOT / "theory", ROOT / "examples" / "deprescribing-review"]


def shared(paths):
    loaded = [load_mapped_theory(p) for p in paths]
    return build_shared_graph([t for t, _ in loaded], loaded[0][1])


@pytest.fixture(scope="module")
def G():
    return shared(THEORIES)


def run(G, name, **raw):
    query = ACROSS[name]
    return list(query.run(G, query.parse(raw)))


def test_recurring_names_the_theory_of_every_cmoc(G):
    rows = run(G, "recurring")
    assert [(r["term"], r["pattern"]) for r in rows] == [("peer", "opposing"),
                                                          ("trust", "different-outcomes")]
    peer = rows[0]
    assert peer["theories"] == ["alpha", "beta", "gamma"]
    assert peer["cmocs"] == ["alpha:A1", "beta:B1", "gamma:G1"]
    assert peer["outcome_terms"] == ["thriving", "withdrawing", "thriving"]
    # a close match counts as the same idea: gamma's trusted nurse is 'trust'
    assert rows[1]["cmocs"] == ["alpha:A2", "gamma:G2"]


def test_recurring_resources_whose_outcomes_map_to_no_term(G):
    (row,) = run(G, "recurring", role="resource")
    assert (row["term"], row["pattern"], row["outcome_terms"]) == ("coached", "outcomes-unmapped",
                                                                    ["", ""])


def test_cross_contrasts_need_a_difference_across_theories(G):
    by_mechanism = {r["term"]: r["pattern"] for r in run(G, "cross-contrasts")}
    assert by_mechanism == {"peer": "opposing", "trust": "context-dependent"}
    (rural,) = run(G, "cross-contrasts", by="context")
    assert (rural["term"], rural["pattern"]) == ("rural", "equifinality")
    assert rural["cmocs"] == ["alpha:A1", "alpha:A2", "gamma:G1"]


def test_cross_chains_join_an_outcome_to_another_theorys_context(G):
    rows = run(G, "cross-chains")
    assert [(r["cmocs"], r["term"], r["match"]) for r in rows] == [
        (["alpha:A1", "beta:B3"], "thriving", "exact"),
        (["alpha:A2", "beta:B3"], "thriving", "exact"),
        (["gamma:G1", "beta:B3"], "thriving", "exact"),
        (["gamma:G2", "alpha:A3"], "calm", "close"),  # a close mapping: a hypothesis
        (["gamma:G2", "beta:B3"], "thriving", "exact"),
    ]
    assert not [r for r in rows if "beta:B4" in r["cmocs"]]  # refuted: claims nothing


def test_a_theory_alone_meets_nobody(G):
    alone = shared(THEORIES[:1])
    assert all(not run(alone, name) for name in ACROSS)


def test_the_examples_meet_through_examples_vocabulary():
    G = shared(EXAMPLES)
    (row,) = run(G, "recurring")
    assert row["theories"] == ["buy-in", "deprescribing-review"]
    assert run(G, "cross-chains") and run(G, "cross-contrasts", by="context")


@pytest.mark.parametrize("name, raw, message", [
    ("recurring", {"role": "outcome"}, "role: recurring groups on mechanism or resource"),
    ("cross-contrasts", {"by": "actor"}, "by: cross-contrasts group by mechanism, resource, "
                                         "intervention or context, not 'actor'"),
    ("cross-chains", {"term": "thrivng"}, "term: no term 'thrivng' in vocabulary 'across-vocab' "
                                          "(did you mean 'thriving'?)"),
    ("recurring", {"limit": "0"}, "limit must be"),
])
def test_bad_parameters_say_what_to_do(G, name, raw, message):
    with pytest.raises(UsageError) as info:
        run(G, name, **raw)
    assert message in str(info.value)


def test_cli_prints_rows_and_refuses_what_it_cannot_do(ptgraph, tmp_path):
    out = ptgraph("across", "cross-chains", *THEORIES, "--format", "json")
    assert out.code == 0, out
    assert [r["term"] for r in json.loads(out.out)["rows"]][:1] == ["thriving"]
    assert ptgraph("across", "--list").out.startswith("recurring ")
    one = ptgraph("across", "recurring", THEORIES[0])
    assert one.code == 2 and "two or more theory directories" in one.err
    unknown = ptgraph("across", "recurrent", *THEORIES)
    assert unknown.code == 2 and "no query 'recurrent'" in unknown.err
    twice = ptgraph("across", "recurring", THEORIES[0], THEORIES[0])
    assert twice.code == 2 and "given twice" in twice.err
    other = ptgraph("across", "recurring", THEORIES[0], EXAMPLES[0])
    assert other.code == 2 and "queries across theories need one vocabulary" in other.err


@pytest.mark.parametrize("name", sorted(ACROSS))
def test_every_query_across_has_a_browser_twin(name):
    text = (ACROSS_DIR / f"{name}.cypher").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith(f"// {name}: ")
    # nothing in a comment that a splitter unaware of comments would take for Cypher
    assert not [line for line in lines if line.lstrip().startswith("//") and (";" in line or "'" in line)]
    twin = read_twin(name, ACROSS_DIR, "vocabulary")
    assert list(twin.params) == [*ACROSS[name].params, "theories", "vocabulary"]
    vocabulary = twin.params["vocabulary"]
    assert vocabulary.startswith("[ids IN [COLLECT { MATCH (v:Vocabulary)") and "\n" not in vocabulary
    for words in ("no shared vocabulary is loaded", "vocabularies are loaded in this database",
                  ":param vocabulary => '", "then run the query on its own"):
        assert words in vocabulary, words
    assert sorted(p.stem for p in ACROSS_DIR.glob("*.cypher")) == sorted(ACROSS)
    assert ACROSS_DIR.parent == QUERIES_DIR


def test_an_empty_answer_says_why(ptgraph):
    run = ptgraph("across", "recurring", "-p", "role=resource", *EXAMPLES)
    assert run.code == 0 and "(no rows)" in run.out
    assert "recurring: none: the CMOCs' resources map to 2 terms, 2 of them used by one " \
           "theory only" in run.err
    chains = ptgraph("across", "cross-chains", "-p", "term=coping", *EXAMPLES)
    assert "cross-chains: none: no outcome or mechanism" in chains.err
