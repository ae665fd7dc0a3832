"""`ptgraph render`: DOT of each view (golden files), the figures Graphviz draws from
it, the committed diagrams/, and the command line.

Refresh the golden files after a deliberate change with
``PTGRAPH_UPDATE_GOLDEN=1 pytest tests/test_render.py`` and review the diff.
"""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ptgraph import render
from ptgraph.check import load_theory
from ptgraph.errors import GraphvizError, PtgraphError, UsageError
from ptgraph.model import CMOC, ROLES, Area, Concept, Theory

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "render"
GOLDEN = HERE / "golden" / "render"
UPDATE = os.environ.get("PTGRAPH_UPDATE_GOLDEN") == "1"
HAS_DOT = shutil.which("dot") is not None
SVG = "{http://www.w3.org/2000/svg}"


def fixture_views(theory: Theory) -> list[str]:
    return render.standard_views(theory) + ["chains", "conflicts", "contrasts"]


def golden_cases() -> list[tuple[str, str]]:
    cases = []
    for name in ("small", "conflicts"):
        theory = load_theory(FIXTURES / name)
        cases += [(name, view) for view in fixture_views(theory)]
    return cases


@pytest.fixture(scope="module")
def fixtures() -> dict[str, Theory]:
    return {name: load_theory(FIXTURES / name) for name in ("small", "conflicts")}


# --- DOT: golden files, determinism, escaping ------------------------------------------

