"""ptgraph: programme theories for realist evaluation, kept as YAML, queried as a graph."""

__version__ = "0.1.0"

#: Version of the graph model written to Neo4j (docs/graph-model.md). Bump it
#: whenever nodes, labels, properties or relationships change, so that
#: ``ptgraph load`` reloads theories that were loaded by an older model.
GRAPH_MODEL_VERSION = 2

#: Version of the YAML theory format (the ``ptgraph:`` key of ``theory.yaml``).
FORMAT_VERSION = 1
