"""How long the embedded queries take: every query on the buy-in theory, and
``chains`` (plus the other queries) on dense generated theories.

The dense theories are built in memory (no YAML): N CMOCs over K concepts,
in two shapes:

* ``random``: contexts, mechanisms and outcomes drawn from all concepts, so
  CMOCs link in every direction and the link graph is one big tangle of loops;
* ``layered``: concepts in ten layers, a CMOC's context in one layer and its
  outcome in the next, so chains run long and there are very many of them.

Usage: ``python bench/bench_chains.py [--cmocs 2000] [--concepts 200] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from time import perf_counter, process_time

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ptgraph.check import load_theory  # noqa: E402
from ptgraph.graph import build_graph  # noqa: E402
from ptgraph.model import CMOC, Area, Concept, Evidence, Site, Theory  # noqa: E402
from ptgraph.queries import QUERIES, run_query  # noqa: E402

BUYIN_PARAMS = {"paths": {"from": "take-up-referral", "to": "less-stressed"},
                "upstream": {"concept": "less-stressed"}, "downstream": {"concept": "open-up"}}


def dense_theory(n_cmocs: int, n_concepts: int, shape: str, seed: int = 7) -> Theory:
    """A generated theory; the same arguments give the same theory."""
    rnd = random.Random(seed)
    concepts = [f"k{i:04d}" for i in range(n_concepts)]
    # layered: a fifth of the concepts are mechanisms only, the rest ten layers
    # of contexts and outcomes, so links run from one layer to the next.
    layers = 10
    mechanisms = concepts[:n_concepts // 5]
    per_layer = max(1, (n_concepts - len(mechanisms)) // layers)

    def pick(layer: int | None, k: int) -> tuple[str, ...]:
        if layer is None:
            pool = concepts
        elif layer < 0:
            pool = mechanisms
        else:
            pool = concepts[len(mechanisms) + layer * per_layer:][:per_layer]
        return tuple(sorted(rnd.sample(pool, min(k, len(pool)))))

    cmocs, seen = {}, set()
    while len(cmocs) < n_cmocs:
        if shape == "random":
            parts = (pick(None, rnd.randint(1, 2)), pick(None, 1), pick(None, rnd.randint(1, 2)))
        else:
            layer = rnd.randrange(layers - 1)
            parts = (pick(layer, rnd.randint(1, 2)), pick(-1, 1), pick(layer + 1, rnd.randint(1, 2)))
        if parts in seen:  # a duplicate configuration would fail `check`
            continue
        seen.add(parts)
        i = len(cmocs)
        cmocs[f"M{i:05d}"] = CMOC(f"M{i:05d}", f"area-{i % 5}", "generated", *parts,
                                  status="refuted" if i % 97 == 0 else "new")
    ids = list(cmocs)
    sites = {f"s{i}": Site(f"s{i}", f"Site {i}", {"deprivation": ("Low", "Medium", "High")[i % 3]})
             for i in range(12)}
    evidence = {f"e{i}": Evidence(f"e{i}", "quote", tuple(rnd.sample(ids, 2)),
                                  (rnd.choice(ids),) if i % 20 == 0 else (),
                                  participant=f"P{i % 400}", site=f"s{i % 12}", wave="interview")
                for i in range(int(n_cmocs * 1.5))}
    evidence = {k: e for k, e in evidence.items() if not set(e.supports) & set(e.refutes)}
    return Theory("dense", "Dense generated theory",
                  areas={f"area-{i}": Area(f"area-{i}", f"Area {i}") for i in range(5)},
                  sites=sites, concepts={c: Concept(c, c.upper()) for c in concepts},
                  cmocs=cmocs, evidence=evidence)


def timed(func, repeat: int) -> tuple[tuple[float, float], object]:
    """Best wall-clock and CPU seconds of ``repeat`` runs (CPU: the machine may be shared)."""
    wall = cpu = float("inf")
    result = None
    for _ in range(repeat):
        start, start_cpu = perf_counter(), process_time()
        result = func()
        wall, cpu = min(wall, perf_counter() - start), min(cpu, process_time() - start_cpu)
    return (wall, cpu), result


def report(label: str, seconds: tuple[float, float], rows) -> None:
    notes = "  (work budget hit)" if getattr(rows, "notes", None) else ""
    print(f"  {label:<36} {seconds[0] * 1000:9.1f} ms wall {seconds[1] * 1000:9.1f} ms cpu "
          f"{len(rows):>6} rows{notes}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cmocs", type=int, default=2000)
    parser.add_argument("--concepts", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    args = parser.parse_args()

    print(f"buy-in theory (theory/), best of {args.repeat}:")
    G = build_graph(load_theory(ROOT / "theory"))
    for name in QUERIES:
        seconds, rows = timed(lambda: run_query(name, G, BUYIN_PARAMS.get(name, {})), args.repeat)
        report(name, seconds, rows)

    for shape in ("random", "layered"):
        theory = dense_theory(args.cmocs, args.concepts, shape)
        seconds, G = timed(lambda: build_graph(theory), 1)
        print(f"\n{shape}: {args.cmocs} CMOCs over {args.concepts} concepts "
              f"({G.number_of_nodes()} nodes, {G.number_of_edges()} edges; "
              f"graph built in {seconds[1]:.2f} s cpu), "
              f"best of {args.repeat}:")
        # the first context and the last outcome of the theory, so the layered
        # shape's paths cross all the layers
        concept = min(c for m in theory.cmocs.values() for c in m.context)
        target = max(c for m in theory.cmocs.values() for c in m.outcome)
        for label, name, params in (
                ("chains limit=1000", "chains", {"limit": "1000"}),
                ("chains (no limit, budget)", "chains", {}),
                (f"chains from={concept} limit=1000", "chains", {"from": concept, "limit": "1000"}),
                (f"chains to={target} limit=1000", "chains", {"to": target, "limit": "1000"}),
                (f"paths {concept}->{target} limit=1000", "paths",
                 {"from": concept, "to": target, "limit": "1000"}),
                (f"downstream {concept}", "downstream", {"concept": concept}),
                ("conflicts", "conflicts", {}),
                ("contrasts", "contrasts", {}),
                ("contrasts by=context", "contrasts", {"by": "context"}),
                ("evidence by=deprivation", "evidence", {"by": "deprivation"}),
                ("hubs", "hubs", {})):
            seconds, rows = timed(lambda: run_query(name, G, params), args.repeat)
            report(label, seconds, rows)


if __name__ == "__main__":
    main()
