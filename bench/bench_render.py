"""Time ``ptgraph render``: every standard view of the buy-in theory, then the overview
of a generated theory of 1,000 CMOCs (drawn as a summary, as ``render`` does above
:data:`ptgraph.render.LARGE_THEORY` CMOCs).

Usage (from the repository root)::

    python bench/bench_render.py                 # buy-in views + 1,000-CMOC overview
    python bench/bench_render.py --cmocs 2000    # another size
    python bench/bench_render.py --full          # also the full (unsummarised) overview

For each figure it reports the time to build the DOT, the time Graphviz takes
to draw the SVG and the PNG, and the PNG's size. The generated theory is
written to a temporary folder and read back through ``load_theory``, as the
command line would.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from ptgraph import render  # noqa: E402
from ptgraph.check import load_theory  # noqa: E402
from ptgraph.errors import GraphvizError  # noqa: E402


def generate(root: Path, cmocs: int, seed: int = 1) -> Path:
    """Write a theory of ``cmocs`` CMOCs to ``root``: areas of 100 CMOCs, concepts
    shared within an area and a few across areas (so chains and hubs exist),
    one or two quotes per CMOC."""
    rnd = random.Random(seed)
    n_areas = max(1, cmocs // 100)
    areas = {f"area-{a:02d}": f"Area {a}" for a in range(n_areas)}
    common = [f"common-{i:03d}" for i in range(30)]
    concepts = {c: f"Shared concept {c[-3:]}" for c in common}
    entries, evidence = {}, {}
    for i in range(cmocs):
        area = f"area-{i % n_areas:02d}"
        pool = [f"{area}-c{j:03d}" for j in range(120)]

        def pick(k: int) -> list[str]:
            return sorted({rnd.choice(common if rnd.random() < 0.1 else pool) for _ in range(k)})

        ctx, mech, out = pick(rnd.choice((1, 1, 2))), pick(1), pick(rnd.choice((1, 1, 2)))
        mech = [m for m in mech if m not in ctx] or [f"{area}-m{i:04d}"]
        out = [o for o in out if o not in ctx + mech] or [f"{area}-o{i:04d}"]
        for c in ctx + mech + out:
            concepts.setdefault(c, f"Concept {c} with a label of a few words")
        mid = f"G{i:04d}"
        entries[mid] = {"area": area, "statement": f"Generated configuration {mid}: context (C), "
                        "mechanism (M) and outcome (O) in about two hundred characters of text.",
                        "context": ctx, "mechanism": mech, "outcome": out}
        for k in range(rnd.choice((1, 2))):
            evidence[f"q{i:04d}-{k}"] = {"quote": "A quote of a participant about this.",
                                         "supports": [mid]}
    doc = {"ptgraph": 1, "theory": {"id": f"bench-{cmocs}", "title": f"Generated theory of {cmocs} CMOCs"},
           "areas": areas, "concepts": concepts, "cmocs": entries, "evidence": evidence}
    (root / "theory.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return root


def measure(fig: render.Figure, png: bool = True) -> dict:
    row = {"name": fig.name}
    for fmt in ("svg", "png") if png else ("svg",):
        start = time.perf_counter()
        try:
            data = render.run_graphviz(fig.source, fmt)
        except GraphvizError as exc:  # the full 1,000-CMOC overview may hit the time limit
            print(f"{fig.name} {fmt}: {exc}")
            row[fmt], row[f"{fmt}_bytes"] = float("nan"), 0
            continue
        row[fmt] = time.perf_counter() - start
        row[f"{fmt}_bytes"] = len(data)
    return row


def timed_figure(theory, view: str, **kwargs) -> tuple[render.Figure, float]:
    start = time.perf_counter()
    fig = render.figure(theory, view) if not kwargs else render.Figure(
        "overview-full", render.overview_dot(theory, **kwargs))
    return fig, time.perf_counter() - start


def report(rows: list[dict]) -> None:
    print(f"{'figure':<34} {'DOT ms':>8} {'svg s':>7} {'png s':>7} {'png kB':>8}")
    for r in rows:
        png = f"{r['png']:7.2f} {r['png_bytes'] / 1024:8.0f}" if "png" in r else f"{'-':>7} {'-':>8}"
        print(f"{r['name']:<34} {r['build'] * 1000:8.1f} {r['svg']:7.2f} {png}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cmocs", type=int, default=1000, help="size of the generated theory")
    parser.add_argument("--full", action="store_true",
                        help="also draw the generated theory's full overview (slow: minutes; "
                             f"stopped after {render.DOT_TIMEOUT} s)")
    args = parser.parse_args(argv)

    theory = load_theory(REPO / "theory")
    rows = []
    total = time.perf_counter()
    for view in render.standard_views(theory):
        fig, build = timed_figure(theory, view)
        rows.append({**measure(fig), "build": build})
    print(f"Buy-in theory: {len(rows)} figures, {time.perf_counter() - total:.1f} s in all")
    report(rows)

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        big = load_theory(generate(Path(tmp), args.cmocs))
        print(f"\nGenerated theory: {len(big.cmocs)} CMOCs, {len(big.concepts)} concepts, "
              f"{len(big.areas)} areas (written and loaded in {time.perf_counter() - start:.1f} s)")
    fig, build = timed_figure(big, "overview")
    rows = [{**measure(fig), "build": build}]
    print("; ".join(fig.notes))
    if args.full:
        fig, build = timed_figure(big, "overview", large=len(big.cmocs))
        rows.append({**measure(fig, png=False), "build": build})
    report(rows)


if __name__ == "__main__":
    main()
