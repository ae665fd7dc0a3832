"""A theory written before sources and confidence (issue 15) checks, renders, loads and
queries exactly as before: the buy-in theory's outputs against those of the code before
(tests/golden/before-issue-15/, written by its generate.py from commit 88a8d8d).

The graph (what ``ptgraph load`` writes: the Neo4j twin tests compare the stored graph with
this one) and every figure's DOT are identical; every query's rows are identical, except that
``evidence`` rows end with three new columns (``sources`` 0, ``confidence`` and ``detail``
None), which its table leaves out; ``check`` prints the same, but for the one file and the
count of mapped concepts that the shared vocabulary (issue 18) added: ``theory/mappings.yaml``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ptgraph.graph import dump_graph
from ptgraph.queries import QUERIES
from ptgraph.render import figure, standard_views

BEFORE = Path(__file__).resolve().parent / "golden" / "before-issue-15"
NEW_EVIDENCE_COLUMNS = {"sources": 0, "confidence": None, "detail": None}


def test_graph_is_the_graph_before(buyin_graph):
    before = json.loads((BEFORE / "graph.json").read_text(encoding="utf-8"))
    assert dump_graph(buyin_graph) == before


@pytest.mark.parametrize("key", sorted(json.loads((BEFORE / "queries.json").read_text("utf-8"))))
def test_query_rows_are_the_rows_before(buyin_graph, key):
    name, *pairs = key.split(" ")
    raw = dict(p.split("=", 1) for p in pairs)
    before = json.loads((BEFORE / "queries.json").read_text(encoding="utf-8"))[key]
    rows = list(QUERIES[name].run(buyin_graph, QUERIES[name].parse(raw)))
    if name == "evidence":
        assert [list(r)[:len(r) - 3] for r in rows] == [list(b) for b in before]
        assert all({k: r[k] for k in NEW_EVIDENCE_COLUMNS} == NEW_EVIDENCE_COLUMNS for r in rows)
        rows = [{k: v for k, v in r.items() if k not in NEW_EVIDENCE_COLUMNS} for r in rows]
    assert rows == before


def _as_before(source: str) -> str:
    """A pathway arrow's CMOC ids were an ``xlabel``, drawn half under a step; they are a
    ``label`` now, which dot makes room for. Written back the old way; the rest must match."""
    return re.sub(r"\[label=(<[^<>]*>) arrowsize=0.8 penwidth=1.5\]",
                  r"[arrowsize=0.8 penwidth=1.5 xlabel=\1]", source)


def test_figures_are_the_figures_before(buyin):
    names = set()
    for view in standard_views(buyin):
        fig = figure(buyin, view)
        names.add(f"{fig.name}.dot")
        assert _as_before(fig.source) == (BEFORE / "dot" / f"{fig.name}.dot").read_text(
            encoding="utf-8"), view
    assert names == {p.name for p in (BEFORE / "dot").iterdir()}


def test_check_and_evidence_table_print_as_before(ptgraph, repo_root, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.chdir(repo_root)
    run = ptgraph("check", "theory")
    # theory/mappings.yaml (issue 18): one more file, and the concepts it maps are counted
    mapped = (run.out + run.err).replace("16 files", "15 files").replace(" 31 mapped,", "")
    assert mapped == (BEFORE / "check.txt").read_text(encoding="utf-8")
    tables = "".join(ptgraph("query", "evidence", "theory", *p).out
                     for p in ((), ("-p", "flagged=true"), ("-p", "by=deprivation")))
    assert tables == (BEFORE / "evidence-table.txt").read_text(encoding="utf-8")
