"""``ptgraph render --diff``: figures with what changed marked, checked as DOT golden files.

The golden files in ``tests/golden/diff/`` are the DOT of a view drawn for a
fixture pair of ``tests/fixtures/diff/``. After a deliberate change to the
figures, rewrite them with ``PTGRAPH_UPDATE_GOLDEN=1 pytest tests/test_render_diff.py``
and review the difference (``dot -Tsvg`` draws a file).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ptgraph.check import load_theory
from ptgraph.errors import UsageError
from ptgraph.render_diff import MARKS, STAND_IN, diff_figure, diff_views, union_theory

HERE = Path(__file__).resolve().parent
CASES = HERE / "fixtures" / "diff"
GOLDEN = HERE / "golden" / "diff"
UPDATE = os.environ.get("PTGRAPH_UPDATE_GOLDEN") == "1"

GOLDENS = [
    ("cmocs", "overview"), ("cmocs", "cmoc:X2"), ("cmocs", "area:anchor"),
    ("concept-merge", "overview"), ("pathways", "pathways"), ("pathways", "pathway:b"),
]


def pair(name: str):
    return load_theory(CASES / name / "old"), load_theory(CASES / name / "new")


def draw(name: str, view: str) -> str:
    old, new = pair(name)
    return diff_figure(old, new, view, old_label="main:theory", new_label="theory").source


def edge(source: str, tail: str, head: str) -> str:
    """The attribute list of the edge ``tail -> head`` (ids unquoted)."""
    q = lambda s: s if re.fullmatch(r"[A-Za-z0-9_.]+", s) else f'"{s}"'  # noqa: E731
    found = [line for line in source.splitlines() if line.strip().startswith(f"{q(tail)} -> {q(head)} [")]
    assert len(found) == 1, (tail, head, found)
    return found[0]


def node(source: str, name: str) -> str:
    q = name if re.fullmatch(r"[A-Za-z0-9_.]+", name) else f'"{name}"'
    found = [line for line in source.splitlines() if line.strip().startswith(f"{q} [")]
    assert len(found) == 1, (name, found)
    return found[0]


@pytest.mark.parametrize("name, view", GOLDENS)
def test_golden_dot(name, view):
    source = draw(name, view)
    path = GOLDEN / f"{name}-{view.replace(':', '-')}.dot"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    assert source == path.read_text(encoding="utf-8")


def test_overview_marks_added_removed_and_changed_arrows_and_concepts():
    source = draw("cmocs", "overview")
    added, removed, changed = (MARKS[k][0] for k in ("added", "removed", "changed"))
    # X5 is new; X3 is gone; X2 no longer draws trusted -> less-alone; X1 changed
    assert f'xlabel=<+X5> color="{added}"' in edge(source, "c_gp-referral", "c_less-stressed")
    assert f'xlabel=<−X3> color="{removed}"' in edge(source, "c_low-mood", "c_less-alone")
    assert 'style="dotted"' in edge(source, "c_trusted", "c_less-alone")
    assert f'xlabel=<~X1> color="{changed}"' in edge(source, "c_gp-referral", "c_credible")
    # X4 did not change: its arrow is greyed, its label unmarked
    assert "xlabel=<X4>" in edge(source, "c_take-up", "c_credible")
    assert f'color="{changed}"' in node(source, "c_less-alone")  # mechanism -> outcome
    assert STAND_IN not in source
    # counts in the heading and boxes are of the new theory, not of the union
    assert "Programme theory: 4 CMOCs in 2 areas" in source
    assert "Anchor point (1 CMOC)" in source
    assert "Changes</B> main:theory → theory: 1 CMOC added, 1 CMOC removed" in source
    assert "cluster_diff_key" in source


def test_card_of_a_cmoc_whose_concepts_changed():
    source = draw("cmocs", "cmoc:X2")
    added, removed = MARKS["added"][0], MARKS["removed"][0]
    assert f'color="{removed}"' in node(source, "m_less-alone")
    assert f'color="{added}"' in node(source, "m_credible")
    assert f'color="{added}"' in node(source, "o_take-up")
    assert 'style="dotted"' in edge(source, "c_trusted", "m_less-alone")


def test_area_footer_marks_cmocs():
    source = draw("cmocs", "area:anchor")
    assert "<B>−X3</B>" in source and "<B>+X5</B>" in source


def test_pathway_steps_added_and_removed():
    source = draw("pathways", "pathways")
    assert f'color="{MARKS["added"][0]}"' in node(source, "p_b_03")  # options, a new step of b
    assert f'color="{MARKS["removed"][0]}"' in node(source, "p_c_00")  # pathway c is gone


def test_union_holds_both_sides_and_stand_ins_for_lost_links():
    old, new = pair("cmocs")
    u = union_theory(old, new)
    assert {"X1", "X2", "X3", "X4", "X5"} <= set(u.cmocs)
    stand_ins = sorted(m for m in u.cmocs if STAND_IN in m)
    assert [(u.cmocs[m].context, u.cmocs[m].mechanism, u.cmocs[m].outcome) for m in stand_ins] == [
        ((), ("less-alone",), ("less-stressed",)), (("trusted",), ("less-alone",), ())]


def test_default_views_are_what_changed():
    assert diff_views(*pair("cmocs")) == ["overview", "area:enrol", "area:anchor", "cmoc:X1",
                                          "cmoc:X2", "cmoc:X5", "cmoc:X3"]
    assert diff_views(*pair("reorganised")) == ["overview"]


def test_views_a_diff_cannot_draw():
    old, new = pair("queries")
    with pytest.raises(UsageError, match="ptgraph diff"):
        diff_figure(old, new, "chains")


@pytest.mark.dot
@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz dot")
@pytest.mark.parametrize("name, view", GOLDENS)
def test_graphviz_accepts_the_marked_dot(name, view):
    done = subprocess.run(["dot", "-Tsvg"], input=draw(name, view).encode(), capture_output=True)
    assert done.returncode == 0 and not done.stderr, done.stderr


def test_cli_render_diff_writes_marked_dot(ptgraph, tmp_path):
    out = tmp_path / "figures"
    run = ptgraph("render", CASES / "cmocs" / "new", "--diff", CASES / "cmocs" / "old",
                  "--format", "dot", "-o", out)
    assert run.code == 0, run
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{v.replace(':', '-')}-diff.dot" for v in diff_views(*pair("cmocs")))
    assert "cluster_diff_key" in (out / "overview-diff.dot").read_text()
    run = ptgraph("render", CASES / "cmocs" / "new", "--diff", CASES / "cmocs" / "old",
                  "--view", "cmoc:X2", "--format", "dot", "-o", out / "one")
    assert run.code == 0 and [p.name for p in (out / "one").iterdir()] == ["cmoc-X2-diff.dot"]


def test_cli_render_diff_bad_input(ptgraph, tmp_path):
    new = CASES / "cmocs" / "new"
    run = ptgraph("render", new, "--diff", CASES / "broken" / "new", "--format", "dot", "-o", tmp_path)
    assert run.code == 2 and "old side" in run.err and "E201" in run.err
    run = ptgraph("render", new, "--diff", CASES / "cmocs" / "old", "--view", "chains",
                  "--format", "dot", "-o", tmp_path)
    assert run.code == 2 and "ptgraph diff" in run.err
    assert list(tmp_path.iterdir()) == []
