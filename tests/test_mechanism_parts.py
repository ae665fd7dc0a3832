"""Mechanism parts and ICAMO (issue 15): ``resource:``, ``intervention:`` and ``actor:``.

On the mechanism-parts query fixture (tests/fixtures/queries/mechanism-parts/) and on the
second worked example (examples/deprescribing-review/): the graph model, the join rule at
a resource, contrasts by resource and by intervention, evidence by source, the CMOC card's
causal order, the key, diff and stats. The Neo4j twins give the same rows on both
(tests/neo4j/test_twins.py); a theory without these fields is unchanged
(tests/test_before_issue_15.py).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ptgraph import render
from ptgraph.check import check_theory, load_theory
from ptgraph.graph import build_graph
from ptgraph.queries import QUERIES

ROOT = Path(__file__).resolve().parents[1]
PARTS = ROOT / "tests" / "fixtures" / "queries" / "mechanism-parts"
EXAMPLE = ROOT / "examples" / "deprescribing-review"


@pytest.fixture(scope="module")
def parts():
    theory = load_theory(PARTS)
    return theory, build_graph(theory)


@pytest.fixture(scope="module")
def example():
    theory = load_theory(EXAMPLE)
    return theory, build_graph(theory)


def run(G, name: str, **raw: str) -> list[dict]:
    query = QUERIES[name]
    return list(query.run(G, query.parse(raw)))


# --- the graph model -----------------------------------------------------------------------------

def test_each_part_has_its_role_label_and_relationship(parts):
    _, G = parts
    assert G.nodes["Concept", "r1"]["labels"] == ("Concept", "Context", "Resource")  # P6's context too
    assert G.nodes["Concept", "i1"]["labels"] == ("Concept", "Intervention")
    assert G.nodes["Concept", "a1"]["labels"] == ("Concept", "Actor")
    rels = {(d["type"], v[1]) for u, v, d in G.out_edges(("CMOC", "P1"), data=True)}
    assert {("HAS_INTERVENTION", "i1"), ("HAS_CONTEXT", "c1"), ("HAS_RESOURCE", "r1"),
            ("HAS_ACTOR", "a1"), ("HAS_MECHANISM", "m1"), ("HAS_OUTCOME", "o1")} <= rels


def test_the_causal_order_runs_context_resource_reasoning_outcome(parts):
    _, G = parts
    p1 = sorted((d["type"], u[1], v[1]) for u, v, d in G.edges(data=True) if d.get("cmoc") == "P1"
                and d["type"] in ("TRIGGERS", "PRODUCES"))
    # no context -> reasoning edge: the context triggers the resource, the resource the reasoning
    assert p1 == [("PRODUCES", "m1", "o1"), ("TRIGGERS", "c1", "r1"), ("TRIGGERS", "r1", "m1")]
    # interventions and actors are parts of the configuration, not steps of a causal path
    assert not [e for e in G.edges(("Concept", "i1")) if e]


# --- the join rule at a resource -----------------------------------------------------------------

def test_no_chain_or_path_joins_where_a_resource_is_another_cmocs_context(parts):
    _, G = parts
    # P6 takes r1, P1's resource, as its context: P1 introduces r1, it does not produce it
    assert not [r for r in run(G, "chains") if r["cmocs"][:2] == ["P1", "P6"]]
    down = {r["concept"]: r for r in run(G, "downstream", concept="c1")}
    assert down["m3"]["cmocs"] == ["P1", "P1", "P1", "P5"]  # through o1, not through r1 and P6
    assert down["m3"]["distance"] == 4
    # a path may still begin at the resource, with an edge of the CMOC that has it as context
    assert run(G, "paths", **{"from": "r1", "to": "m3"})[0]["cmocs"] == ["P6"]


def test_a_bridge_reaches_a_resource_only_from_what_a_cmoc_produces(parts):
    _, G = parts
    bridges = {(tuple(r["cmocs"]), r["concept"]) for r in run(G, "bridges")}
    assert (("P1", "P7"), "m1") in bridges  # m1, P1's reasoning, is P7's resource
    # a shared resource is no bridge: neither CMOC produces it
    assert not [b for b in bridges if b[1] in ("r1", "r2")]


# --- configurations and contrasts ----------------------------------------------------------------

def test_a_conflict_is_within_a_configuration_of_every_part(parts):
    _, G = parts
    rows = run(G, "conflicts", kind="opposing-outcomes")
    assert [r["cmocs"] for r in rows] == [["P1", "P2"]]  # P4 has another resource: no conflict
    assert "resource 'Resource 1'" in rows[0]["reason"]
    assert "intervention 'Intervention 1' and actor 'Actor 1'" in rows[0]["reason"]
    refuted = run(G, "conflicts", kind="refuted-in-pathway")
    assert refuted[0]["cmocs"] == ["P8"] and refuted[0]["concepts"] == ["c2", "o3", "r2"]


@pytest.mark.parametrize("by, concept", [("resource", "r1"), ("intervention", "i1")])
def test_contrasts_by_resource_and_by_intervention(parts, by, concept):
    _, G = parts
    (row,) = run(G, "contrasts", by=by)
    assert (row["concept"], row["pattern"], row["cmocs"]) == (concept, "opposing", ["P1", "P2", "P3"])
    assert row["reason"].endswith("in different contexts: 'O1' in 'C1' (P1) vs 'O2' in 'C2' (P3).")


def test_contrasts_by_context_tell_resources_apart(parts):
    _, G = parts
    (row,) = run(G, "contrasts", by="context")
    assert row["cmocs"] == ["P1", "P2", "P4"]  # P4 differs from P2 in its resource only
    assert "through 'Resource 2' then 'M1' (P4)" in row["reason"]


def test_contrasts_by_an_unknown_part_names_every_part(parts):
    _, G = parts
    from ptgraph.errors import UsageError
    with pytest.raises(UsageError, match="mechanism, context, resource or intervention, not 'actor'"):
        run(G, "contrasts", by="actor")


# --- the second worked example -------------------------------------------------------------------

def test_example_checks_clean_and_uses_every_new_field(example):
    theory, _ = example
    assert check_theory(EXAMPLE).problems == []
    used = {role for m in theory.cmocs.values() for role in ("resource", "intervention", "actor")
            if m.concepts(role)}
    assert used == {"resource", "intervention", "actor"}
    assert theory.sources and not theory.sites
    assert any(m.confidence for m in theory.cmocs.values())
    assert all(e.source_ref in theory.sources for e in theory.evidence.values())


def test_example_contrasts_find_the_resource_in_more_than_one_context(example):
    theory, G = example
    rows = run(G, "contrasts", by="resource")
    assert rows, "contrasts by=resource should find the resource used in several contexts"
    for row in rows:
        contexts = {theory.cmocs[m].context for m in row["cmocs"]}
        assert len(contexts) >= 2
        assert all(row["concept"] in theory.cmocs[m].resource for m in row["cmocs"])
    assert run(G, "contrasts", by="intervention")


def test_example_evidence_flags_by_source_never_by_site(example):
    theory, G = example
    rows = run(G, "evidence")
    flags = {r["cmoc"]: r["flag"] for r in rows}
    assert "single-site" not in " ".join(f or "" for f in flags.values())
    single = {m for m in theory.cmocs
              if len({e.source_ref for e in theory.evidence.values() if m in e.supports}) == 1}
    assert single and {m for m, f in flags.items() if f and "single-source" in f} == single


# --- figures -------------------------------------------------------------------------------------

def test_cmoc_card_draws_the_causal_order(example):
    theory, _ = example
    m = next(m for m in theory.cmocs.values() if m.resource and m.intervention and m.actor)
    dot = render.cmoc_dot(theory, m.id).replace('"', "")
    rows = [line.split()[0] for line in dot.splitlines() if line.strip().startswith("h_")
            and "->" not in line]
    assert rows == ["h_intervention", "h_context", "h_resource", "h_actor", "h_mechanism",
                    "h_outcome"]
    assert "Mechanism<BR/>(resource)" in dot and "Mechanism<BR/>(reasoning)" in dot
    for c in m.context:
        for r in m.resource:
            assert f"c_{c} -> r_{r}" in dot
        for x in m.mechanism:
            assert f"c_{c} -> m_{x}" not in dot  # the context reaches the reasoning through the resource
    for r in m.resource:
        for x in m.mechanism:
            assert f"r_{r} -> m_{x}" in dot


def test_the_key_shows_the_parts_a_theory_has(example, buyin):
    theory, _ = example
    with_parts = render.figure(theory, "overview").source
    for role in ("resource", "intervention", "actor"):
        assert f"key_{role}" in with_parts
        assert f"key_{role}" not in render.figure(buyin, "overview").source
    assert render.ROLE_SHAPE["resource"] == "hexagon"


def test_committed_example_diagrams_are_current(example):
    theory, _ = example
    folder = EXAMPLE / "diagrams"
    expected = {render.figure(theory, v).name: render.figure(theory, v).source
                for v in render.standard_views(theory)}
    hint = f"run `ptgraph render {EXAMPLE.relative_to(ROOT)} -o {folder.relative_to(ROOT)}`"
    assert {p.stem for p in folder.glob("*.dot")} == set(expected), hint
    stale = [n for n, source in expected.items()
             if (folder / f"{n}.dot").read_text(encoding="utf-8") != source]
    assert not stale, f"stale: {', '.join(stale)}; {hint}"
    assert all((folder / f"{n}.png").exists() for n in expected), hint


@pytest.mark.dot
def test_contrasts_figure_by_resource(example, tmp_path, ptgraph):
    run_ = ptgraph("render", EXAMPLE, "--view", "contrasts", "--param", "by=resource",
                   "-o", tmp_path, "--format", "dot")
    assert run_.code == 0, run_
    dot = next(tmp_path.glob("*.dot")).read_text(encoding="utf-8")
    assert "Contrasts: one resource across contexts" in dot


# --- diff and stats ------------------------------------------------------------------------------

def test_a_changed_resource_is_a_reviewable_change(tmp_path, ptgraph):
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(PARTS, old)
    shutil.copytree(PARTS, new)
    text = (new / "theory.yaml").read_text(encoding="utf-8")
    (new / "theory.yaml").write_text(text.replace("    resource: r1", "    resource: r2", 1),
                                     encoding="utf-8")
    out = ptgraph("diff", old, new).out
    assert "~ P1  resource: r1 -> r2" in out
    assert "| `P1` | resource | `r1` | `r2` |" in ptgraph("diff", old, new, "--format", "markdown").out
    report = json.loads(ptgraph("diff", old, new, "--format", "json").out)
    (modified,) = report["cmocs"]["modified"]
    assert modified["changes"] == [{"field": "resource", "old": ["r1"], "new": ["r2"]}]


def test_stats_count_every_part(ptgraph):
    roles = json.loads(ptgraph("stats", PARTS, "--format", "json").out)["roles"]
    assert roles == {"context": 5, "mechanism": 3, "outcome": 3, "resource": 3,
                     "intervention": 1, "actor": 1}


@pytest.mark.dot
def test_site_cmoc_page_lists_every_part_in_causal_order(example, tmp_path):
    from ptgraph.site import build_site

    theory, _ = example
    build_site(theory, tmp_path / "site")
    page = (tmp_path / "site" / "cmoc" / "SD1.html").read_text(encoding="utf-8")
    headings = ["Intervention", "Context", "Mechanism (resource)", "Actor",
                "Mechanism (reasoning)", "Outcome"]
    places = [page.index(f"<dt>{h}</dt>") for h in headings]
    assert places == sorted(places)
    assert 'href="../concept/benefit-harm-explanation.html"' in page
