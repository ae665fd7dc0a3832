"""``ptgraph export graphml``: the theory's graph as GraphML, for Gephi, yEd and Cytoscape.

The file is the graph model of ``docs/graph-model.md`` (:func:`ptgraph.graph.records`,
the graph both query engines use), written with networkx's GraphML writer. GraphML has
typed attributes but no lists and no multiple labels, so:

* a node's GraphML id is ``LABEL:ID`` (``Concept:feel-less-alone``, ``CMOC:EN4``);
* ``kind`` is its primary label (``Concept``, ``CMOC``, ``Evidence``, ...) and, on a
  concept, ``roles`` its role labels (``["Context", "Mechanism"]``, JSON text);
* every property is an attribute of its own name and type (text ``string``, whole
  numbers ``long``, decimals ``double``, true/false ``boolean``); a list (a concept's
  ``tags``, a site attribute written as a list) is JSON text, and the node's ``lists``
  names those attributes (``["tags"]``), so a reader knows to decode them;
* ``label`` is what Gephi and yEd show: the node's own label where it has one (areas,
  sites, concepts, pathways), else the theory's title or the node's id;
* an edge's ``type`` is its relationship type (``TRIGGERS``, ``HAS_CONTEXT``, ...) and its
  ``label`` the same, for display; ``cmoc`` and ``order`` are kept where the model has them.

:func:`read_graphml` reverses all of it: a file read back with networkx's reader gives
the nodes, labels, relationships and properties :func:`ptgraph.graph.build_graph` holds.
Text XML cannot hold (most C0 control characters, U+FFFE, U+FFFF) is refused with the
place it is written, as ``export codebook`` does, never altered.
"""

from __future__ import annotations

import io
import json
from typing import Any

import networkx as nx

from ..chars import char_name, xml_forbidden
from ..errors import UsageError
from ..graph import Key, NodeRecord, RelRecord, dump, records
from ..model import Theory

#: Node attributes the file adds to the model's properties (a site attribute may not use them).
BOOKKEEPING = ("kind", "roles", "lists")
#: Kinds of node whose ``label`` property is their own (for the others it is for display only).
OWN_LABEL = ("Area", "Site", "Concept", "Pathway")
#: Primary label -> the theory section its nodes come from, for messages.
SECTIONS = {"Area": "areas", "Site": "sites", "Concept": "concepts", "CMOC": "cmocs",
            "Evidence": "evidence", "Pathway": "pathways", "Source": "sources"}


def node_id(key: Key) -> str:
    """The GraphML id of a node of the model.

    >>> node_id(("Concept", "feel-less-alone"))
    'Concept:feel-less-alone'
    """
    return f"{key[0]}:{key[1]}"


def node_key(graphml_id: str) -> Key:
    """The model's ``(label, id)`` of a GraphML node id (:func:`node_id` reversed).

    >>> node_key("CMOC:EN4")
    ('CMOC', 'EN4')
    """
    label, _, ident = graphml_id.partition(":")
    return (label, ident)


def _display(node: NodeRecord) -> str:
    props = node.props
    if node.label in OWN_LABEL:
        return props["label"]
    return props.get("title", props["id"]) if node.label == "Theory" else props["id"]


def _where(theory: Theory, node: NodeRecord, prop: str) -> str:
    """``path:line:col`` of a node's property in the theory's files, for messages."""
    section = SECTIONS.get(node.label)
    if section is not None:
        keys = ("confidence",) if prop.startswith("confidence") else (prop,)
        path, line, col = theory.mark(section, node.props["id"], *keys)
        return f"{path}:{line}:{col}"
    manifest = next((d for d in theory.documents.values()
                     if isinstance(d.data, dict) and "theory" in d.data), None)
    if manifest is None:
        return str(theory.root)
    keys = ("theory", prop) if prop in ("id", "title", "description") else ("theory", "source", prop)
    line, col = manifest.mark(*keys)
    return f"{manifest.path}:{line}:{col}"


def _check_text(theory: Theory, node: NodeRecord, prop: str, value: Any) -> None:
    for text in value if isinstance(value, list) else [value]:
        bad = xml_forbidden(text) if isinstance(text, str) else None
        if bad is not None:
            what = "the theory" if node.label == "Theory" else f"{node.label} '{node.props['id']}'"
            raise UsageError(f"{_where(theory, node, prop)}: {what} has {char_name(bad)} in its "
                             f"{prop}, which GraphML (XML) cannot hold; replace it with a space "
                             "or a line break")