@pytest.mark.parametrize("fixture,view", golden_cases())
def test_dot_matches_golden_file(fixtures, fixture, view):
    fig = render.figure(fixtures[fixture], view)
    golden = GOLDEN / fixture / f"{fig.name}.dot"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(fig.source, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run with PTGRAPH_UPDATE_GOLDEN=1"
    assert fig.source == golden.read_text(encoding="utf-8"), (
        f"DOT of {view} differs from {golden.relative_to(HERE.parent)}; if the change is "
        "intended, refresh with PTGRAPH_UPDATE_GOLDEN=1 and review the diff")


def test_no_stray_golden_files(fixtures):
    for name, theory in fixtures.items():
        expected = {render.figure(theory, v).name + ".dot" for v in fixture_views(theory)}
        assert {p.name for p in (GOLDEN / name).glob("*.dot")} == expected


def test_same_theory_same_dot_wherever_it_lives(tmp_path, fixtures):
    copy = tmp_path / "elsewhere" / "theory"
    shutil.copytree(FIXTURES / "small", copy)
    again = load_theory(copy)
    for view in fixture_views(again):
        first = render.figure(fixtures["small"], view).source
        assert render.figure(again, view).source == first
        assert render.figure(fixtures["small"], view).source == first


def test_dot_has_no_paths_or_times(fixtures):
    for view in fixture_views(fixtures["small"]):
        source = render.figure(fixtures["small"], view).source
        assert "fixtures" not in source and str(HERE) not in source
        assert not re.search(r"\b20\d\d-\d\d-\d\d", source)


def test_labels_are_escaped(fixtures):
    source = render.overview_dot(fixtures["small"])
    assert "Small &quot;render&quot; theory &lt;test&gt; &amp; co" in source
    # Graphviz reads \\ in a label as one backslash (and \N as the node's name): doubled
    assert "Trust &quot;in&quot; the" in source and "worker \\\\ back" in source
    assert "First &amp; foremost" in source
    assert "café" in source and "支援" in source  # non-Latin text kept as UTF-8
    assert '"render"' not in source.replace('label=<', '')  # no raw quote inside a label


def test_node_ids_come_from_theory_ids(fixtures):
    source = render.overview_dot(fixtures["small"])
    for cid in ("referral", "trust", "take-up", "hope", "engaged", "calm"):
        assert re.search(rf'^\s*"?c_{re.escape(cid)}"? \[', source, re.M), cid


def concept_edges(source: str) -> dict[tuple[str, str], dict[str, str]]:
    """Concept -> concept edges of a DOT source, in order, with their attributes."""
    edges = {}
    for a, b, attrs in re.findall(r'^\s*"?(c_[\w.-]+)"? -> "?(c_[\w.-]+)"? \[(.*)\]$', source, re.M):
        edges[a, b] = dict(re.findall(r'(\w+)=("[^"]*"|<[^>]*>|[^ ]+)', attrs))
    return edges


def test_edges_are_sorted_and_labelled_by_cmoc(fixtures):
    edges = concept_edges(render.overview_dot(fixtures["small"]))
    assert list(edges) == sorted(edges)
    assert edges["c_take-up", "c_trust"]["xlabel"] == "<B1>"
    assert edges["c_trust", "c_take-up"]["xlabel"] == "<A1>"
    assert edges["c_trust", "c_engaged"]["xlabel"] == "<B1>"


def test_a_context_of_alternatives_is_marked_in_words():
    t = load_theory(Path(__file__).resolve().parent / "fixtures" / "queries" / "any-context")
    source = render.area_dot(t, "chain")
    edges = concept_edges(source)
    # B: x or y; K: x alone, its arrow plain
    assert edges["c_x", "c_mb"]["xlabel"] == "<B (any), K>"
    assert edges["c_y", "c_mb"]["xlabel"] == "<B (any)>"
    assert edges["c_mb", "c_z"]["xlabel"] == "<B>"
    key = render.label_text(render.ALTERNATIVES_KEY)
    assert key in source and "X1 (any)" in source
    assert "Context (any one of)" not in render.cmoc_dot(t, "D")
    assert re.search(r"Context \(any<BR", render.cmoc_dot(t, "B"))


def test_no_key_line_for_alternatives_without_them(fixtures):
    assert render.label_text(render.ALTERNATIVES_KEY) not in render.overview_dot(fixtures["small"])


def test_edge_width_follows_evidence(fixtures):
    edges = concept_edges(render.overview_dot(fixtures["small"]))
    # A1 has two supporting quotes; A2 and B1 one each (B1 also one refuting).
    assert edges["c_referral", "c_trust"]["penwidth"] == "1.75"
    assert edges["c_take-up", "c_hope"]["penwidth"] == "1.00"
    assert "style" not in edges["c_take-up", "c_hope"]


def test_arrows_between_areas_stand_out(fixtures):
    edges = concept_edges(render.overview_dot(fixtures["small"]))
    assert edges["c_trust", "c_calm"]["color"] == f'"{render.BETWEEN}"'
    assert "color" not in edges["c_trust", "c_engaged"]


def test_concept_with_several_roles_is_striped(fixtures):
    source = render.overview_dot(fixtures["small"])
    line = next(l for l in source.splitlines() if l.lstrip().startswith('"c_take-up" ['))
    assert "style=striped" in line and "context + outcome" in line
    hope = next(l for l in source.splitlines() if l.lstrip().startswith("c_hope ["))
    assert "shape=ellipse" in hope and render.ROLE_FILL["mechanism"] in hope


def test_long_labels_are_wrapped():
    t = Theory("t", "T", areas={"a": Area("a", "A")},
               concepts={"c": Concept("c", "a very long concept label " * 4), "m": Concept("m", "M"),
                         "o": Concept("o", "O")},
               cmocs={"X": CMOC("X", "a", "s", ("c",), ("m",), ("o",))})
    label = re.search(r'c_c \[label=<(.*?)> ', render.overview_dot(t)).group(1)
    lines = label.split("<BR/>")
    assert len(lines) > 3 and all(len(line) <= render.WRAP for line in lines)


def test_a_cmoc_step_is_drawn_with_its_statement(fixtures):
    source = render.pathways_dot(fixtures["small"])
    assert re.search(r'"p_long-route_00" \[label=<<B>A1</B><BR/>A GP referral', source)


def test_conflicts_view_highlights_and_explains(fixtures):
    source = render.figure(fixtures["conflicts"], "conflicts").source
    assert "O1, O2 [1]" in source and "M1 [2]" in source
    assert "opposing outcomes" in source and "points both ways" in source
    edges = concept_edges(source)
    assert edges["c_advice", "c_informed"]["color"] == f'"{render.MUTED}"'
    assert edges["c_support", "c_hope"]["color"] == f'"{render.HIGHLIGHT}"'
    assert edges["c_hope", "c_withdraw"]["style"] == "dashed"  # O2 has no supporting quote


def test_conflicts_view_with_none(buyin):
    source = render.figure(buyin, "conflicts").source
    assert "No conflicts found." in source and render.HIGHLIGHT not in source.split("cluster_legend")[0]


QUERY_FIXTURES = HERE / "fixtures" / "queries"


@pytest.mark.parametrize("params, golden", [({}, "contrasts.dot"),
                                            ({"by": "context"}, "contrasts-by-context.dot")])
def test_contrasts_view_matches_golden_file(params, golden):
    # The planted contrasts of tests/fixtures/queries/contrasts: every pattern, by
    # mechanism and by context, opposing outcomes among them.
    fig = render.figure(load_theory(QUERY_FIXTURES / "contrasts"), "contrasts", params)
    path = GOLDEN / "contrasts" / golden
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fig.source, encoding="utf-8")
    assert fig.name == "contrasts" and fig.source == path.read_text(encoding="utf-8"), (
        f"DOT of contrasts {params} differs from {path.relative_to(HERE.parent)}; if the change "
        "is intended, refresh with PTGRAPH_UPDATE_GOLDEN=1 and review the diff")


