"""`diff` and `stats` on sources and confidence (issue 15): a changed confidence level is a
reviewable change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ptgraph.check import load_theory
from ptgraph.diff import diff_theories
from ptgraph.diff_report import to_json

SOURCES = Path(__file__).resolve().parent / "fixtures" / "queries" / "sources"


def test_confidence_and_sources_changes_are_reported(tmp_path):
    shutil.copytree(SOURCES, tmp_path / "new")
    path = tmp_path / "new" / "theory.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("confidence: {level: moderate,", "confidence: {level: low,")
    text = text.replace("report-2020: {type: report, citation: Annual report 2020, year: 2020}",
                        "report-2020: {type: report, citation: Annual report 2020, year: 2021}")
    path.write_text(text, encoding="utf-8")
    diff = diff_theories(load_theory(SOURCES), load_theory(tmp_path / "new"), with_queries=False)
    assert "1 CMOC's confidence changed" in diff.summary()
    assert "1 source changed" in diff.summary()
    doc = to_json(diff)
    assert doc["cmocs"]["modified"] == [
        {"id": "K2", "changes": [{"field": "confidence", "old": "moderate", "new": "low"}]}]
    assert doc["sources"]["modified"] == [
        {"id": "report-2020", "changes": [{"field": "year", "old": 2020, "new": 2021}]}]


def test_a_theory_without_sources_diffs_as_before(buyin):
    diff = diff_theories(buyin, buyin, with_queries=False)
    assert not diff.changed and diff.summary() == "no semantic changes"


def test_stats_counts_sources_and_confidence_after_the_older_keys(ptgraph):
    run = ptgraph("stats", SOURCES, "--format", "json")
    doc = json.loads(run.out)
    assert list(doc)[-2:] == ["sources", "confidence"]
    assert doc["sources"] == 4
    assert doc["confidence"] == {"high": 1, "moderate": 1, "low": 0, "very-low": 1}
