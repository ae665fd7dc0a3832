"""The benchmark code cannot rot: the generator makes valid theories, the harness runs.

Speed itself is never asserted here; ``make bench`` measures it.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # bench/ sits beside src/, outside the installed package

from bench import generate, references, report  # noqa: E402


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_generator_is_deterministic(tmp_path):
    a = generate.generate(300, tmp_path / "a", seed=7)
    b = generate.generate(300, tmp_path / "b", seed=7)
    c = generate.generate(300, tmp_path / "c", seed=8)
    assert _files(a) == _files(b)
    assert _files(a) != _files(c)


def test_generated_theory_checks_clean(tmp_path, ptgraph):
    root = generate.generate(1500, tmp_path / "t")
    run = ptgraph("check", root)
    assert run.code == 0, run
    assert run.out == ""  # no errors and no warnings
    assert "1500 CMOCs" in run.err


def test_generated_theory_has_the_promised_shape(tmp_path):
    from ptgraph.check import load_theory

    root = generate.generate(2500, tmp_path / "t")
    theory = load_theory(root)
    cmocs = theory.cmocs.values()
    # Split as a team would: no cmocs file holds more than 1,000 CMOCs.
    per_file: dict[str, int] = {}
    for cmoc in cmocs:
        per_file[cmoc.source] = per_file.get(cmoc.source, 0) + 1
    assert len(per_file) >= 5 and max(per_file.values()) <= generate.MAX_CMOCS_PER_FILE
    assert 150 <= sum(len(c.statement) for c in cmocs) / len(cmocs) <= 260
    quotes = list(theory.evidence.values())
    assert 250 <= sum(len(q.quote) for q in quotes) / len(quotes) <= 350
    assert 1.3 <= len(quotes) / len(cmocs) <= 1.7
    assert {q.wave for q in quotes} == {"interview", "follow-up", "observation"}
    # Chains exist: outcomes that are other CMOCs' contexts; and opposes pairs.
    outcomes = {o for c in cmocs for o in c.outcome}
    assert sum(1 for c in cmocs if set(c.context) & outcomes) > len(cmocs) // 10
    assert any(c.opposes for c in theory.concepts.values())
    assert theory.pathways and all(len(p.steps) >= 3 for p in theory.pathways.values())


def test_generate_command_line(tmp_path):
    out = tmp_path / "cli"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--cmocs", "50",
                           "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (out / "theory.yaml").is_file() and list((out / "cmocs").glob("*.yaml"))


def _harness(tmp_path, *args: str) -> tuple[dict, str]:
    out = tmp_path / "run.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--data", str(tmp_path / "data"), "--json", str(out), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(out.read_text()), done.stdout


def test_harness_quick_smoke(tmp_path):
    run, table = _harness(tmp_path, "--quick", "--sizes", "100", "--neo4j", "off", "--timeout", "60")
    by = {r["step"]: r for r in run["results"]}
    for step in ("check", "parse-floor", "graph"):
        assert by[step]["status"] == "ok", by[step]
        assert by[step]["seconds"] > 0 and by[step]["peak_mib"] > 0
    assert by["check"]["info"]["problems"] == 0
    # The table has a row for check and for the parsing floor, with numbers in them.
    rows = {line.split("|")[1].strip(): line for line in table.splitlines() if line.startswith("| ")}
    assert any(char.isdigit() for char in rows["check"].split("|")[2])
    assert any(char.isdigit() for char in rows["parsing floor: yaml.load (CSafeLoader)"].split("|")[2])
    # Without a server the Neo4j steps say so instead of vanishing.
    assert by["neo4j-load"]["status"] == "skipped"
    assert "Neo4j: not used in this run" in table


def test_harness_reports_a_timeout(tmp_path):
    run, table = _harness(tmp_path, "--sizes", "100", "--neo4j", "off", "--steps", "^check$",
                          "--timeout", "0.05")
    (result,) = run["results"]
    assert result["status"] == "timeout"
    assert "timeout" in table


def test_growth_exponent():
    nlogn = [(n, n * math.log(n) * 1e-6) for n in (1_000, 10_000, 100_000)]
    slope, lo, hi = report.growth(nlogn)
    assert (lo, hi) == (1_000, 100_000)
    assert slope == pytest.approx(report.nlogn_exponent(1_000, 100_000))
    assert report.growth([(1_000, 1.0), (10_000, 100.0)])[0] == pytest.approx(2.0)  # quadratic
    assert report.growth([(100, 1.0), (1_000, 2.0)]) is None  # below 1,000 does not count


def test_naive_estimate_scales_partial_rates():
    done = {"nodes": 100, "relationships": 200, "nodes_done": 10, "relationships_done": 20,
            "node_seconds": 1.0, "relationship_seconds": 4.0}
    assert references.naive_estimate(done) == pytest.approx(10.0 + 40.0)
    complete = dict(done, nodes_done=100, relationships_done=200)
    assert references.naive_estimate(complete) is None


def test_report_keeps_text_outside_the_markers(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(f"# Benchmarks\n\nAnalysis kept.\n\n{report.BEGIN}\nold\n{report.END}\n\nMore kept.\n")
    report.write(doc, "new table\n")
    text = doc.read_text()
    assert "Analysis kept." in text and "More kept." in text
    assert "new table" in text and "old" not in text


@pytest.mark.neo4j
@pytest.mark.slow
def test_harness_neo4j_steps(tmp_path):
    """The Neo4j steps against an instance of scripts/neo4j-local of their own (started and
    stopped by the harness)."""
    if not shutil.which("java") or not (ROOT / ".neo4j" / "lib" / ".complete").exists():
        pytest.skip("needs Java and the Neo4j jars (scripts/neo4j-local start once)")
    # an instance of its own on free ports (the bench instance's 7689 may be taken, by
    # another checkout's test run for one), with a small heap: 100 CMOCs need little
    run, table = _harness(tmp_path, "--sizes", "100", "--steps", "neo4j-(floor|naive|load|reload)",
                          "--timeout", "300", "--naive-budget", "3", "--repeat", "2",
                          "--instance", "bench-test", "--heap", "1g")
    by = {r["step"]: r for r in run["results"]}
    floors = ("neo4j-floor-old", "neo4j-floor-index", "neo4j-floor-eid")
    for step in floors:
        assert by[step]["status"] == "ok", by[step]
    assert by["neo4j-naive"]["status"] in ("ok", "extrapolated"), by["neo4j-naive"]
    for step in ("neo4j-load", "neo4j-reload", *floors):
        assert by[step]["status"] == "ok", by[step]
        assert by[step]["info"]["nodes"] == by["neo4j-floor-old"]["info"]["nodes"]
    assert by["neo4j-reload"]["info"]["status"] == "unchanged"
    # The repeatable steps ran twice, and the load says where its time went.
    assert len(by["neo4j-load"]["info"]["runs"]) == 2
    assert set(by["neo4j-load"]["info"]["timings"]) >= {"read", "check", "records", "write nodes",
                                                       "write relationships", "commit"}
    assert "| load floor: the fastest bare write |" in table
    assert "### Where a fresh load's time goes" in table


def _result(step: str, n: int, seconds: float, **info) -> dict:
    return {"step": step, "title": step, "n": n, "status": "ok", "seconds": seconds, "cpu": seconds,
            "peak_mib": 50.0, "info": info, "reason": ""}


def test_report_derives_the_floor_and_judges_the_targets():
    """The floor is the faster bare write; the load is judged against it plus the parsing
    floor, each twin against its embedded query, and the first load of the day on its own."""
    results = []
    for n, k in ((1_000, 1), (10_000, 10)):
        results += [_result("parse-floor", n, 0.3 * k), _result("neo4j-floor-index", n, 0.5 * k),
                    _result("neo4j-floor-eid", n, 0.6 * k), _result("neo4j-floor-old", n, 1.2 * k),
                    _result("neo4j-load", n, 1.0 * k, timings={"read": 0.2 * k, "commit": 0.1 * k}),
                    _result("check", n, 0.3 * k),
                    _result("query:hubs", n, 0.1 * k), _result("neo4j-query:hubs", n, 0.3 * k)]
    results.append(_result("buyin-first-load", 0, 1.2, said="loaded buy-in: ... in 0.8 s"))
    run = {"sizes": [1_000, 10_000], "seed": 1, "timeout": 60, "naive_budget": 5, "quick": False,
           "seconds": 60, "machine": {k: "?" for k in ("date", "cpu", "cores", "ram", "os", "python",
                                                       "pyyaml", "networkx", "graphviz", "java",
                                                       "load_before")},
           "memory_why": "", "data": {}, "results": results}
    text = report.markdown(run)
    assert "| load floor: the fastest bare write | 500 ms · cpu 500 ms (index) | 5.00 s · cpu 5.00 s (index) | — |" \
        in text
    assert "| old load floor ÷ load floor (same run, best of N) | 2.40× (cpu 2.40×) | 2.40× (cpu 2.40×) |" in text
    assert "| load ÷ (parsing floor + load floor) | 1.25× (cpu 1.25×) | 1.25× (cpu 1.25×) |" in text
    targets = {line.split(" | ")[0].lstrip("| "): line for line in text.splitlines() if "**" in line}
    assert "**held**" in targets["`load` of 10,000 CMOCs ≤ 1.5× (parsing floor + load floor), warm server"]
    assert "**missed**" in targets["every Neo4j twin on 10,000 CMOCs ≤ 2× its embedded query"]
    assert "hubs 3.00×" in targets["every Neo4j twin on 10,000 CMOCs ≤ 2× its embedded query"]
    assert "**held**" in targets["first load of the day (`ptgraph load theory/` right after a restart) < 1.5 s"]
    assert "### Where a fresh load's time goes" in text and "### The buy-in theory, cold and warm" in text