def contrast_panels(source: str) -> list[str]:
    """The panels of a contrasts figure, in order, each the DOT text of its cluster."""
    return re.findall(r"subgraph cluster_contrast_\d+ \{.*?\n\t\}", source, re.S)[::-1]


def test_contrasts_view_draws_each_shared_mechanism(buyin):
    source = render.figure(buyin, "contrasts").source
    panels = contrast_panels(source)
    assert len(panels) == 3 and "1. Feel less alone" in panels[0]
    alone = panels[0]
    # contexts -> the shared mechanism -> outcomes, each arrow labelled by its CMOC
    for ctx, mid in (("trusted-link-worker", "AP1"), ("space-to-be-heard", "IS3"),
                     ("connect-to-external-support", "RD5")):
        assert f'"k1_c_{ctx}" -> "k1_m_feel-less-alone" [label=<{mid}>' in alone, ctx
    for out, mid in (("less-stressed", "AP1"), ("able-to-cope", "IS3"),
                     ("better-relationships", "RD5")):
        assert f'"k1_m_feel-less-alone" -> "k1_o_{out}" [label=<{mid}>' in alone, out
    # what a CMOC also works through is said, not drawn
    assert "IS3 also through ‘Less stressed or anxious’" in alone and "k1_m_less-stressed" not in alone
    assert "context-dependent" in alone and render.HIGHLIGHT not in source  # nothing opposes


def test_contrasts_view_marks_opposing_outcomes():
    theory = load_theory(QUERY_FIXTURES / "contrasts")
    source = render.figure(theory, "contrasts").source
    sim = contrast_panels(source)[0]
    assert "1. Simulated patient" in sim and "opposing" in sim
    assert re.search(rf'k1_o_up -> k1_o_down \[color="{render.HIGHLIGHT}" constraint=false dir=none',
                     sim)
    for out in ("up", "down"):
        node = next(line for line in sim.splitlines() if line.lstrip().startswith(f"k1_o_{out} ["))
        assert f'color="{render.HIGHLIGHT}"' in node and "penwidth=3" in node
    assert render.OPPOSING_KEY in source  # in the key only when drawn
    assert render.OPPOSING_KEY not in render.figure(theory, "contrasts", {"concept": "trust"}).source


