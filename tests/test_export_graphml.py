"""``ptgraph export graphml``: the graph model as GraphML, read back with networkx's reader.

Every test compares what networkx's reader gives back with :func:`ptgraph.graph.dump_graph`
of the theory, the graph both query engines use: every node, label, role, relationship and
property, lists and types included.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest

from ptgraph.chars import xml_forbidden
from ptgraph.check import load_theory
from ptgraph.exporters.graphml import dump_graphml, export_graphml, read_graphml
from ptgraph.graph import ROLE_LABELS, build_graph, dump_graph
from support.hostile import DRAWABLE, UNDRAWABLE, write_theory

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "deprescribing-review"


@pytest.mark.parametrize("where", ["theory", "examples/deprescribing-review"])
def test_round_trip_keeps_every_node_edge_role_and_property(where):
    theory = load_theory(ROOT / where)
    expected = dump_graph(build_graph(theory))
    got = dump_graphml(export_graphml(theory))
    assert got["nodes"] == expected["nodes"]
    assert got["relationships"] == expected["relationships"]


def test_the_example_keeps_resource_intervention_and_actor_roles():
    theory = load_theory(EXAMPLE)
    nodes, rels = read_graphml(export_graphml(theory))
    roles = {role for n in nodes for role in n.labels[1:]}
    assert roles == set(ROLE_LABELS.values())  # all six, from the file alone
    types = {r.type for r in rels}
    assert {"HAS_RESOURCE", "HAS_INTERVENTION", "HAS_ACTOR", "TRIGGERS", "PRODUCES"} <= types
    # SD1's resource triggers its reasoning, as the model says
    sd1 = {(r.start[1], r.end[1]) for r in rels if r.type == "TRIGGERS" and r.props.get("cmoc") == "SD1"}
    cmoc = theory.cmocs["SD1"]
    assert sd1 == {(a, b) for _, a, _, b in cmoc.causal_edges()} - {(m, o) for m in cmoc.mechanism for o in cmoc.outcome}


def test_what_gephi_and_yed_read(buyin):
    """networkx's reader alone (no ptgraph decoding): what another program sees."""
    G = nx.read_graphml(_file(export_graphml(buyin)), force_multigraph=True)
    assert G.is_directed()
    node = G.nodes["Concept:feel-less-alone"]
    assert node["label"] == buyin.concepts["feel-less-alone"].label  # Gephi's node label
    assert node["kind"] == "Concept"
    assert json.loads(node["roles"]) == sorted(ROLE_LABELS[r] for r in buyin.roles()["feel-less-alone"])
    assert G.nodes["CMOC:EN4"]["label"] == "EN4" and G.nodes["CMOC:EN4"]["kind"] == "CMOC"
    assert G.nodes["Theory:buy-in"]["label"] == buyin.title
    assert all(isinstance(d.get("label"), str) and d.get("kind") for _, d in G.nodes(data=True))
    # typed attributes: numbers stay numbers, so Gephi can size and filter by them
    assert G.nodes["Site:site-1"]["months_in_role"] == 24
    assert json.loads(G.nodes["Concept:" + _tagged(buyin)]["tags"]) == list(buyin.concepts[_tagged(buyin)].tags)
    edges = list(G.edges(data=True))
    assert len(edges) == build_graph(buyin).number_of_edges()
    assert all(d["label"] == d["type"] for _, _, d in edges)
    trig = [d for u, v, d in edges if d["type"] == "TRIGGERS" and d["cmoc"] == "EN4"]
    assert trig and all(isinstance(d.get("cmoc"), str) for d in trig)
    assert {d["order"] for _, _, d in edges if d["type"] == "STEP"} >= {0, 1}


def _file(data: bytes) -> Path:
    import tempfile

    path = Path(tempfile.mkdtemp()) / "t.graphml"
    path.write_bytes(data)
    return path


def _tagged(theory) -> str:
    return next(c.id for c in theory.concepts.values() if c.tags)


