"""Mermaid draws what ptgraph writes: the pull-request comment's figure, exports, hostile labels.

Mermaid runs in headless Chromium (Debian's, driven by Playwright as in the rest of this
tier), from the ``mermaid`` packages of ``tests/browser/mermaid/package.json``: the last
release of version 10 and of version 11, since GitHub's renderer follows upstream with a
lag. ``make test`` installs them (``npm ci``); without them the tests are skipped, and
with ``CI=true`` a skip fails the run. Each test parses the text (``mermaid.parse``),
draws it (``mermaid.render``) and reads every label back from the drawing; the pictures
go to ``test-artifacts/mermaid/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ptgraph.check import load_theory
from ptgraph.diff import diff_theories
from ptgraph.diff_report import format_markdown
from ptgraph.mermaid import Arrow, Node, View, flowchart, theory_view
from ptgraph.rules.undrawable_text import LINE_BREAK
from support.hostile import DRAWABLE
from support.refinements import refine_ap5_merge_ap2

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = Path(__file__).resolve().parent / "mermaid" / "node_modules"
ARTIFACTS = ROOT / "test-artifacts" / "mermaid"
VERSIONS = ("mermaid10", "mermaid11")
#: Text Markdown, KaTeX, Font Awesome or Mermaid itself would read as syntax in a label.
SYNTAX = [
    "**bold** _it_ ~~struck~~ ~one~ `code`", "# heading", "> quote", "1. list", "2) list",
    "- item", "+ item", "* item", "---", "===", "[link](https://example.org)", "![img](x.png)",
    "www.example.org and someone@example.org", "https://example.org/a_b?c=d#e",
    "$$x^2$$ and $y$", "fa:fa-car icon", "<b>bold</b> <br> <script>x</script>",
    "&#35; #35; #quot; #lt;", "style c1 fill:#f00;", "classDef x fill:#f00;",
    "A-->B", "c1 --> c2", "%%{init: {}}%%", "x:::cls", "end", "subgraph", "\\*not\\*",
]
# Read a label as drawn: its text, each <br> a line break (textContent alone drops them).
READ_LABELS = r"""async (text) => {
    try { await mermaid.parse(text); } catch (e) { return {error: String(e && e.message || e)}; }
    const {svg} = await mermaid.render('figure', text);
    const out = document.getElementById('out');
    out.innerHTML = svg;
    const read = (el) => {
        const copy = el.cloneNode(true);
        copy.querySelectorAll('br').forEach(b => b.replaceWith('\n'));
        return copy.textContent;
    };
    return {
        nodes: [...out.querySelectorAll('g.node')].map(g => read(g.querySelector('.nodeLabel'))),
        edges: [...out.querySelectorAll('g.edgeLabel')].map(read),
        paths: out.querySelectorAll('.edgePaths path, path.flowchart-link').length,
        text: out.textContent,
    };
}"""


def mermaid_js(version: str) -> Path:
    path = PACKAGES / version / "dist" / "mermaid.min.js"
    if not path.is_file():
        pytest.skip(f"{version} is not installed: make mermaid-deps "
                    "(npm ci --prefix tests/browser/mermaid)")
    return path


@pytest.fixture(params=VERSIONS)
def draw(request, chromium):
    """``draw(text, picture=None)``: the labels Mermaid drew, or ``{"error": ...}``."""
    version = request.param
    script = mermaid_js(version)
    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    page.set_content("<!doctype html><html><body><div id='out'></div></body></html>")
    page.add_script_tag(path=str(script))
    page.evaluate("mermaid.initialize({startOnLoad: false})")  # GitHub's defaults: strict

    def run(text: str, picture: str | None = None) -> dict:
        result = page.evaluate(READ_LABELS, text)
        if picture and "error" not in result:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.locator("#out svg").screenshot(path=str(ARTIFACTS / f"{picture}-{version}.png"))
        return result

    run.version = version
    yield run
    page.close()


def as_drawn(text: str) -> str:
    """How a label reads back from the drawing: line breaks as ``\\n``, and the spaces HTML
    would fold or trim (runs, a line's ends) as the no-break spaces ptgraph writes there."""
    lines = []
    for line in LINE_BREAK.split(text):
        line = re.sub(r"(?<= ) ", "\u00a0", line)
        lines.append(re.sub(r"^ | $", "\u00a0", line))
    return "\n".join(lines)


def drawn_ok(result: dict) -> None:
    assert "error" not in result, result.get("error")
    assert "Syntax error" not in result["text"] and "Unsupported markdown" not in result["text"]


def test_the_pull_request_comment_of_a_real_refinement(draw, buyin, theory_copy):
    refine_ap5_merge_ap2(theory_copy)
    d = diff_theories(buyin, load_theory(theory_copy), old_label="main:theory", new_label="theory")
    block = re.search(r"^```mermaid\n(.*?)^```$", format_markdown(d), re.S | re.M).group(1)
    result = draw(block, "diff-ap5-ap2")
    drawn_ok(result)
    view = d.view
    assert result["nodes"] == [as_drawn(n.label) + (f"\n({', '.join(n.roles)})" if len(n.roles) > 1 else "")
                               for n in view.nodes]
    assert [e for e in result["edges"] if e] == [", ".join(a.cmocs) for a in view.arrows]
    assert result["paths"] >= len(view.arrows)


def test_the_snapshot_comment_draws(draw):
    markdown = (ROOT / "tests" / "snapshots" / "diff-buyin.md").read_text(encoding="utf-8")
    block = re.search(r"^```mermaid\n(.*?)^```$", markdown, re.S | re.M).group(1)
    result = draw(block, "diff-buyin")
    drawn_ok(result)
    assert "Capacity to act" in result["nodes"]
    assert "+RD2" in result["edges"] and "~RD2" in result["edges"]


@pytest.mark.parametrize("where", ["theory", "examples/deprescribing-review"])
def test_whole_theories_draw(draw, where):
    view = theory_view(load_theory(ROOT / where))
    result = draw(flowchart(view), f"export-{Path(where).name}")
    drawn_ok(result)
    assert len(result["nodes"]) == len(view.nodes)
    assert sorted(result["nodes"]) == sorted(
        as_drawn(n.label) + (f"\n({', '.join(n.roles)})" if len(n.roles) > 1 else "") for n in view.nodes)


def test_hostile_labels_are_drawn_as_written(draw):
    texts = DRAWABLE + SYNTAX
    view = View([Node(f"n{i}", t, ("context", "mechanism", "outcome")[i % 3:i % 3 + 1])
                 for i, t in enumerate(texts)],
                [Arrow("n0", "n1", (texts[5], texts[7])), Arrow("n1", "n2", (SYNTAX[0],))])
    result = draw(flowchart(view, "TB"), "hostile")
    drawn_ok(result)
    wrong = [(t, got) for t, got in zip(texts, result["nodes"]) if as_drawn(t) != got]
    assert wrong == []
    assert len(result["nodes"]) == len(texts)
    edges = [e for e in result["edges"] if e]
    assert edges == [as_drawn(f"{texts[5]}, {texts[7]}"), as_drawn(SYNTAX[0])]
