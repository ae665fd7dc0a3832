"""Each named query on the buy-in theory: the embedded engine against its Cypher twin on Neo4j.

The theory is stored under a fresh id (as ``ptgraph load`` writes it) in the
server the ``NEO4J_*`` variables name, which must be on this machine, and
removed afterwards. For each query, with the parameters of ``bench_chains.py``:

* embedded: the query function on a graph built once (best of ``--repeat``);
* Neo4j, first run: the twin's query once the server's query caches are
  cleared (``db.clearQueryCaches()``), so planning included;
* Neo4j, warm: the twin's query alone, the plan cached (best of ``--repeat``);
* ``--neo4j``: what ``ptgraph query NAME --neo4j`` adds around it, i.e. reading the
  stored ids to check the parameters and the ``:param`` defaults (best of ``--repeat``).

Usage: ``eval "$(scripts/neo4j-local --instance test env)"; python bench/bench_twins.py [--repeat 20]``
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import uuid
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench.bench_chains import BUYIN_PARAMS  # noqa: E402
from ptgraph.check import load_theory  # noqa: E402
from ptgraph.graph import build_graph, records  # noqa: E402
from ptgraph.load import apply, ensure_schema, plan, unload  # noqa: E402
from ptgraph.queries import QUERIES  # noqa: E402
from ptgraph.store import connect, is_loopback  # noqa: E402
from ptgraph.twins import read_twin, run_twin  # noqa: E402


def best(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = perf_counter()
        func()
        times.append(perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="best of this many runs")
    args = parser.parse_args()

    theory = load_theory(ROOT / "theory")
    theory = dataclasses.replace(theory, id=f"bench-{uuid.uuid4().hex[:8]}")
    G = build_graph(theory)
    with connect() as store:
        if not is_loopback(store.settings.uri):
            sys.exit(f"refusing to write to {store.settings.where}: it is not on this machine")
        ensure_schema(store)
        nodes, rels = records(theory)
        with store.transaction("could not store the benchmark theory") as tx:
            apply(tx, plan(nodes, rels, [], []), theory.id)
        try:
            print(f"buy-in theory on {store.server}; milliseconds, best of {args.repeat} "
                  "(first: one run, planning included)\n")
            print(f"{'query':<11} {'rows':>5} {'embedded':>9} {'first':>9} {'warm':>9} {'--neo4j':>9}")
            for name, query in QUERIES.items():
                parsed = query.parse(BUYIN_PARAMS.get(name, {}))
                twin = read_twin(name)
                params = {**twin.defaults(store), **parsed, "theory": theory.id}
                embedded = best(lambda: query.run(G, parsed), args.repeat)
                store.run_query_text("CALL db.clearQueryCaches()")
                start = perf_counter()
                rows = store.run_query_text(twin.query, params)
                first = perf_counter() - start
                assert rows == query.run(G, parsed), name
                warm = best(lambda: store.run_query_text(twin.query, params), args.repeat)
                cli = best(lambda: run_twin(store, query, parsed, theory.id), args.repeat)
                print(f"{name:<11} {len(rows):>5} {embedded * 1e3:>9.2f} {first * 1e3:>9.1f} "
                      f"{warm * 1e3:>9.2f} {cli * 1e3:>9.2f}")
        finally:
            unload(store, theory.id)


if __name__ == "__main__":
    main()
