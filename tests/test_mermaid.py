"""Mermaid flowcharts: ``ptgraph export mermaid`` and the figure in ``diff --format markdown``.

The Mermaid text is pinned by golden files in ``tests/golden/mermaid/``; rewrite them with
``PTGRAPH_UPDATE_GOLDEN=1 pytest tests/test_mermaid.py`` after a deliberate change and
review the difference. That Mermaid itself draws them (versions 10 and 11), every label
as written, is tested in ``tests/browser/test_mermaid_render.py``.
"""

from __future__ import annotations

import json
import os
import re
import string
from pathlib import Path

import pytest

from ptgraph.check import load_theory
from ptgraph.diff import diff_theories
from ptgraph.diff_report import format_json, format_markdown, format_text
from ptgraph.mermaid import (DIFF_KEY, PLAIN_PUNCTUATION, SHAPES, Arrow, Node, View, diff_view,
                             flowchart, label, theory_view)
from support.hostile import DRAWABLE
from support.refinements import refine_ap5_merge_ap2

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOLDEN = HERE / "golden" / "mermaid"
UPDATE = os.environ.get("PTGRAPH_UPDATE_GOLDEN") == "1"
CASES = HERE / "fixtures" / "diff"
EXAMPLE = ROOT / "examples" / "deprescribing-review"


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def mermaid_block(markdown: str) -> str:
    """The one ```mermaid block of a markdown text, without its fences."""
    blocks = re.findall(r"^```mermaid\n(.*?)^```$", markdown, re.S | re.M)
    assert len(blocks) == 1, markdown
    return blocks[0]


@pytest.fixture
def refined(buyin, theory_copy):
    """The buy-in theory and a real refinement of it (AP5's mechanism, AP2's merged)."""
    refine_ap5_merge_ap2(theory_copy)
    return buyin, load_theory(theory_copy)


# --- labels -----------------------------------------------------------------------------------

def test_every_ascii_sign_but_the_plain_ones_is_an_entity_code():
    for char in string.punctuation:
        written = label(f"a{char}b")
        if char in PLAIN_PUNCTUATION:
            assert written == f"a{char}b"
        else:
            assert written == f"a#{ord(char)};b", char


@pytest.mark.parametrize("text", DRAWABLE)
def test_a_hostile_label_cannot_leave_its_quotes_or_start_markdown(text):
    written = label(text)
    # what is left besides entity codes (Mermaid decodes each back to one character) and
    # line breaks holds nothing Mermaid, Markdown or HTML would read as syntax
    bare = re.sub(r"#\d+;", "", written).replace("<br>", "")
    assert not re.search(r"[\"`#<>&*_~\[\]|$\\:;=!{}\n]", bare), written


def test_line_breaks_spaces_and_list_starts():
    assert label("one\r\ntwo\u2028three") == "one<br>two<br>three"
    assert label("  a  b ") == "#160;#160;a #160;b#160;"
    assert label("- item") == "#45; item" and label("12. point") == "12#46; point"
    assert label("---") == "#45;--" and label("+RD2") == "#43;RD2" and label("3)") == "3#41;"
    assert label("1.5 mg, well-known") == "1.5 mg, well-known"  # mid-line signs stay
    assert label("bell\x07") == "bell\ufffd"  # check refuses it (E109); the figures draw U+FFFD


# --- views and flowcharts ---------------------------------------------------------------------

def test_export_of_an_area_and_of_cmocs(buyin):
    golden("buyin-area-enrolment.mmd", flowchart(theory_view(buyin, area="enrolment")))
    example = load_theory(EXAMPLE)
    text = flowchart(theory_view(example, cmocs=["SD1"]))
    golden("example-cmoc-SD1.mmd", text)
    # the card's parts, each in its role's shape: a resource, an intervention, actors
    for role, cid in (("resource", "benefit-harm-explanation"), ("intervention", "structured-medication-review"),
                      ("actor", "patient")):
        opening, closing = SHAPES[role]
        assert f'{opening}"{label(example.concepts[cid].label)}"{closing}' in text


def test_every_cmoc_arrow_is_drawn_once_with_its_cmocs(buyin):
    view = theory_view(buyin)
    pairs = [(a.tail, a.head) for a in view.arrows]
    assert len(pairs) == len(set(pairs))
    ids = {n.id for n in view.nodes}
    assert all(a.tail in ids and a.head in ids for a in view.arrows)
    drawn = {(a.tail, a.head, m) for a in view.arrows for m in a.cmocs}
    expected = {(t, h, mid) for mid, m in buyin.cmocs.items() for _, t, _, h in m.causal_edges()}
    assert drawn == expected  # the buy-in theory has no interventions or actors


def test_node_ids_are_safe_whatever_the_concept_ids():
    view = View([Node("end", "End", ("context",)), Node("graph", "Graph", ("outcome",))],
                [Arrow("end", "graph", ("X1",))])
    text = flowchart(view)
    assert 'c1["End"]' in text and 'c2{{"Graph"}}' in text and "c1 -->|\"X1\"| c2" in text