def test_lists_and_types_of_site_attributes_round_trip(theory_copy):
    sites = theory_copy / "sites.yaml"
    sites.write_text(sites.read_text().replace(
        "    practices_served: 2\n",
        "    practices_served: 2\n    waves: [1, 2, 3]\n    weights: [0.25, 1.5e+3]\n"
        "    flags: [true, false]\n    names: ['[\"x\"]', '0123', 'NO']\n    json_text: '[1, 2]'\n"
        "    big: 9223372036854775807\n    ratio: -0.5\n    open: false\n", 1))
    theory = load_theory(theory_copy)
    props = next(n for n in read_graphml(export_graphml(theory))[0] if n.key == ("Site", "site-1")).props
    assert props["waves"] == [1, 2, 3] and props["weights"] == [0.25, 1500.0]
    assert props["flags"] == [True, False] and props["names"] == ['["x"]', "0123", "NO"]
    assert props["json_text"] == "[1, 2]"  # text that looks like a list stays text
    assert props["big"] == 9223372036854775807 and props["ratio"] == -0.5 and props["open"] is False
    assert dump_graphml(export_graphml(theory)) == dump_graph(build_graph(theory))


def test_hostile_text_round_trips(tmp_path):
    held = [s for s in DRAWABLE if xml_forbidden(s) is None]
    assert len(held) >= len(DRAWABLE) - 1  # only the form feed / vertical tab line is out
    write_theory(tmp_path / "t", "hostile", held, attributes={"a \"quoted\" <name>": "x & y"})
    theory = load_theory(tmp_path / "t")
    data = export_graphml(theory)
    assert dump_graphml(data) == dump_graph(build_graph(theory))
    G = nx.read_graphml(_file(data), force_multigraph=True)
    labels = {d["label"] for _, d in G.nodes(data=True)}
    assert set(held) <= labels  # what Gephi shows is the text as written


@pytest.mark.parametrize("text", [s for s in DRAWABLE + list(UNDRAWABLE) if xml_forbidden(s)])
def test_text_xml_cannot_hold_is_refused_where_it_is(tmp_path, ptgraph, text):
    write_theory(tmp_path / "t", "hostile", ["fine"], [text])  # in fields nothing draws
    run = ptgraph("export", "graphml", tmp_path / "t")
    assert run.code == 2 and run.out == ""
    assert f"{tmp_path / 't'}" in run.err and "GraphML (XML) cannot hold" in run.err
    assert f"U+{ord(xml_forbidden(text)):04X}" in run.err
    assert "Traceback" not in run.err


def test_a_site_attribute_named_as_bookkeeping_is_refused(tmp_path, ptgraph):
    write_theory(tmp_path / "t", "t", ["fine"], attributes={"roles": "x"})
    run = ptgraph("export", "graphml", tmp_path / "t")
    assert run.code == 2
    assert "sites.yaml:" in run.err and "attribute 'roles'" in run.err


def test_cli_writes_the_same_bytes_to_stdout_and_to_a_file(ptgraph, tmp_path, buyin):
    out = ptgraph("export", "graphml", ROOT / "theory")
    assert out.code == 0 and out.out.startswith("<?xml")
    run = ptgraph("export", "graphml", ROOT / "theory", "-o", tmp_path / "buyin.graphml")
    assert run.code == 0 and f"wrote {tmp_path / 'buyin.graphml'}" in run.err
    data = (tmp_path / "buyin.graphml").read_bytes()
    assert data == out.out.encode("utf-8") == export_graphml(buyin)


def test_a_theory_that_fails_check_is_not_exported(ptgraph, tmp_path):
    shutil.copytree(ROOT / "tests" / "fixtures" / "diff" / "broken" / "new", tmp_path / "t")
    run = ptgraph("export", "graphml", tmp_path / "t")
    assert run.code == 2 and "E201" in run.err and run.out == ""


def test_a_file_not_of_ptgraph_is_a_clear_error():
    from ptgraph.errors import UsageError

    G = nx.MultiDiGraph()
    G.add_edge("a", "b")
    path = _file(b"")
    nx.write_graphml(G, path)
    with pytest.raises(UsageError, match="not a GraphML file of ptgraph's"):
        read_graphml(str(path))
