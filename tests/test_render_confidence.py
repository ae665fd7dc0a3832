"""Figures show a CMOC's confidence (issue 15): its id outlined by level, with a key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ptgraph.check import load_theory
from ptgraph.render import CONFIDENCE_OUTLINE, figure, run_graphviz

SOURCES = Path(__file__).resolve().parent / "fixtures" / "queries" / "sources"


@pytest.fixture(scope="module")
def theory():
    return load_theory(SOURCES)


def test_area_figure_outlines_each_cmoc_id_by_confidence_with_a_key(theory):
    dot = figure(theory, "area:x").source
    assert '<TD BORDER="2" CELLPADDING="1">K1</TD>' in dot  # high: heavy
    assert '<TD BORDER="1" CELLPADDING="1">K2</TD>' in dot  # moderate: solid
    assert '<TD BORDER="1" STYLE="dotted" CELLPADDING="1">K3</TD>' in dot  # very-low
    assert "K4" in dot and '<TD BORDER="0" CELLPADDING="1">K4' not in dot  # no rating: plain
    for level in CONFIDENCE_OUTLINE:  # the key has every level
        assert f"confidence {level}" in dot


def test_card_says_the_confidence_and_outlines_the_id(theory):
    dot = figure(theory, "cmoc:K1").source
    assert '<TD BORDER="2" CELLPADDING="1">K1</TD>' in dot
    assert "Confidence: high. Two independent sources agree." in dot
    assert "Adequacy: Rich data from two sources." in dot
    assert "in 3 sources (obs-1, smith2019, t-p7)" in dot
    assert "Key: the outline of K1" in dot
    plain = figure(theory, "cmoc:K4").source
    assert "Confidence" not in plain and "BORDER" not in plain


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz not installed")
@pytest.mark.parametrize("view", ["overview", "area:x", "cmoc:K1", "cmoc:K2", "cmoc:K3"])
def test_graphviz_draws_them(theory, view):
    assert run_graphviz(figure(theory, view).source, "svg").startswith(b"<?xml")