def test_contrasts_view_with_none_says_why(buyin):
    fig = render.figure(buyin, "contrasts", {"concept": "less-stressed"})
    assert "cluster_contrast_" not in fig.source
    assert "No contrasts found: &#x27;less-stressed&#x27; is the mechanism of one CMOC (IS3);" \
        in fig.source.replace("<BR ALIGN=\"LEFT\"/>", " ") and fig.notes == ()
    assert "(concept=less-stressed)" in fig.source


def test_chains_view_passes_parameters(buyin):
    every = render.figure(buyin, "chains").source
    short = render.figure(buyin, "chains", {"from": "EN2"}).source
    assert every.count("cluster_chain_") == 6
    assert short.count("cluster_chain_") == 1 and "EN2 → AP4 → AP1" in short


# --- views by name ------------------------------------------------------------------------

def test_standard_views_cover_the_theory(buyin):
    views = render.standard_views(buyin)
    assert views[0] == "overview" and views[-1] == "pathways"
    assert len(views) == 1 + 5 + 26 + 3 + 1


@pytest.mark.parametrize("view,message", [
    ("area:nope", "no area 'nope'; the areas: enrolment, interpersonal-skills"),
    ("cmoc:EN9", "no cmoc 'EN9' (did you mean 'EN4'?); the cmocs: AP1"),
    ("pathway:z", "no pathway 'z'; the pathways: a, b, c"),
    ("overveiw", "no view 'overveiw' (did you mean 'overview'?); the views: overview, pathways"),
    ("area", "area needs an id: area:ID"),
    ("overview:x", "overview takes no id"),
])
def test_unknown_view_or_id_lists_the_valid_ones(buyin, view, message):
    with pytest.raises(UsageError, match=re.escape(message)):
        render.figure(buyin, view)


def test_params_only_for_query_views(buyin):
    with pytest.raises(UsageError, match="takes no --param"):
        render.figure(buyin, "overview", {"limit": "1"})
    with pytest.raises(UsageError, match="has no parameter 'bogus'"):
        render.figure(buyin, "chains", {"bogus": "1"})


def big_theory(n: int) -> Theory:
    """``n`` CMOCs in 10 areas over a small pool of concepts (so they share many)."""
    concepts = {f"k{i}": Concept(f"k{i}", f"Concept {i}") for i in range(60)}
    areas = {f"a{i}": Area(f"a{i}", f"Area {i}") for i in range(10)}
    cmocs = {f"X{i:04d}": CMOC(f"X{i:04d}", f"a{i % 10}", "s", (f"k{i % 20}",),
                               (f"k{20 + i % 17}",), (f"k{40 + i % 19}",)) for i in range(n)}
    return Theory("big", "Big", areas=areas, concepts=concepts, cmocs=cmocs)


def test_large_theory_overview_is_summarised_and_says_so():
    fig = render.figure(big_theory(render.LARGE_THEORY + 1), "overview")
    assert fig.notes and "drawing a summary" in fig.notes[0]
    assert "Programme theory: summary" in fig.source and "c_k0" not in fig.source
    assert "a_a0 -> " in fig.source
    small = render.figure(big_theory(render.LARGE_THEORY), "overview")
    assert not small.notes and "c_k0" in small.source


def test_large_area_is_summarised_too():
    theory = big_theory(render.LARGE_THEORY + 1)
    theory.cmocs = {k: CMOC(k, "a0", m.statement, m.context, m.mechanism, m.outcome)
                    for k, m in theory.cmocs.items()}
    fig = render.figure(theory, "area:a0")
    assert fig.notes and "summary" in fig.source


# --- files ------------------------------------------------------------------------------------

