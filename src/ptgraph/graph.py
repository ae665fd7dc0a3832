"""The graph model (docs/graph-model.md), shared by the embedded engine and Neo4j.

:func:`records` turns a theory into plain node and relationship records. The
networkx graph (:func:`build_graph`) and the Neo4j loader are both built from
these records, so the two engines hold the same graph by construction, and
:func:`dump` gives the canonical form used to compare them.

Nodes are keyed by ``(label, id)``: ``("Concept", "feel-less-alone")``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable

import networkx as nx

from .gcpause import collector_paused
from .model import ROLES, Theory
from .schema import CONFIDENCE_COMPONENTS

#: Primary node labels; every node has exactly one, plus role labels for concepts.
NODE_LABELS = ("Theory", "Area", "Site", "Concept", "CMOC", "Evidence", "Pathway", "Source")
#: Extra labels a Concept gets for each role CMOCs give it.
ROLE_LABELS = {"intervention": "Intervention", "context": "Context", "actor": "Actor",
               "resource": "Resource", "mechanism": "Mechanism", "outcome": "Outcome"}
#: CMOC -> Concept relationship per role.
ROLE_RELS = {role: "HAS_" + role.upper() for role in ROLES}
REL_TYPES = ("HAS_CONTEXT", "HAS_MECHANISM", "HAS_OUTCOME", "TRIGGERS", "PRODUCES",
             "SUPPORTS", "REFUTES", "FROM_SITE", "IN_AREA", "OPPOSES", "REFINES", "STEP",
             "FROM_SOURCE", "HAS_RESOURCE", "HAS_INTERVENTION", "HAS_ACTOR")
#: CMOC property -> confidence component (``confidence.components``), flattened for Neo4j.
CONFIDENCE_PROPS = {c: "confidence_" + c.replace("-", "_") for c in CONFIDENCE_COMPONENTS}

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class NodeRecord:
    label: str  # the primary label
    labels: tuple[str, ...]  # all labels, primary first, then sorted role labels
    props: dict[str, Any]  # always holds "theory" and "id"

    @property
    def key(self) -> Key:
        return (self.label, self.props["id"])


@dataclass(frozen=True, slots=True)
class RelRecord:
    type: str
    start: Key
    end: Key
    props: dict[str, Any]  # always holds "theory"


def _props(theory_id: str, id: str, **values: Any) -> dict[str, Any]:
    # Neo4j stores no nulls and no empty lists reliably: leave absent values out.
    out = {"theory": theory_id, "id": id}
    out.update((k, v) for k, v in values.items() if v is not None and v != [] and v != ())
    return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}


def records(theory: Theory) -> tuple[list[NodeRecord], list[RelRecord]]:
    """Every node and relationship of the theory's graph, in a stable order."""
    t = theory.id
    nodes: list[NodeRecord] = []
    rels: list[RelRecord] = []

    def rel(type: str, start: Key, end: Key, **props: Any) -> None:
        rels.append(RelRecord(type, start, end, {"theory": t, **props}))

    nodes.append(NodeRecord("Theory", ("Theory",), _props(
        t, t, title=theory.title, description=theory.description, **theory.source)))
    for a in theory.areas.values():
        nodes.append(NodeRecord("Area", ("Area",), _props(t, a.id, label=a.label, description=a.description)))
    for s in theory.sites.values():
        nodes.append(NodeRecord("Site", ("Site",), _props(t, s.id, **s.attributes, label=s.label)))
    roles = theory.roles()
    for c in theory.concepts.values():
        labels = ("Concept",) + tuple(sorted(ROLE_LABELS[r] for r in roles.get(c.id, ())))
        nodes.append(NodeRecord("Concept", labels, _props(
            t, c.id, label=c.label, description=c.description, tags=c.tags)))
        for other in c.opposes:
            rel("OPPOSES", ("Concept", c.id), ("Concept", other))
    for m in theory.cmocs.values():
        # context_any only when true: absent means the contexts hold all together
        nodes.append(NodeRecord("CMOC", ("CMOC",), _props(
            t, m.id, statement=m.statement, status=m.status, notes=m.notes,
            context_any=True if m.context_any else None, **_confidence(m.confidence))))
        me = ("CMOC", m.id)
        rel("IN_AREA", me, ("Area", m.area))
        for role in ROLES:
            for order, cid in enumerate(m.concepts(role)):
                rel(ROLE_RELS[role], me, ("Concept", cid), cmoc=m.id, order=order)
        # the causal order (CMOC.causal_edges): context -> resource -> reasoning, or
        # context -> mechanism, each a TRIGGERS; mechanism -> outcome, a PRODUCES
        for c in m.context:
            for first in m.triggered:
                rel("TRIGGERS", ("Concept", c), ("Concept", first), cmoc=m.id)
        for r in m.resource:
            for mech in m.mechanism:
                rel("TRIGGERS", ("Concept", r), ("Concept", mech), cmoc=m.id)
        for mech in m.mechanism:
            for o in m.outcome:
                rel("PRODUCES", ("Concept", mech), ("Concept", o), cmoc=m.id)
        for other in m.refines:
            rel("REFINES", me, ("CMOC", other))
    for e in theory.evidence.values():
        nodes.append(NodeRecord("Evidence", ("Evidence",), _props(
            t, e.id, quote=e.quote, participant=e.participant, wave=e.wave, source=e.source_ref)))
        me = ("Evidence", e.id)
        for cid in e.supports:
            rel("SUPPORTS", me, ("CMOC", cid))
        for cid in e.refutes:
            rel("REFUTES", me, ("CMOC", cid))
        if e.site:
            rel("FROM_SITE", me, ("Site", e.site))
        if e.source_ref in theory.sources:
            rel("FROM_SOURCE", me, ("Source", e.source_ref))
    for src in theory.sources.values():
        nodes.append(NodeRecord("Source", ("Source",), _props(
            t, src.id, type=src.type, citation=src.citation, doi=src.doi, url=src.url,
            year=src.year, participant=src.participant, wave=src.wave)))
        if src.site:
            rel("FROM_SITE", ("Source", src.id), ("Site", src.site))
    for p in theory.pathways.values():
        nodes.append(NodeRecord("Pathway", ("Pathway",), _props(
            t, p.id, label=p.label, description=p.description)))
        for order, step in enumerate(p.steps):
            target = ("CMOC", step) if step in theory.cmocs else ("Concept", step)
            rel("STEP", ("Pathway", p.id), target, order=order)
    nodes.sort(key=lambda n: (NODE_LABELS.index(n.label), n.props["id"]))
    rels.sort(key=_rel_sort_key)
    return nodes, rels


