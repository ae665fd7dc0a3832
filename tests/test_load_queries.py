"""The Cypher of ``ptgraph load`` as files, and the plan it writes: no server here.

``tests/neo4j/test_load.py`` runs the load on Neo4j.
"""

from __future__ import annotations

import re

from ptgraph.graph import NODE_LABELS, REL_TYPES, NodeRecord, RelRecord
from ptgraph.load import plan
from ptgraph.store import QUERIES_DIR, cypher, dynamic_labels


def test_reading_a_theory_seeks_every_label_of_the_graph_model_once():
    text = (QUERIES_DIR / "load" / "theory_nodes.cypher").read_text(encoding="utf-8")
    matched = re.findall(r"^MATCH \(n:(\w+)\)", text, flags=re.M)
    named = re.findall(r"^RETURN '(\w+)' AS label", text, flags=re.M)
    assert matched == named == list(NODE_LABELS)


def test_both_ways_of_creating_fill_only_names_of_the_graph_model():
    assert "$(r.labels)" in cypher("load/create_nodes")
    assert "$(r.type)" in cypher("load/create_relationships", START="CMOC", END="Concept")
    fixed = cypher("load/create_relationships_by_type", START="CMOC", TYPE=REL_TYPES[0], END="Concept")
    assert f"[:{REL_TYPES[0]} " in fixed and "$(" not in fixed
    assert "$(" not in cypher("load/create_nodes_by_label", LABEL="Concept")


def test_labels_from_an_expression_from_neo4j_5_26_on():
    assert [dynamic_labels(a) for a in ("Neo4j/5.26.30", "Neo4j/2025.10.1", "Neo4j/5.13.0")] == [
        True, True, False]


def test_a_new_node_is_created_with_its_role_labels_and_a_stored_one_given_them():
    new = NodeRecord("Concept", ("Concept", "Context", "Outcome"), {"theory": "t", "id": "c1"})
    kept = NodeRecord("Concept", ("Concept", "Mechanism"), {"theory": "t", "id": "c2"})
    stored = {"label": "Concept", "labels": ["Concept", "Context"], "element_id": "4:x:2",
              "props": {"theory": "t", "id": "c2"}}
    p = plan([new, kept], [], [stored], [])
    assert p.create_nodes["Concept"] == [{"id": "c1", "labels": ["Concept", "Context", "Outcome"],
                                          "props": {"theory": "t", "id": "c1"}}]
    assert dict(p.add_roles) == {"Mechanism": ["c2"]} and dict(p.remove_roles) == {"Context": ["c2"]}


def test_new_relationships_name_their_ends_by_id_and_carry_their_type():
    rel = RelRecord("HAS_CONTEXT", ("CMOC", "m1"), ("Concept", "c1"), {"theory": "t"})
    p = plan([], [rel], [], [])
    assert dict(p.create_rels) == {("CMOC", "HAS_CONTEXT", "Concept"): [
        {"start": "m1", "end": "c1", "type": "HAS_CONTEXT", "cmoc": None, "order": None,
         "match": None}]}
