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
from typing import TYPE_CHECKING, Any, Iterable

from .gcpause import collector_paused
from .model import ROLES, Theory, Vocabulary
from .schema import CONFIDENCE_COMPONENTS

if TYPE_CHECKING:  # networkx is imported where a graph is built: `ptgraph load` never needs it
    import networkx as nx

#: Primary node labels; every node has exactly one, plus role labels for concepts. The last
#: three are a shared vocabulary's (:func:`vocabulary_records`).
NODE_LABELS = ("Theory", "Area", "Site", "Concept", "CMOC", "Evidence", "Pathway", "Source",
               "Vocabulary", "Term", "MiddleRangeTheory")
#: Extra labels a Concept gets for each role CMOCs give it.
ROLE_LABELS = {"intervention": "Intervention", "context": "Context", "actor": "Actor",
               "resource": "Resource", "mechanism": "Mechanism", "outcome": "Outcome"}
#: CMOC -> Concept relationship per role.
ROLE_RELS = {role: "HAS_" + role.upper() for role in ROLES}
REL_TYPES = ("HAS_CONTEXT", "HAS_MECHANISM", "HAS_OUTCOME", "TRIGGERS", "PRODUCES",
             "SUPPORTS", "REFUTES", "FROM_SITE", "IN_AREA", "OPPOSES", "REFINES", "STEP",
             "FROM_SOURCE", "HAS_RESOURCE", "HAS_INTERVENTION", "HAS_ACTOR",
             "BROADER", "RELATED", "DRAWS_ON", "MAPS_TO")
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
        # the causal order: an arrow into an outcome produces it, any other triggers
        for _, a, head_role, b in m.causal_edges():
            rel("PRODUCES" if head_role == "outcome" else "TRIGGERS", ("Concept", a),
                ("Concept", b), cmoc=m.id)
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


def vocabulary_records(vocabulary: Vocabulary) -> tuple[list[NodeRecord], list[RelRecord]]:
    """Every node and relationship of a shared vocabulary's graph, in a stable order.

    A ``Vocabulary`` node, a ``Term`` per concept (``label`` its prefLabel, ``alt`` its
    altLabels, ``definition``), a ``MiddleRangeTheory`` per middle-range theory;
    ``BROADER`` from a term to each broader term (``broader:``, and ``narrower:`` read
    the other way, once per pair), ``RELATED`` as written (once per pair of terms,
    whichever way it was written first), ``DRAWS_ON`` from a term to its middle-range
    theories. Every node's and relationship's ``theory`` is the vocabulary id, which
    scopes it in a shared database as a theory id does.

    >>> from ptgraph.model import Term
    >>> v = Vocabulary("v", "V", concepts={"a": Term("a", "A", broader=("b",), related=("b",)),
    ...                                    "b": Term("b", "B", related=("a",))})
    >>> nodes, rels = vocabulary_records(v)
    >>> [n.key for n in nodes], [(r.type, r.start[1], r.end[1]) for r in rels]
    ([('Vocabulary', 'v'), ('Term', 'a'), ('Term', 'b')], [('BROADER', 'a', 'b'), ('RELATED', 'a', 'b')])
    """
    v = vocabulary.id
    nodes = [NodeRecord("Vocabulary", ("Vocabulary",), _props(
        v, v, title=vocabulary.title, description=vocabulary.description))]
    rels: list[RelRecord] = []
    for t in vocabulary.concepts.values():
        nodes.append(NodeRecord("Term", ("Term",), _props(
            v, t.id, label=t.label, alt=t.alt, definition=t.definition)))
        for mrt in t.theories:
            rels.append(RelRecord("DRAWS_ON", ("Term", t.id), ("MiddleRangeTheory", mrt),
                                  {"theory": v}))
    for m in vocabulary.theories.values():
        nodes.append(NodeRecord("MiddleRangeTheory", ("MiddleRangeTheory",), _props(
            v, m.id, label=m.label, description=m.description, citation=m.citation, doi=m.doi,
            url=m.url)))
    for narrower, broader in vocabulary.broader_pairs():
        rels.append(RelRecord("BROADER", ("Term", narrower), ("Term", broader), {"theory": v}))
    for a, b in vocabulary.related_pairs():
        rels.append(RelRecord("RELATED", ("Term", a), ("Term", b), {"theory": v}))
    nodes.sort(key=lambda n: (NODE_LABELS.index(n.label), n.props["id"]))
    rels.sort(key=_rel_sort_key)
    return nodes, rels