def _confidence(confidence: Any) -> dict[str, Any]:
    # Neo4j stores no maps: confidence: {level, rationale, components} becomes flat properties.
    if confidence is None:
        return {}
    out = {"confidence": confidence.level, "confidence_rationale": confidence.rationale}
    out.update((CONFIDENCE_PROPS[k], v) for k, v in confidence.components)
    return out


def _rel_sort_key(r: RelRecord) -> tuple:
    return (r.type, r.start, r.end, sorted((k, str(v)) for k, v in r.props.items()))


def edge_key(type: str, props: dict[str, Any]) -> tuple:
    """The key of a relationship among those of the same type between two nodes."""
    return (type, props.get("cmoc"), props.get("order"))


def build_graph(theory: Theory) -> nx.MultiDiGraph:
    """The embedded engine's graph: a networkx MultiDiGraph of the graph model.

    Node keys are ``(label, id)``; node attributes are the node's properties
    plus ``labels``; edge attributes are the relationship's properties plus
    ``type``.

    >>> from ptgraph.model import Theory, Concept, CMOC, Area
    >>> t = Theory("t", "Tiny", areas={"a": Area("a", "A")},
    ...            concepts={i: Concept(i, i.upper()) for i in "cmo"},
    ...            cmocs={"X": CMOC("X", "a", "c -> m -> o", ("c",), ("m",), ("o",))})
    >>> G = build_graph(t)
    >>> G.nodes["Concept", "m"]["labels"]
    ('Concept', 'Mechanism')
    >>> sorted(d["type"] for _, _, d in G.out_edges(("Concept", "c"), data=True))
    ['TRIGGERS']
    """
    with collector_paused():
        nodes, rels = records(theory)
        G = nx.MultiDiGraph(theory=theory.id, title=theory.title)
        for n in nodes:
            G.add_node(n.key, labels=n.labels, **n.props)
        for r in rels:
            G.add_edge(r.start, r.end, key=edge_key(r.type, r.props), type=r.type, **r.props)
    return G


def dump(nodes: Iterable[tuple[tuple[str, ...], dict]], rels: Iterable[tuple[str, Key, Key, dict]]) -> dict:
    """Canonical, comparable form of a graph: sorted nodes and relationships.

    ``nodes`` are ``(labels, props)`` pairs; ``rels`` ``(type, start, end, props)``
    with ``(label, id)`` keys. Lists stay ordered; labels are sorted.
    """
    def norm(props: dict) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in sorted(props.items())}

    def order(item: Any) -> str:
        return json.dumps(item, sort_keys=True, ensure_ascii=False)

    out_nodes = [[sorted(labels), norm(props)] for labels, props in nodes]
    out_rels = [[type, list(start), list(end), norm(props)] for type, start, end, props in rels]
    return {"nodes": sorted(out_nodes, key=order), "relationships": sorted(out_rels, key=order)}


def dump_graph(G: nx.MultiDiGraph) -> dict:
    """:func:`dump` of an embedded graph."""
    def props(d: dict, bookkeeping: str) -> dict:
        # a node's own property may be called ``type`` (a source's type, a site attribute)
        return {k: v for k, v in d.items() if k != bookkeeping}

    return dump(((d["labels"], props(d, "labels")) for _, d in G.nodes(data=True)),
                ((d["type"], u, v, props(d, "type")) for u, v, d in G.edges(data=True)))