def test_render_writes_dot_without_graphviz(tmp_path, fixtures, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    done = render.render(fixtures["small"], ["overview", "cmoc:A1"], tmp_path / "out", ["dot"])
    assert [p.name for p in done.files] == ["overview.dot", "cmoc-A1.dot"]
    assert (tmp_path / "out" / "overview.dot").read_text() == render.overview_dot(fixtures["small"])
    with pytest.raises(GraphvizError, match=r"apt-get install graphviz / brew install graphviz"):
        render.render(fixtures["small"], ["overview"], tmp_path / "svg", ["svg"])
    assert not (tmp_path / "svg").exists()  # checked before anything is written


def test_bad_view_writes_nothing(tmp_path, fixtures):
    with pytest.raises(UsageError):
        render.render(fixtures["small"], ["overview", "cmoc:nope"], tmp_path / "out", ["dot"])
    assert not (tmp_path / "out").exists()


def test_write_is_atomic(tmp_path, monkeypatch):
    target = tmp_path / "overview.dot"
    target.write_text("old")

    def broken(fd):
        raise OSError("disk full")

    monkeypatch.setattr(render.os, "fsync", broken)
    with pytest.raises(PtgraphError, match=f"cannot write {re.escape(str(target))}: disk full"):
        render.write_atomic(target, b"new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["overview.dot"]  # no temporary file left
    monkeypatch.undo()
    render.write_atomic(target, b"new")
    assert target.read_text() == "new"
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~render._umask())


@pytest.mark.dot
def test_graphviz_failure_is_a_clear_error():
    with pytest.raises(GraphvizError, match="Graphviz failed"):
        render.run_graphviz("digraph { a -> }", "svg")


# --- figures drawn by Graphviz ------------------------------------------------------------------

def svg_nodes_and_text(svg: bytes) -> tuple[list[str], str]:
    root = ET.fromstring(svg)
    nodes = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("class") == "node"]
    text = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    return nodes, text


def view_cmocs(theory: Theory, view: str) -> list[str]:
    kind, _, ident = view.partition(":")
    if kind == "area":
        return [m for m, c in theory.cmocs.items() if c.area == ident]
    if kind == "cmoc":
        return [ident]
    return list(theory.cmocs) if kind == "overview" else []


@pytest.mark.dot
@pytest.mark.parametrize("view", ["overview", "area:enrolment", "area:readiness", "cmoc:RD3",
                                  "pathway:b", "pathways"])
def test_svg_has_one_node_per_concept_and_every_cmoc(buyin, view):
    fig = render.figure(buyin, view)
    nodes, text = svg_nodes_and_text(render.run_graphviz(fig.source, "svg"))
    concept_nodes = [n for n in nodes if n.startswith("c_") or re.match(r"[cmo]_|p_", n)]
    mids = view_cmocs(buyin, view)
    if view in ("overview",) or view.startswith("area:"):
        used = {c for m in mids for r in ROLES for c in buyin.cmocs[m].concepts(r)}
        assert sorted(concept_nodes) == sorted(f"c_{c}" for c in used)  # one node each, no more
    for mid in mids:
        assert re.search(rf"\b{mid}\b", text), f"{mid} not drawn in {view}"
    if view.startswith("pathway"):
        steps = [s for p in buyin.pathways.values() for s in p.steps] if view == "pathways" \
            else list(buyin.pathways["b"].steps)
        assert len(concept_nodes) == len(steps)
    if not view.startswith("cmoc:"):
        assert "Patient buy-in to social prescribing" in text


def panel_tops(svg: bytes) -> dict[str, float]:
    """Cluster name -> the y of its label (SVG y grows down the page)."""
    root = ET.fromstring(svg)
    return {g.find(f"{SVG}title").text: float(g.find(f"{SVG}text").get("y"))
            for g in root.iter(f"{SVG}g") if g.get("class") == "cluster"}


@pytest.mark.dot
def test_panels_read_top_to_bottom_in_order(buyin):
    tops = panel_tops(render.run_graphviz(render.pathways_dot(buyin), "svg"))
    assert tops["cluster_p_a"] < tops["cluster_p_b"] < tops["cluster_p_c"] < tops["cluster_legend"]
    tops = panel_tops(render.run_graphviz(render.figure(buyin, "chains").source, "svg"))
    chains = [tops[f"cluster_chain_{i}"] for i in range(1, 7)]
    assert chains == sorted(chains)