def test_unknown_area_or_cmoc(ptgraph):
    run = ptgraph("export", "mermaid", ROOT / "theory", "--area", "nowhere")
    assert run.code == 2 and "no area 'nowhere'" in run.err and run.out == ""
    run = ptgraph("export", "mermaid", ROOT / "theory", "--cmoc", "XX9")
    assert run.code == 2 and "no CMOC 'XX9'" in run.err


def test_cli_export_to_stdout_and_file(ptgraph, tmp_path):
    run = ptgraph("export", "mermaid", ROOT / "theory", "--area", "enrolment")
    assert run.code == 0 and run.out == (GOLDEN / "buyin-area-enrolment.mmd").read_text(encoding="utf-8")
    run = ptgraph("export", "mermaid", EXAMPLE, "--cmoc", "SD1", "-o", tmp_path / "sd1.mmd")
    assert run.code == 0
    assert (tmp_path / "sd1.mmd").read_text(encoding="utf-8") == (GOLDEN / "example-cmoc-SD1.mmd").read_text(encoding="utf-8")


# --- the diff's figure ------------------------------------------------------------------------

def test_diff_markdown_draws_the_changed_part_of_a_real_refinement(refined):
    old, new = refined
    d = diff_theories(old, new, old_label="main:theory", new_label="theory")
    md = format_markdown(d)
    golden("diff-ap5-ap2.md", md)
    block = mermaid_block(md)
    assert md.index("```mermaid") < md.index("#### CMOCs")  # the figure first, then the tables
    assert DIFF_KEY in md
    view = d.view
    marks = {n.id: n.mark for n in view.nodes}
    assert marks["confident-without-lw"] == "added"
    assert marks["prepared-to-move-on"] == "removed" and marks["someone-cares"] == "removed"
    assert marks["feel-valued"] == "changed"  # merged into
    assert marks["tapering-off"] is None  # unchanged, for context
    arrows = {(a.tail, a.head): (a.mark, a.cmocs) for a in view.arrows}
    assert arrows["tapering-off", "confident-without-lw"] == ("added", ("+AP5",))
    assert arrows["prepared-to-move-on", "not-abandoned"] == ("removed", ("−AP5",))
    assert arrows["lw-advocacy", "feel-valued"] == ("added", ("+AP2",))
    assert arrows["space-to-be-heard", "feel-valued"] == (None, ("IS1",))  # a neighbour
    # small: only the CMOCs that changed and those around a changed concept
    drawn = {m.strip("+−~") for a in view.arrows for m in a.cmocs}
    assert drawn == {"AP2", "AP5", "IS1", "IS5"}
    assert len(re.findall(r" -\.->\|", block)) == 4 and len(re.findall(r" ==>\|", block)) == 4


def test_text_and_json_formats_do_not_change(refined):
    old, new = refined
    d = diff_theories(old, new, old_label="main:theory", new_label="theory")
    assert "mermaid" not in format_text(d) and "flowchart" not in format_text(d)
    doc = json.loads(format_json(d))
    assert "view" not in doc and "flowchart" not in format_json(d)


def test_no_figure_when_no_arrow_or_concept_changed():
    d = diff_theories(load_theory(CASES / "evidence" / "old"), load_theory(CASES / "evidence" / "new"))
    md = format_markdown(d)
    # evidence moved between CMOCs: the CMOCs changed (~), their concepts did not
    view = d.view
    assert {a.cmocs for a in view.arrows} == {("~A1",), ("~A2",)}
    assert all(n.mark is None for n in view.nodes)
    d = diff_theories(load_theory(CASES / "header" / "old"), load_theory(CASES / "header" / "new"))
    assert "```mermaid" not in format_markdown(d) and not d.view.arrows
    assert "```mermaid" in md


def test_a_large_change_is_named_not_drawn(refined, monkeypatch):
    import ptgraph.diff_report as report

    old, new = refined
    monkeypatch.setattr(report, "MAX_DIFF_ARROWS", 3)
    md = format_markdown(diff_theories(old, new))
    assert "```mermaid" not in md
    assert "has 12 arrows, too many for a figure here; `ptgraph render --diff` draws it" in md


def test_a_removed_cmoc_and_a_relabelled_concept():
    d = case_view("concepts")
    marks = {n.id: n.mark for n in d.nodes}
    assert marks.get("uncertain") == "changed"  # relabelled
    labels = {n.id: n.label for n in d.nodes}
    assert labels["uncertain"] == "Unsure how a link worker can help"  # the new label
    d = case_view("cmocs")
    assert any(a.mark == "removed" and a.cmocs == ("−X3",) for a in d.arrows)


def case_view(name: str) -> View:
    old, new = load_theory(CASES / name / "old"), load_theory(CASES / name / "new")
    return diff_view(old, new, diff_theories(old, new, with_queries=False))
