"""ptgraph's benchmarks: a synthetic theory generator and a harness (``python -m bench.run``)."""
