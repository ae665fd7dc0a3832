"""``ptgraph render --check``: committed DOT figures compared with what the theory draws."""

from __future__ import annotations

from ptgraph.check import load_theory
from ptgraph.render import figure, standard_views
from ptgraph.render_check import stale_figures


def write_all(theory, outdir):
    outdir.mkdir(exist_ok=True)
    for view in standard_views(theory):
        fig = figure(theory, view)
        (outdir / f"{fig.name}.dot").write_text(fig.source, encoding="utf-8")


def test_up_to_date_then_stale(buyin, theory_copy, tmp_path):
    diagrams = tmp_path / "diagrams"
    write_all(buyin, diagrams)
    (diagrams / "overview-diff.dot").write_text("digraph {}")  # render --diff output: ignored
    assert stale_figures(buyin, outdir=diagrams) == []
    before = {p.name: p.read_bytes() for p in diagrams.iterdir()}

    path = theory_copy / "cmocs" / "readiness.yaml"
    path.write_text(path.read_text().replace("    context: realistic-goals\n",
                                             "    context: realistic-goals\n    status: confirmed\n"))
    changed = load_theory(theory_copy)
    (diagrams / "cmoc-GONE.dot").write_text("digraph {}")
    (diagrams / "area-readiness.dot").unlink()
    found = {(p.name, why) for p, why in stale_figures(changed, outdir=diagrams)}
    assert ("cmoc-RD6.dot", "out of date") in found  # its card shows the status
    assert ("area-readiness.dot", "missing") in found
    assert ("cmoc-GONE.dot", "no longer drawn") in found
    assert ("cmoc-RD1.dot", "out of date") not in found
    # nothing was written
    assert {p.name: p.read_bytes() for p in diagrams.iterdir()} == {
        k: v for k, v in before.items() if k != "area-readiness.dot"} | {"cmoc-GONE.dot": b"digraph {}"}


def test_only_the_views_asked_for(buyin, tmp_path):
    assert stale_figures(buyin, ["overview"], tmp_path) == [(tmp_path / "overview.dot", "missing")]


def test_cli_check_exit_codes(ptgraph, tmp_path, repo_root):
    theory = repo_root / "theory"
    out = tmp_path / "diagrams"
    assert ptgraph("render", theory, "--format", "dot", "-o", out).code == 0
    run = ptgraph("render", theory, "--check", "-o", out)
    assert run.code == 0 and run.out == "", run
    (out / "overview.dot").write_text("digraph {}")
    run = ptgraph("render", theory, "--check", "-o", out)
    assert run.code == 1
    assert run.out == f"{out / 'overview.dot'}: out of date\n"
    assert "run `ptgraph render`" in run.err
    assert (out / "overview.dot").read_text() == "digraph {}"  # --check writes nothing