def _node_data(theory: Theory, node: NodeRecord) -> dict[str, Any]:
    data: dict[str, Any] = {"label": _display(node), "kind": node.label}
    if node.label == "Concept":
        data["roles"] = json.dumps(list(node.labels[1:]))
    lists = []
    for prop, value in node.props.items():
        if prop in BOOKKEEPING:  # only a site's free attribute can be named so
            path, line, col = theory.mark("sites", node.props["id"], prop)
            raise UsageError(f"{path}:{line}:{col}: site '{node.props['id']}' has an attribute "
                             f"'{prop}', a name GraphML export keeps for the node's "
                             f"{', '.join(BOOKKEEPING[:-1])} and {BOOKKEEPING[-1]}; rename the attribute to export")
        _check_text(theory, node, prop, value)
        if isinstance(value, list):
            lists.append(prop)
            value = json.dumps(value, ensure_ascii=False)
        data[prop] = value
    if lists:
        data["lists"] = json.dumps(lists)
    return data


def graphml_graph(theory: Theory) -> nx.MultiDiGraph:
    """The graph as written to GraphML: string node ids, attributes as the module says.

    Edges are keyed ``e0``, ``e1``, ... in the model's order, which becomes their GraphML id.
    """
    nodes, rels = records(theory)
    G = nx.MultiDiGraph(theory=theory.id)
    for node in nodes:
        G.add_node(node_id(node.key), **_node_data(theory, node))
    for n, rel in enumerate(rels):
        G.add_edge(node_id(rel.start), node_id(rel.end), key=f"e{n}", label=rel.type,
                   type=rel.type, **rel.props)
    return G


def export_graphml(theory: Theory) -> bytes:
    """The theory's graph as a GraphML file (UTF-8), as the module docstring describes.

    Parameters
    ----------
    theory : Theory
        A theory that passes ``check``.

    Returns
    -------
    bytes
        The file's content; the same theory always gives the same bytes.

    Raises
    ------
    UsageError
        A text holds a character XML cannot hold, or a site attribute is named ``kind``,
        ``roles`` or ``lists``.
    """
    out = io.BytesIO()
    nx.write_graphml_lxml(graphml_graph(theory), out, encoding="utf-8", prettyprint=True)
    return out.getvalue()


def read_graphml(source: str | bytes | io.IOBase) -> tuple[list[NodeRecord], list[RelRecord]]:
    """The model's nodes and relationships from a file :func:`export_graphml` wrote.

    Reads with networkx's GraphML reader, then undoes what the module docstring
    describes (display labels, ``kind``, ``roles``, ``lists``, JSON lists).

    Parameters
    ----------
    source : path, bytes or file
        The GraphML file, or its content.

    Returns
    -------
    tuple of (list of NodeRecord, list of RelRecord)
        As :func:`ptgraph.graph.records` gives them (not in its order).
    """
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    G = nx.read_graphml(source, force_multigraph=True)
    nodes, rels = [], []
    try:
        for ident, data in G.nodes(data=True):
            data = dict(data)
            kind = data.pop("kind")
            roles = tuple(json.loads(data.pop("roles", "[]")))
            for prop in json.loads(data.pop("lists", "[]")):
                data[prop] = json.loads(data[prop])
            if kind not in OWN_LABEL:
                del data["label"]
            nodes.append(NodeRecord(kind, (kind, *roles), data))
        for start, end, data in G.edges(data=True):
            data = {k: v for k, v in data.items() if k != "label"}
            rels.append(RelRecord(data.pop("type"), node_key(start), node_key(end), data))
    except (KeyError, TypeError, ValueError) as exc:
        raise UsageError(f"not a GraphML file of ptgraph's: {type(exc).__name__} {exc}") from None
    return nodes, rels


def dump_graphml(source: str | bytes | io.IOBase) -> dict:
    """:func:`ptgraph.graph.dump` of a GraphML file, to compare with
    :func:`ptgraph.graph.dump_graph` of the theory it came from."""
    nodes, rels = read_graphml(source)
    return dump(((n.labels, n.props) for n in nodes), ((r.type, r.start, r.end, r.props) for r in rels))


__all__ = ["BOOKKEEPING", "dump_graphml", "export_graphml", "graphml_graph",
           "node_id", "node_key", "read_graphml"]
