"""The shared vocabulary: its schema, model, checks, graph records and load plan (no server).

Neo4j itself: ``tests/neo4j/test_load_vocabulary.py``.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from ptgraph.check import check_path, check_theory, load_mapped_theory, load_theory, load_vocabulary
from ptgraph.errors import TheoryError, UsageError
from ptgraph.graph import (build_graph, build_shared_graph, dump_graph, mapping_records, records,
                           vocabulary_records)
from ptgraph.load import REL_PROPS, plan
from ptgraph.loader import read_file, theory_files
from ptgraph.model import MiddleRangeTheory, Term
from ptgraph.schema import (ID_PATTERN, MATCH_TYPES, VOCABULARY_FORMAT, VOCABULARY_SCHEMA_FILE,
                            json_schema, schema_text)

ROOT = Path(__file__).resolve().parents[1]
VOCABULARY = ROOT / "examples" / "vocabulary"
SECOND = ROOT / "examples" / "deprescribing-review"
RULE_FIXTURES = ROOT / "tests" / "fixtures" / "rules"
REGENERATE = (f"regenerate with `ptgraph schema --kind vocabulary -o schema/{VOCABULARY_SCHEMA_FILE} "
              f"-o src/ptgraph/data/{VOCABULARY_SCHEMA_FILE}` and commit both")


# --- the schema of vocabulary files -------------------------------------------------------------

def test_vocabulary_schema_copies_are_current():
    text = schema_text("vocabulary")
    assert (ROOT / "schema" / VOCABULARY_SCHEMA_FILE).read_text(encoding="utf-8") == text, REGENERATE
    shipped = resources.files("ptgraph").joinpath("data", VOCABULARY_SCHEMA_FILE)
    assert shipped.read_text(encoding="utf-8") == text, REGENERATE


def test_schema_command_writes_the_vocabulary_schema(ptgraph, tmp_path):
    run = ptgraph("schema", "--kind", "vocabulary", "-o", tmp_path / "v.json")
    assert run.code == 0, run
    assert (tmp_path / "v.json").read_text(encoding="utf-8") == schema_text("vocabulary")
    assert json.loads(schema_text("vocabulary"))["$id"].endswith(VOCABULARY_SCHEMA_FILE)


def entry(schema: dict, section: str) -> dict:
    found = schema["properties"][section]["patternProperties"][f"^{ID_PATTERN}$"]
    return next(s for s in found.get("oneOf", [found]) if s.get("type") == "object")


@pytest.mark.parametrize("section, cls", [("concepts", Term),
                                          ("middle-range-theories", MiddleRangeTheory)])
def test_vocabulary_dataclasses_and_schema_agree(section, cls):
    fields = {f.name for f in dataclasses.fields(cls)} - {"id", "source"}
    assert fields == set(entry(json_schema(VOCABULARY_FORMAT), section)["properties"])


def test_mapping_schema_takes_the_skos_match_types():
    props = entry(json_schema(), "mappings")["properties"]
    assert list(props) == list(MATCH_TYPES) == ["exact", "close", "broader", "narrower", "related"]


def test_vocabulary_files_validate_and_a_theory_schema_refuses_them():
    jsonschema = pytest.importorskip("jsonschema")
    vocab = jsonschema.Draft202012Validator(json_schema(VOCABULARY_FORMAT))
    theory = jsonschema.Draft202012Validator(json_schema())
    for path in [VOCABULARY / "vocabulary.yaml",
                 RULE_FIXTURES / "E403-broader-cycle" / "pass" / "vocabulary.yaml",
                 *theory_files(RULE_FIXTURES / "E401-unknown-vocabulary-reference" / "pass" / "vocab",
                               "vocabulary.yaml")]:
        doc, issues = read_file(path, str(path))
        assert not issues and list(vocab.iter_errors(doc.data)) == [], path
        assert list(theory.iter_errors(doc.data)), path
    for path in (ROOT / "theory" / "mappings.yaml", SECOND / "mappings.yaml"):
        doc, _ = read_file(path, str(path))
        assert list(theory.iter_errors(doc.data)) == [], path


def test_vocabulary_file_names_its_schema():
    first = (VOCABULARY / "vocabulary.yaml").read_text(encoding="utf-8").splitlines()[0]
    target = first.split("$schema=", 1)[1]
    assert (VOCABULARY / target).resolve() == (ROOT / "schema" / VOCABULARY_SCHEMA_FILE).resolve()


# --- checking ------------------------------------------------------------------------------------

def test_the_examples_check_clean_together(ptgraph, repo_root, monkeypatch):
    monkeypatch.chdir(repo_root)
    run = ptgraph("check", "--strict", "theory", "examples/deprescribing-review",
                  "examples/vocabulary")
    assert (run.code, run.out) == (0, ""), run
    assert "examples/vocabulary: 1 files, 25 terms, 3 middle-range theories" in run.err
    assert "26 CMOCs, 62 concepts, 31 mapped" in run.err


BROKEN = {
    "vocabulary.yaml": """\
