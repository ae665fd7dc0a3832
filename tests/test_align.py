"""``ptgraph align``: its precision and recall on two real pairs, and the draft it writes.

The references are hand-made and kept in ``tests/fixtures/align/``:

- ``table4-reference.yaml``: the buy-in paper's Table 4 imported as a draft theory
  (``ptgraph import table``: the paper's own spans as concepts) onto ``theory/``; built by
  construction (the same CMOC and role at the same place) and checked by hand, five
  spans mapped by hand. Easy: the wordings are the paper's in both.
- ``deprescribing-reference.yaml``: ``examples/deprescribing-review`` onto ``theory/``,
  by hand. Hard: two studies, two vocabularies, few true matches.

The numbers asserted here are the ones the README states.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ptgraph.align import DEFAULT_THRESHOLD, align, draft_text, measure
from ptgraph.check import load_mapped_theory, load_theory
from ptgraph.model import Concept, Theory

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SECOND = ROOT / "examples" / "deprescribing-review"


@pytest.fixture(scope="module")
def table4(tmp_path_factory) -> Theory:
    """The paper's Table 4 as `ptgraph import table` drafts it."""
    from click.testing import CliRunner

    from ptgraph.cli import cli

    out = tmp_path_factory.mktemp("align") / "table4"
    run = CliRunner().invoke(cli, ["import", "table", str(FIXTURES / "tables" / "buyin-table4.md"),
                                   "-o", str(out), "--id", "table4"])
    assert run.exit_code == 0, run.output
    return load_theory(out)


def reference(name: str) -> dict[str, list[str]]:
    return yaml.safe_load((FIXTURES / "align" / name).read_text(encoding="utf-8"))["reference"]


def proposals(result) -> dict[str, str]:
    return {b: c.target for b, c in result.best().items()}


def test_table4_reference_covers_every_imported_concept(table4, buyin):
    ref = reference("table4-reference.yaml")
    assert sorted(ref) == sorted(c.label for c in table4.concepts.values())
    assert {t for ts in ref.values() for t in ts} <= set(buyin.concepts)


def test_precision_on_table4_onto_the_buyin_theory(table4, buyin):
    labels = {c.id: c.label for c in table4.concepts.values()}
    ref = {cid: reference("table4-reference.yaml")[label] for cid, label in labels.items()}
    m = measure(proposals(align(buyin, table4)), ref)
    assert DEFAULT_THRESHOLD == 70
    assert (m.correct, m.proposed, m.expected) == (64, 65, 80)  # README: precision 0.98, recall 0.80
    stricter = measure(proposals(align(buyin, table4, threshold=90)), ref)
    assert stricter.precision == 1.0 and stricter.recall < m.recall


def test_precision_on_two_different_theories(buyin):
    second = load_theory(SECOND)
    ref = reference("deprescribing-reference.yaml")
    assert set(ref) <= set(second.concepts)
    # no proposal at the default threshold: lexical scores do not cross two studies' wordings
    m = measure(proposals(align(buyin, second)), ref)
    assert (m.correct, m.proposed, m.expected) == (0, 0, 10)
    low = align(buyin, second, threshold=60)
    wrong = {b: t for b, t in proposals(low).items() if t not in ref.get(b, ())}
    assert len(wrong) == len(low.proposals) == 2  # README: lower thresholds add only wrong ones


def test_precision_onto_the_vocabulary(buyin):
    a, vocabulary = load_mapped_theory(ROOT / "theory")
    second, _ = load_mapped_theory(SECOND)
    ref = {m.concept: [t for _, t in m.matches] for m in second.mappings.values()}
    result = align(a, second, vocabulary)
    m = measure(proposals(result), ref)
    assert (m.correct, m.proposed, m.expected) == (6, 12, 13)  # README: 6 of 12 right
    assert result.best()["declines-review"].target == "reluctance-to-engage"


def test_a_negation_on_one_side_halves_the_score(buyin):
    second = load_theory(SECOND)
    low = align(buyin, second, threshold=0)
    change = {c.target: c for c in low.proposals["recommendation-not-actioned"]}
    # "Change not made" ~ "Takes steps towards change": labels agree, meanings oppose
    assert change["take-steps-to-change"].labels >= 70
    assert change["take-steps-to-change"].score < DEFAULT_THRESHOLD


def test_the_draft_parses_back_to_the_proposals(table4, buyin):
    result = align(buyin, table4)
    text = draft_text(result, table4)
    assert yaml.safe_load(text)["mappings"] == {
        b: {"exact" if c.exact else "close": c.target} for b, c in result.best().items()}
    assert "# No proposal at 70 or more for 15 concept(s):" in text
    assert all(f"#   {b} " in text for b in result.unmatched)


def test_hostile_labels_stay_inside_their_comments():
    def theory(tid: str, label: str) -> Theory:
        return Theory(tid, tid, concepts={"x": Concept("x", label)})

    hostile = "Feel heard\nmappings: {evil: {exact: x}} # and\r\u2028more\"'"
    a, b = theory("a", hostile), theory("b", hostile)
    text = draft_text(align(a, b), b)
    assert yaml.safe_load(text) == {"mappings": {"x": {"exact": "x"}}}
    assert all(line.startswith(("#", "mappings:", "  ")) for line in text.splitlines())


def test_align_command_writes_a_draft_and_never_replaces_one(ptgraph, tmp_path):
    out = tmp_path / "mappings.yaml"
    run = ptgraph("align", ROOT / "theory", SECOND, "--vocabulary", ROOT / "examples" / "vocabulary",
                  "-o", out)
    assert run.code == 0, run
    assert run.err == f"proposed 12 mappings for 47 concepts of deprescribing-review; wrote {out}\n"
    assert "reluctance-to-engage" in out.read_text(encoding="utf-8")
    again = ptgraph("align", ROOT / "theory", SECOND, "-o", out)
    assert again.code == 2 and "exists" in again.err, again
    forced = ptgraph("align", ROOT / "theory", SECOND, "-o", out, "--force", "--threshold", "100")
    assert forced.code == 0 and yaml.safe_load(out.read_text(encoding="utf-8")) == {"mappings": {}}
