"""How long ``ptgraph diff`` takes between two git revisions of a theory.

A temporary git repository gets two commits: the theory as it is, then the
same theory with one CMOC refined (status ``refined``, one more context, a new
concept). The script times ``ptgraph diff HEAD~1 HEAD`` as a
whole process, then its phases in-process: reading both revisions out of git
and checking them, comparing entries, comparing the chains and conflicts
queries, writing markdown, and building the marked overview figure.

Usage (from the repository root)::

    python bench/diff.py                   # the buy-in theory in theory/
    python bench/diff.py --cmocs 10000     # a synthetic theory (bench/generate.py)
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org",
                    "-c", "commit.gpgsign=false", *args], cwd=repo, check=True, capture_output=True)


def refine_first_cmoc(theory: Path) -> str:
    """Refine the first CMOC found: status refined, its first mechanism added as a context."""
    for path in sorted((theory / "cmocs").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        m = re.search(r"^  ([A-Za-z0-9_.-]+):\n(    .*\n)*?    context: (.+)\n", text, re.M)
        if m:
            cid, context = m.group(1), m.group(3)
            ids = context.strip("[]").split(", ")
            new = f"    context: [{', '.join(ids + ['extra-context'])}]\n    status: refined\n"
            path.write_text(text.replace(m.group(0), m.group(0).replace(
                f"    context: {context}\n", new), 1), encoding="utf-8")
            concepts = theory / "concepts-extra.yaml"
            concepts.write_text("concepts:\n  extra-context: Extra context\n", encoding="utf-8")
            return cid
    raise SystemExit("no CMOC found to refine")


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cmocs", type=int, help="a synthetic theory of this many CMOCs")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from ptgraph.diff import diff_theories, query_rows
    from ptgraph.diff_report import format_markdown
    from ptgraph.render_diff import diff_figure
    from ptgraph.revision import load_pair

    with tempfile.TemporaryDirectory(prefix="ptgraph-bench-diff-") as tmp:
        repo = Path(tmp) / "repo"
        repo.mkdir()
        if args.cmocs:
            from bench.generate import generate
            generate(args.cmocs, repo / "theory")
        else:
            shutil.copytree(REPO / "theory", repo / "theory")
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "before")
        cid = refine_first_cmoc(repo / "theory")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"refine {cid}")

        exe = Path(sys.executable).with_name("ptgraph")
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        process, out = timed(lambda: subprocess.run([str(exe), "diff", "HEAD~1", "HEAD"], cwd=repo,
                                                    check=True, capture_output=True, text=True),
                             args.repeat)
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU time of ptgraph and the git processes it starts: steadier than wall time on a busy machine
        cpu = (cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime) / args.repeat
        os.chdir(repo)
        load, (_, old, new) = timed(lambda: load_pair("HEAD~1", "HEAD"), args.repeat)
        compare, _ = timed(lambda: diff_theories(old, new, with_queries=False), args.repeat)
        queries, _ = timed(lambda: (query_rows(old), query_rows(new)), args.repeat)
        d = diff_theories(old, new)
        write, _ = timed(lambda: format_markdown(d), args.repeat)
        figure, _ = timed(lambda: diff_figure(old, new, "overview"), args.repeat)

    name = f"synthetic theory, {args.cmocs} CMOCs" if args.cmocs else "buy-in theory"
    print(f"ptgraph diff HEAD~1 HEAD on the {name} ({len(new.cmocs)} CMOCs), "
          f"median of {args.repeat}:")
    print(f"  {out.stdout.splitlines()[0]}")
    for label, seconds in (("whole process (`ptgraph diff HEAD~1 HEAD`)", process),
                           ("  its CPU time, with git's (mean)", cpu),
                           ("read both revisions from git + check", load),
                           ("compare entries", compare),
                           ("chains + conflicts, both sides", queries),
                           ("write markdown", write),
                           ("render --diff overview (DOT only)", figure)):
        print(f"  {label:<44} {seconds * 1000:9.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