ptgraph-vocabulary: 1
vocabulary: {id: shared, title: Shared, editor: someone}
concepts:
  coping: {label: Coping, broader: [copeing]}
  bad id: Bad
  hope: {definition: no label}
middle-range-theories:
  self-efficacy: {label: Self-efficacy, citation: [not, text]}
""",
    "more.yaml": """\
concepts:
  coping: Coping again
  trust: {label: Trust, theories: [alliance]}
cmocs: {}
""",
}


def test_a_vocabulary_is_checked_by_the_structural_rules(tmp_path, monkeypatch):
    for name, text in BROKEN.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    got = [f"{p.path}:{p.line}:{p.col}: {p.code} {p.message}" for p in check_path(".").problems]
    assert got == [
        "more.yaml:2:3: E106 term 'coping' is already defined at vocabulary.yaml:4:3",
        "more.yaml:3:36: E201 term 'trust' refers to middle-range theory 'alliance' in 'theories', "
        "which is not defined",
        "more.yaml:4:1: E102 unknown key 'cmocs' in a vocabulary file (did you mean 'concepts'?)",
        "vocabulary.yaml:2:41: E102 unknown key 'editor' in vocabulary",
        "vocabulary.yaml:4:37: E201 term 'coping' refers to term 'copeing' in 'broader', which is "
        "not defined (did you mean 'coping'?)",
        "vocabulary.yaml:5:3: E105 term id 'bad id' must match [A-Za-z0-9][A-Za-z0-9_.-]* "
        "(letters, digits, '_', '.', '-')",
        "vocabulary.yaml:6:3: E103 term 'hope' has no 'label' (skos:prefLabel: the preferred label)",
        "vocabulary.yaml:8:41: E104 'citation' of middle-range theory 'self-efficacy' should be "
        "text, not a list",
    ]


def test_a_vocabulary_manifest_is_required(tmp_path):
    (tmp_path / "vocabulary.yaml").write_text("ptgraph-vocabulary: 2\nvocabulary: {id: v, title: V}\n",
                                              encoding="utf-8")
    got = [(p.code, p.message) for p in check_path(tmp_path).problems]
    assert got == [("E101", "format version 2 is not supported by this ptgraph (it reads "
                            "version 1); upgrade ptgraph")]


def copy_theory(tmp_path: Path, source: Path = ROOT / "theory") -> Path:
    target = tmp_path / "t"
    shutil.copytree(source, target)
    return target


def test_a_vocabulary_path_that_holds_none_is_reported_where_it_is_written(tmp_path):
    theory = copy_theory(tmp_path)  # its ../examples/vocabulary is not beside the copy
    problems = check_theory(theory).problems
    assert [(p.path, p.line, p.col, p.code) for p in problems] == [
        (str(theory / "theory.yaml"), 5, 3, "E404")]
    assert "vocabulary: ../examples/vocabulary: " in problems[0].message
    assert "holds no vocabulary.yaml" in problems[0].message
    # --vocabulary overrides the manifest; commands that do not use mappings need neither
    assert check_theory(theory, vocabulary=VOCABULARY).problems == []
    assert load_theory(theory).mappings["feel-less-alone"].terms("exact") == ("feeling-less-alone",)
    with pytest.raises(TheoryError):
        load_mapped_theory(theory)


def test_check_takes_vocabulary_on_the_command_line(ptgraph, tmp_path):
    theory = copy_theory(tmp_path)
    assert ptgraph("check", theory).code == 1
    run = ptgraph("check", "--vocabulary", VOCABULARY, theory)
    assert (run.code, run.out) == (0, ""), run


def test_a_vocabulary_inside_a_theory_folder_is_not_read_as_theory_files():
    fixture = RULE_FIXTURES / "E401-unknown-vocabulary-reference" / "pass"
    assert [p.name for p in theory_files(fixture)] == ["theory.yaml", "mappings.yaml"]
    assert [p.name for p in theory_files(fixture / "vocab", "vocabulary.yaml")] == ["vocabulary.yaml"]


def test_a_vocabulary_is_not_a_theory(ptgraph):
    with pytest.raises(UsageError, match="is a shared vocabulary, not a theory"):
        load_theory(VOCABULARY)
    with pytest.raises(UsageError, match="not a shared vocabulary"):
        load_vocabulary(ROOT / "theory")
    run = ptgraph("query", "hubs", VOCABULARY)
    assert run.code == 2 and "is a shared vocabulary, not a theory" in run.err, run


# --- the graph model ------------------------------------------------------------------------------

def test_vocabulary_records():
    vocabulary = load_vocabulary(VOCABULARY)
    nodes, rels = vocabulary_records(vocabulary)
    assert Counter(n.label for n in nodes) == {"Vocabulary": 1, "Term": 25, "MiddleRangeTheory": 3}
    assert {n.props["theory"] for n in nodes} == {r.props["theory"] for r in rels} == {"realist-core"}
    by_key = {n.key: n.props for n in nodes}
    alone = by_key["Term", "feeling-less-alone"]
    assert alone["label"] == "Feeling less alone"
    assert alone["alt"] == ["Reduced loneliness", "Not alone in their struggles",
                            "Comforted they are not alone"]
    assert by_key["Vocabulary", "realist-core"]["title"].startswith("Shared concepts")
    assert "Bandura A (1977)" in by_key["MiddleRangeTheory", "self-efficacy"]["citation"]
    edges = {(r.type, r.start[1], r.end[1]) for r in rels}
    assert ("BROADER", "feeling-less-alone", "social-connection") in edges
    assert ("BROADER", "credibility-of-referral", "trust-in-practitioner") in edges
    assert ("DRAWS_ON", "feeling-less-alone", "social-capital") in edges
    # related is one relationship per pair, whichever way it is written
    related = [frozenset((r.start[1], r.end[1])) for r in rels if r.type == "RELATED"]
    assert len(related) == len(set(related)) and frozenset(("coping", "overwhelmed")) in related


def test_mapping_records_and_an_unchanged_theory_graph(buyin, buyin_graph):
    theory, vocabulary = load_mapped_theory(ROOT / "theory")
    assert vocabulary is not None and vocabulary.id == "realist-core"
    maps = mapping_records(theory)
    assert len(maps) == 32  # 31 concepts, one of them mapped to two terms
    assert {r.props["theory"] for r in maps} == {"buy-in"}
    assert ("exact", ("Term", "feeling-less-alone")) in {(r.props["match"], r.end) for r in maps
                                                         if r.start == ("Concept", "feel-less-alone")}
    assert all(set(r.props) <= REL_PROPS for r in maps)
    # the theory's own graph holds no mapping: MAPS_TO only joins it to a vocabulary
    assert dump_graph(build_graph(theory)) == dump_graph(buyin_graph)
    assert not {r.type for r in records(theory)[1]} & {"MAPS_TO", "BROADER", "RELATED"}


def test_shared_graph_of_the_examples():
    buyin, vocabulary = load_mapped_theory(ROOT / "theory")
    second, _ = load_mapped_theory(SECOND)
    G = build_shared_graph([buyin, second], vocabulary)
    per_scope = Counter(key[0] for key in G.nodes)
    assert per_scope == {"buy-in": 142, "deprescribing-review": len(records(second)[0]),
                         "realist-core": 29}
    maps = [(u, v, d) for u, v, d in G.edges(data=True) if d["type"] == "MAPS_TO"]
    assert len(maps) == len(mapping_records(buyin)) + len(mapping_records(second)) == 32 + 14
    shared = {v for u, v, d in maps if u[0] == "buy-in"} & {v for u, v, d in maps
                                                            if u[0] == "deprescribing-review"}
    assert ("realist-core", "Term", "reassured-support-remains") in shared
    assert G.nodes["buy-in", "Concept", "feel-less-alone"]["label"] == "Feel less alone"
    with pytest.raises(ValueError, match="distinct ids"):
        build_shared_graph([buyin, buyin], vocabulary)


def test_load_plan_writes_the_match_type_and_keeps_the_hash_on_the_vocabulary_node():
    theory, _ = load_mapped_theory(ROOT / "theory")
    nodes, rels = records(theory)
    p = plan(nodes, rels + mapping_records(theory), [], [], {"content_hash": "h"})
    rows = p.create_rels["Concept", "MAPS_TO", "Term"]
    assert len(rows) == 32 and {"exact", "close", "broader", "related"} <= {r["match"] for r in rows}
    assert all(r["match"] is None for key, rs in p.create_rels.items() if key[1] != "MAPS_TO"
               for r in rs)
    vnodes, vrels = vocabulary_records(load_vocabulary(VOCABULARY))
    vp = plan(vnodes, vrels, [], [], {"content_hash": "h"})
    assert vp.create_nodes["Vocabulary"][0]["props"]["content_hash"] == "h"
    assert all("content_hash" not in r["props"] for r in vp.create_nodes["Term"])