def _boxes(group: ET.Element) -> tuple[float, float, float, float]:
    """The bounding box (x0, y0, x1, y1) of a node's drawn shapes."""
    xs, ys = [], []
    for poly in group.iter(f"{SVG}polygon"):
        for point in poly.get("points").split():
            x, y = point.split(",")
            xs.append(float(x))
            ys.append(float(y))
    for e in group.iter(f"{SVG}ellipse"):
        cx, cy, rx, ry = (float(e.get(k)) for k in ("cx", "cy", "rx", "ry"))
        xs += [cx - rx, cx + rx]
        ys += [cy - ry, cy + ry]
    return min(xs), min(ys), max(xs), max(ys)


@pytest.mark.dot
@pytest.mark.parametrize("view", ["pathway:b", "pathway:c", "pathways"])
def test_pathway_arrow_labels_are_not_drawn_under_a_step(buyin, view):
    """An arrow's CMOC ids sit between the two steps, where a reader sees them: the figure
    once put "AP1" half under the node it leaves, since dot places an ``xlabel`` after
    the layout and makes no room for it."""
    root = ET.fromstring(render.run_graphviz(render.figure(buyin, view).source, "svg"))
    groups = list(root.iter(f"{SVG}g"))
    boxes = [_boxes(g) for g in groups if g.get("class") == "node"]
    labels = [(float(t.get("x")), float(t.get("y")), t.text) for g in groups
              if g.get("class") == "edge" for t in g.iter(f"{SVG}text")]
    assert any(text == "AP1" for _, _, text in labels) or view == "pathway:b"
    for x, y, text in labels:
        inside = [b for b in boxes if b[0] - 2 <= x <= b[2] + 2 and b[1] - 2 <= y <= b[3] + 2]
        assert not inside, f"{text!r} at ({x}, {y}) is drawn under a step {inside}"


@pytest.mark.dot
def test_overview_areas_read_top_to_bottom_in_order(buyin):
    tops = panel_tops(render.run_graphviz(render.overview_dot(buyin), "svg"))
    areas = [tops[f"cluster_{a}"] for a in buyin.areas]
    assert areas == sorted(areas) and tops["cluster_legend"] > areas[-1]


@pytest.mark.dot
@pytest.mark.parametrize("fixture", ["small", "conflicts"])
def test_every_fixture_view_draws(fixtures, fixture):
    theory = fixtures[fixture]
    for view in fixture_views(theory):
        nodes, text = svg_nodes_and_text(render.run_graphviz(render.figure(theory, view).source, "svg"))
        assert nodes, view
        for mid in view_cmocs(theory, view):
            assert mid in text, (view, mid)


