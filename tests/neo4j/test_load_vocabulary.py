"""A shared vocabulary and a theory's MAPS_TO in a real Neo4j: load, reload, refusals, unload.

Every vocabulary and theory here is a copy under a fresh id (``new_vocabulary``,
``new_theory``), unloaded afterwards, theories first.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from ptgraph.check import load_mapped_theory, load_vocabulary
from ptgraph.graph import NODE_LABELS, dump, mapping_records, records, vocabulary_records

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
MAPS_TO = """
MATCH (c:Concept)-[r:MAPS_TO]->(t:Term)
WHERE c.theory = $theory
RETURN c.id AS concept, r.match AS match, t.id AS term, t.theory AS vocabulary,
       r.theory AS rel_theory
ORDER BY concept, match, term
"""
CONSTRAINTS = "SHOW CONSTRAINTS YIELD labelsOrTypes, properties RETURN labelsOrTypes, properties"


def expected_vocabulary_dump(path: Path) -> dict:
    nodes, rels = vocabulary_records(load_vocabulary(path))
    return dump(((n.labels, n.props) for n in nodes), ((r.type, r.start, r.end, r.props) for r in rels))


def expected_theory_dump(path: Path) -> dict:
    """What Neo4j holds of a mapped theory: its records and its MAPS_TO."""
    theory, _ = load_mapped_theory(path)
    nodes, rels = records(theory)
    rels = rels + mapping_records(theory)
    return dump(((n.labels, n.props) for n in nodes), ((r.type, r.start, r.end, r.props) for r in rels))


def load_ok(ptgraph, env, path, *args) -> str:
    run = ptgraph("load", path, *args, env=env)
    assert run.code == 0, run
    return run.out


def test_a_vocabulary_loads_once_with_the_records_of_the_graph_model(ptgraph, neo4j_env,
                                                                      new_vocabulary, store):
    path, vid = new_vocabulary()
    nodes, rels = vocabulary_records(load_vocabulary(path))
    out = load_ok(ptgraph, neo4j_env, path)
    assert re.fullmatch(rf"loaded {vid}: {len(nodes)} nodes, {len(rels)} relationships "
                        r"in \d+\.\d s\n", out), out
    assert Counter(n.label for n in nodes) == {"Vocabulary": 1, "Term": 25, "MiddleRangeTheory": 3}
    assert store.read_dump(vid) == expected_vocabulary_dump(path)
    assert vid not in store.theories()  # a vocabulary is no theory for the query files
    before = store.dump_all()
    out = load_ok(ptgraph, neo4j_env, path)
    assert out.startswith(f"{vid} is unchanged since the last load (hash ")
    assert store.dump_all() == before


def test_every_label_has_its_uniqueness_constraint(ptgraph, neo4j_env, new_vocabulary, store):
    path, _ = new_vocabulary()
    load_ok(ptgraph, neo4j_env, path)
    found = {(tuple(r["labelsOrTypes"] or ()), tuple(r["properties"] or ()))
             for r in store.run_query_text(CONSTRAINTS)}
    for label in ("Vocabulary", "Term", "MiddleRangeTheory"):
        assert ((label,), ("theory", "id")) in found, label
    assert set(NODE_LABELS) >= {"Vocabulary", "Term", "MiddleRangeTheory"}


def test_a_mapped_theory_is_refused_until_its_vocabulary_is_loaded(ptgraph, neo4j_env,
                                                                   new_vocabulary, new_theory,
                                                                   store):
    vpath, vid = new_vocabulary()
    path, tid = new_theory(vocabulary=vpath)
    before = store.dump_all()
    run = ptgraph("load", path, env=neo4j_env)
    assert run.code == 2, run
    assert f"vocabulary '{vid}', which is not loaded in this database" in run.err, run
    assert "Traceback" not in run.err
    assert store.dump_all() == before
    assert ptgraph("load", path, "--dry-run", env=neo4j_env).code == 2


def test_a_mapped_theory_is_refused_when_the_loaded_vocabulary_lacks_a_term(ptgraph, neo4j_env,
                                                                           new_vocabulary,
                                                                           new_theory, store):
    """The load finds out by writing (its MAPS_TO find no term), then says which and rolls
    back: in one statement (a first load), in several (--batch-size 1), and with --force."""
    vpath, vid = new_vocabulary()
    path, tid = new_theory(vocabulary=vpath)
    manifest = vpath / "vocabulary.yaml"
    text = manifest.read_text(encoding="utf-8")
    start = text.index("  hope:\n")
    end = text.index("\n  # --- Reassurance", start)
    manifest.write_text(text[:start] + text[end + 1:], encoding="utf-8")
    load_ok(ptgraph, neo4j_env, vpath)  # loaded without the term hope
    manifest.write_text(text, encoding="utf-8")  # which the theory's check then finds
    before = store.dump_all()
    for args in ((), ("--batch-size", "1"), ("--force",)):
        run = ptgraph("load", path, *args, env=neo4j_env)
        assert run.code == 2, (args, run)
        assert f"vocabulary '{vid}' as loaded lacks" in run.err and "term(s) hope" in run.err, run
        assert "Traceback" not in run.err
        assert store.dump_all() == before, args


def test_a_mapped_theory_writes_its_maps_to_to_the_loaded_terms(ptgraph, neo4j_env,
                                                                new_vocabulary, new_theory, store):
    vpath, vid = new_vocabulary()
    path, tid = new_theory(vocabulary=vpath)
    load_ok(ptgraph, neo4j_env, vpath)
    vocabulary_before = store.read_dump(vid)
    theory, _ = load_mapped_theory(path)
    want = mapping_records(theory)
    out = load_ok(ptgraph, neo4j_env, path)
    assert f"loaded {tid}: 142 nodes, {280 + len(want)} relationships" in out, out
    rows = store.run_query_text(MAPS_TO, {"theory": tid})
    assert [(r["concept"], r["match"], r["term"]) for r in rows] == sorted(
        (r.start[1], r.props["match"], r.end[1]) for r in want)
    assert {(r["vocabulary"], r["rel_theory"]) for r in rows} == {(vid, tid)}
    assert len(rows) == 31 + sum(len(m.matches) - 1 for m in theory.mappings.values())
    assert store.read_dump(tid) == expected_theory_dump(path)
    assert store.read_dump(vid) == vocabulary_before  # the vocabulary's own graph is untouched

    # an edited mapping is a difference like any other
    mappings = path / "mappings.yaml"
    text = mappings.read_text(encoding="utf-8")
    assert "  feel-less-alone: {exact: feeling-less-alone}\n" in text
    mappings.write_text(text.replace("  feel-less-alone: {exact: feeling-less-alone}\n",
                                     "  feel-less-alone: {close: feeling-less-alone}\n"),
                        encoding="utf-8")
    out = load_ok(ptgraph, neo4j_env, path)
    assert "add 1 relationship, remove 1 relationship" in out, out
    assert store.read_dump(tid) == expected_theory_dump(path)


def test_a_vocabulary_keeps_the_terms_a_loaded_theory_maps_to(ptgraph, neo4j_env,
                                                             new_vocabulary, new_theory, store):
    vpath, vid = new_vocabulary()
    path, tid = new_theory(vocabulary=vpath)
    load_ok(ptgraph, neo4j_env, vpath)
    load_ok(ptgraph, neo4j_env, path)
    loaded = store.dump_all()

    # unloading the vocabulary would cut the theory's MAPS_TO: refused, nothing changes
    run = ptgraph("unload", vid, env=neo4j_env)
    assert run.code == 2 and f"cannot unload vocabulary {vid}" in run.err and tid in run.err, run
    assert store.dump_all() == loaded

    # so is a reload of the vocabulary without a mapped term
    manifest = vpath / "vocabulary.yaml"
    text = manifest.read_text(encoding="utf-8")
    start = text.index("  hope:\n")
    end = text.index("\n  # --- Reassurance", start)
    manifest.write_text(text[:start] + text[end + 1:], encoding="utf-8")
    run = ptgraph("load", vpath, env=neo4j_env)
    assert run.code == 2 and "term(s) hope" in run.err and tid in run.err, run
    assert store.dump_all() == loaded

    # a term no theory maps to may go (fear-of-losing-support is related to, not mapped)
    manifest.write_text(text, encoding="utf-8")
    assert ptgraph("unload", tid, env=neo4j_env).code == 0
    run = ptgraph("unload", vid, env=neo4j_env)
    assert run.code == 0 and run.out.startswith(f"unloaded {vid}: 29 nodes, "), run


def test_a_theory_cannot_take_the_id_of_a_loaded_vocabulary(ptgraph, neo4j_env, new_vocabulary,
                                                            new_theory, store):
    vpath, vid = new_vocabulary()
    load_ok(ptgraph, neo4j_env, vpath)
    path, _ = new_theory()
    manifest = path / "theory.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(re.sub(r"(?m)^  id: .*$", f"  id: {vid}", text, count=1), encoding="utf-8")
    before = store.dump_all()
    run = ptgraph("load", path, env=neo4j_env)
    assert run.code == 2 and f"the id '{vid}' of this theory is that of a loaded vocabulary" \
        in run.err, run
    assert store.dump_all() == before


def test_the_examples_load_together(ptgraph, neo4j_env, new_vocabulary, new_theory, store):
    """The buy-in theory and the second example, mapped to one vocabulary in one database."""
    vpath, vid = new_vocabulary()
    buyin_path, buyin = new_theory(vocabulary=vpath)
    second_path, second = new_theory(ROOT / "examples" / "deprescribing-review", prefix="d",
                                     vocabulary=vpath)
    for path in (vpath, buyin_path, second_path):
        load_ok(ptgraph, neo4j_env, path)
    shared = store.run_query_text("""
        MATCH (a:Concept {theory: $a})-[:MAPS_TO]->(t:Term)<-[:MAPS_TO]-(b:Concept {theory: $b})
        RETURN DISTINCT t.id AS term ORDER BY term""", {"a": buyin, "b": second})
    assert {"uncertainty-about-the-service", "reluctance-to-engage",
            "reassured-support-remains"} <= {r["term"] for r in shared}