def mapping_records(theory: Theory) -> list[RelRecord]:
    """The ``MAPS_TO`` relationships of a theory's ``mappings:``: one from the concept to
    each term it maps to, ``{theory: the theory id, match: 'exact'|'close'|...}``.

    Their ends are ``Term`` nodes of the theory's vocabulary, which are not the theory's
    own: :func:`records` leaves them out, ``ptgraph load`` writes them when the vocabulary
    is loaded, and :func:`build_shared_graph` joins theories and vocabulary with them.

    >>> from ptgraph.model import Mapping
    >>> t = Theory("t", "T", mappings={"c": Mapping("c", (("exact", "x"), ("related", "y")))})
    >>> [(r.start, r.end, r.props["match"]) for r in mapping_records(t)]
    [(('Concept', 'c'), ('Term', 'x'), 'exact'), (('Concept', 'c'), ('Term', 'y'), 'related')]
    """
    rels = [RelRecord("MAPS_TO", ("Concept", m.concept), ("Term", term),
                      {"theory": theory.id, "match": match})
            for m in theory.mappings.values() for match, term in m.matches]
    rels.sort(key=_rel_sort_key)
    return rels


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
    """The key of a relationship among those of the same type between two nodes (a
    ``MAPS_TO`` is told apart by its match type, in the place of a CMOC id)."""
    return (type, props.get("cmoc", props.get("match")), props.get("order"))


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
    import networkx as nx

    with collector_paused():
        nodes, rels = records(theory)
        G = nx.MultiDiGraph(theory=theory.id, title=theory.title)
        for n in nodes:
            G.add_node(n.key, labels=n.labels, **n.props)
        for r in rels:
            G.add_edge(r.start, r.end, key=edge_key(r.type, r.props), type=r.type, **r.props)
    return G


#: A node key of the shared graph: ``(theory or vocabulary id, label, id)``.
SharedKey = tuple[str, str, str]


def build_shared_graph(theories: Iterable[Theory], vocabulary: Vocabulary | None = None
                       ) -> nx.MultiDiGraph:
    """One networkx graph of several theories and their shared vocabulary, as Neo4j holds
    them once each is loaded: every theory's :func:`records`, the vocabulary's
    :func:`vocabulary_records`, and each theory's ``MAPS_TO`` (:func:`mapping_records`)
    to the vocabulary's terms.

    Node keys are ``(theory id, label, id)`` — the scope first, since two theories may
    both have a concept ``feel-less-alone`` — and node attributes the node's properties
    plus ``labels``; edges as in :func:`build_graph`.

    Parameters
    ----------
    theories
        Theories that pass ``check``, with distinct ids.
    vocabulary
        The vocabulary their mappings map to; without it no ``MAPS_TO`` is drawn.

    Raises
    ------
    ValueError
        Two theories (or a theory and the vocabulary) share an id, or a mapping names a
        term the vocabulary lacks (``check`` reports it as E401).

    >>> from ptgraph.model import Term, Concept, Mapping
    >>> v = Vocabulary("v", "V", concepts={"x": Term("x", "X")})
    >>> t = Theory("t", "T", concepts={"c": Concept("c", "C")},
    ...            mappings={"c": Mapping("c", (("exact", "x"),))})
    >>> G = build_shared_graph([t], v)
    >>> [(u, w, d["match"]) for u, w, d in G.edges(data=True) if d["type"] == "MAPS_TO"]
    [(('t', 'Concept', 'c'), ('v', 'Term', 'x'), 'exact')]
    """
    import networkx as nx

    theories = list(theories)
    scopes = [t.id for t in theories] + ([vocabulary.id] if vocabulary is not None else [])
    if len(set(scopes)) != len(scopes):
        raise ValueError(f"theories and vocabulary need distinct ids, not {scopes}")
    G = nx.MultiDiGraph(theories=[t.id for t in theories],
                        vocabulary=vocabulary.id if vocabulary is not None else None)

    def add(scope: str, nodes: list[NodeRecord], rels: list[RelRecord]) -> None:
        for n in nodes:
            G.add_node((scope, *n.key), labels=n.labels, **n.props)
        for r in rels:
            G.add_edge((scope, *r.start), (scope, *r.end), key=edge_key(r.type, r.props),
                       type=r.type, **r.props)

    with collector_paused():
        if vocabulary is not None:
            add(vocabulary.id, *vocabulary_records(vocabulary))
        for theory in theories:
            add(theory.id, *records(theory))
            if vocabulary is None:
                continue
            for r in mapping_records(theory):
                end = (vocabulary.id, *r.end)
                if end not in G:
                    raise ValueError(f"theory {theory.id} maps '{r.start[1]}' to '{r.end[1]}', "
                                     f"which vocabulary {vocabulary.id} does not define")
                G.add_edge((theory.id, *r.start), end, key=edge_key(r.type, r.props),
                           type=r.type, **r.props)
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