@pytest.mark.dot
def test_png_is_print_resolution_and_bounded(buyin):
    png = render.run_graphviz(render.overview_dot(buyin), "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    limit = render.PNG_MAX_INCHES * render.PNG_DPI
    assert max(width, height) <= limit + 1 and max(width, height) > limit / 2


@pytest.mark.dot
def test_large_theory_summary_draws(tmp_path):
    done = render.render(big_theory(render.LARGE_THEORY + 1), ["overview"], tmp_path, ["svg"])
    nodes, text = svg_nodes_and_text(done.files[0].read_bytes())
    assert sorted(n for n in nodes if n.startswith("a_")) == sorted(f"a_a{i}" for i in range(10))
    assert "concepts most CMOCs use" in text


# --- the committed diagrams ------------------------------------------------------------------

def test_committed_diagrams_are_current(buyin, repo_root):
    folder = repo_root / "diagrams"
    expected = {}
    for view in render.standard_views(buyin):
        fig = render.figure(buyin, view)
        expected[fig.name] = fig.source
    committed = {p.stem for p in folder.glob("*.dot")}
    hint = "run `make demo` (or `ptgraph render`) and commit diagrams/"
    assert committed == set(expected), f"diagrams/ holds other figures than the theory's; {hint}"
    stale = [name for name, source in expected.items()
             if (folder / f"{name}.dot").read_text(encoding="utf-8") != source]
    assert not stale, f"diagrams/ is stale for {', '.join(stale)}; {hint}"
    for name in expected:
        for fmt in ("svg", "png"):
            assert (folder / f"{name}.{fmt}").exists(), f"diagrams/{name}.{fmt} missing; {hint}"


# --- the command line ---------------------------------------------------------------------------

def test_cli_renders_every_standard_view(ptgraph, tmp_path, fixtures):
    out = tmp_path / "figs"
    run = ptgraph("render", FIXTURES / "small", "-o", out, "--format", "dot")
    assert run.code == 0, run
    written = run.out.split()
    names = [render.figure(fixtures["small"], v).name for v in render.standard_views(fixtures["small"])]
    assert written == [str(out / f"{n}.dot") for n in names]
    assert all(Path(p).read_text() for p in written)


def test_cli_unknown_view_exits_2_with_the_valid_views(ptgraph, tmp_path):
    run = ptgraph("render", FIXTURES / "small", "-o", tmp_path, "--view", "cmoc:Z9")
    assert run.code == 2
    assert "no cmoc 'Z9'; the cmocs: A1, A2, B1" in run.err and "Traceback" not in run.err
    run = ptgraph("render", FIXTURES / "small", "-o", tmp_path, "--view", "nope")
    assert run.code == 2 and "the views: overview, pathways, chains, conflicts, contrasts, area:ID" \
        in run.err


def test_cli_without_graphviz(ptgraph, tmp_path):
    env = {"PATH": str(tmp_path / "no-graphviz")}
    run = ptgraph("render", FIXTURES / "small", "-o", tmp_path / "a", "--view", "overview", env=env)
    assert run.code == 2
    assert "install Graphviz (apt-get install graphviz / brew install graphviz)" in run.err
    run = ptgraph("render", FIXTURES / "small", "-o", tmp_path / "b", "--view", "overview",
                  "--format", "dot", env=env)
    assert run.code == 0 and run.out.strip() == str(tmp_path / "b" / "overview.dot")


def test_cli_params_and_notes(ptgraph, tmp_path):
    run = ptgraph("render", FIXTURES / "small", "-o", tmp_path, "--view", "chains",
                  "-p", "max_length=2", "--format", "dot")
    assert run.code == 0, run
    assert "(max_length=2)" in (tmp_path / "chains.dot").read_text()
    run = ptgraph("render", FIXTURES / "small", "-o", tmp_path, "--view", "chains", "-p", "x")
    assert run.code == 2 and "KEY=VALUE" in run.err


def test_cli_theory_with_errors_exits_2(ptgraph, tmp_path, theory_copy):
    (theory_copy / "cmocs" / "enrolment.yaml").write_text("cmocs:\n  EN1: {area: nowhere}\n")
    run = ptgraph("render", theory_copy, "-o", tmp_path / "out", "--format", "dot")
    assert run.code == 2 and "fix them first" in run.err
    assert not (tmp_path / "out").exists()


@pytest.mark.dot
def test_cli_writes_svg_and_png(ptgraph, tmp_path):
    run = ptgraph("render", FIXTURES / "small", "-o", tmp_path, "--view", "cmoc:A1")
    assert run.code == 0, run
    assert run.out.split() == [str(tmp_path / f"cmoc-A1.{f}") for f in render.DEFAULT_FORMATS]
    assert (tmp_path / "cmoc-A1.svg").read_bytes().lstrip().startswith(b"<?xml")


def test_a_pathway_step_is_made_only_by_the_cmocs_that_assert_it(tmp_path):
    """Each kind of step (concept or CMOC at either end) is labelled by the CMOCs that make it,
    and a step no CMOC makes is drawn dashed: the pathway's own claim."""
    from ptgraph.check import load_theory
    from ptgraph.render import pathway_dot, step_makers
    root = tmp_path / "t"
    root.mkdir()
    (root / "theory.yaml").write_text("""ptgraph: 1
theory: {id: steps, title: Steps}
areas: {a1: A}
concepts: {c: C, m: M, o: O, c2: C2, m2: M2, o2: O2, x: X}
cmocs:
  A: {area: a1, statement: S, context: c, mechanism: m, outcome: o}
  B: {area: a1, statement: S, context: o, mechanism: m2, outcome: o2}
  D: {area: a1, statement: S, context: c2, mechanism: m2, outcome: x}
pathways:
  p: {label: P, steps: [c, m, o, B, o2, x, D, c2]}
  q: {label: Q, steps: [A, B, D]}
""", encoding="utf-8")
    t = load_theory(root)
    made = {(a, b): step_makers(t, a, b) for p in t.pathways.values()
            for a, b in zip(p.steps, p.steps[1:])}
    assert made == {("c", "m"): ["A"], ("m", "o"): ["A"], ("o", "B"): ["B"], ("B", "o2"): ["B"],
                    ("o2", "x"): [], ("x", "D"): [], ("D", "c2"): [],
                    ("A", "B"): ["A", "B"], ("B", "D"): []}
    dot = pathway_dot(t, "p")
    assert dot.count("style=dashed") == 3  # the three unmade steps (the key draws its own sample)


def test_contrasts_and_pathway_figures_mark_alternative_contexts(tmp_path):
    """``context: {any: [...]}`` is drawn ``X1 (any)`` wherever a figure draws that context's
    arrow, with the key line, as in the overview and area figures."""
    from ptgraph.check import load_theory
    from ptgraph.queries import run_query
    from ptgraph.graph import build_graph
    from ptgraph.render import contrasts_dot, pathway_dot
    root = tmp_path / "t"
    root.mkdir()
    (root / "theory.yaml").write_text("""ptgraph: 1
theory: {id: t5, title: Alternatives}
areas: {ar: Area}
concepts: {gp: GP, self: Self, trust: Trust, engage: Engages, opp: {label: Opp, opposes: [engage]}}
cmocs:
  A1: {area: ar, statement: S1, context: {any: [gp, self]}, mechanism: trust, outcome: engage}
  A2: {area: ar, statement: S2, context: [gp, self], mechanism: trust, outcome: opp}
pathways:
  p1: {label: P, steps: [gp, trust, engage]}
""", encoding="utf-8")
    t = load_theory(root)
    contrasts = contrasts_dot(t, run_query("contrasts", build_graph(t)))
    # the two context arrows, and the key's sample; not the mechanism -> outcome arrows
    assert contrasts.count("A1 (any), A2") == 2 and contrasts.count("(any)") == 3
    assert "any one of the CMOC" in contrasts
    pathway = pathway_dot(t, "p1")
    assert "A1 (any), A2" in pathway and "any one of the CMOC" in pathway


def test_figures_go_beside_the_theory_drawn_not_into_the_working_folder(tmp_path, ptgraph,
                                                                         monkeypatch):
    """Drawing a draft from a repository's root once replaced that repository's figures."""
    shutil.copytree(FIXTURES / "small", tmp_path / "draft")
    shutil.copytree(FIXTURES / "small", tmp_path / "repo" / "theory")
    monkeypatch.chdir(tmp_path / "repo")
    run = ptgraph("render", tmp_path / "draft", "--format", "dot", "--view", "overview")
    assert run.code == 0 and run.out.split() == [str(tmp_path / "draft" / "diagrams" / "overview.dot")]
    assert not (tmp_path / "repo" / "diagrams").exists()
    run = ptgraph("render", "--format", "dot", "--view", "overview")  # theory/ -> diagrams/ beside
    assert run.code == 0 and run.out.split() == [str(Path("diagrams") / "overview.dot")]
    assert ptgraph("render", "--check", "--view", "overview").code == 0
    assert ptgraph("check", tmp_path / "draft").code == 0  # figures inside a theory's folder
