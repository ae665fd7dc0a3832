"""A shared vocabulary, or a theory's mappings, as JSON-LD with SKOS.

Linked-data stores, SKOS editors (Skosmos, VocBench) and RDF libraries read it.

- A **vocabulary** is a ``skos:ConceptScheme``; each term a ``skos:Concept`` in it
  (``skos:inScheme``) with ``skos:prefLabel``, ``skos:altLabel``,
  ``skos:definition``, ``skos:broader`` and ``skos:narrower`` (both directions of
  every broader pair, as SKOS advises), ``skos:related`` (once per pair, as written
  first); each middle-range theory a ``ptgraph:MiddleRangeTheory`` with
  ``rdfs:label``, ``dct:description`` and ``dct:bibliographicCitation``, which
  terms point at with ``ptgraph:drawsOn``.
- A **theory** is a ``skos:ConceptScheme`` of its concepts (``skos:prefLabel``,
  ``skos:definition`` from the description), each mapped concept with SKOS's
  mapping properties (``skos:exactMatch``, ``closeMatch``, ``broadMatch``,
  ``narrowMatch``, ``relatedMatch``) to the IRIs of its vocabulary's terms.

IRIs are ``BASE + scope + "/" + id`` (the scheme: ``BASE + scope``), the scope
being the vocabulary or theory id; ids are plain (``[A-Za-z0-9][A-Za-z0-9_.-]*``),
so every IRI is valid. The default base is a URN; give a team's own with ``base``.
The document is built as data and written with :mod:`json`: no text is pasted
into it.
"""

from __future__ import annotations

import json
from typing import Any

from ..model import Theory, Vocabulary

DEFAULT_BASE = "urn:ptgraph:"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
PTGRAPH = "https://ptgraph.dev/ns#"
#: A mapping's match type -> its SKOS mapping property.
MATCH_PROPERTIES = {"exact": "exactMatch", "close": "closeMatch", "broader": "broadMatch",
                    "narrower": "narrowMatch", "related": "relatedMatch"}

_IRI = {"@type": "@id"}
CONTEXT: dict[str, Any] = {
    "skos": SKOS, "dct": DCT, "rdfs": RDFS, "ptgraph": PTGRAPH,
    "prefLabel": "skos:prefLabel",
    "altLabel": {"@id": "skos:altLabel", "@container": "@set"},
    "definition": "skos:definition",
    "inScheme": {"@id": "skos:inScheme", **_IRI},
    "broader": {"@id": "skos:broader", **_IRI, "@container": "@set"},
    "narrower": {"@id": "skos:narrower", **_IRI, "@container": "@set"},
    "related": {"@id": "skos:related", **_IRI, "@container": "@set"},
    **{prop: {"@id": f"skos:{prop}", **_IRI, "@container": "@set"}
       for prop in MATCH_PROPERTIES.values()},
    "title": "dct:title",
    "description": "dct:description",
    "citation": "dct:bibliographicCitation",
    "doi": "ptgraph:doi",
    "url": {"@id": "rdfs:seeAlso", **_IRI},
    "label": "rdfs:label",
    "drawsOn": {"@id": "ptgraph:drawsOn", **_IRI, "@container": "@set"},
    "notation": "skos:notation",
}


def iri(base: str, scope: str, id: str | None = None) -> str:
    """The IRI of a scheme (``id`` None) or of one of its concepts.

    >>> iri("urn:ptgraph:", "realist-core", "coping")
    'urn:ptgraph:realist-core/coping'
    """
    return f"{base}{scope}" if id is None else f"{base}{scope}/{id}"


def _clean(node: dict[str, Any]) -> dict[str, Any]:
    # absent values and empty lists say nothing: leave them out, as the graph model does
    return {k: v for k, v in node.items() if v is not None and v != []}


def vocabulary_document(vocabulary: Vocabulary, base: str = DEFAULT_BASE) -> dict[str, Any]:
    """The JSON-LD document (a dict) of a vocabulary."""
    v = vocabulary.id
    scheme = iri(base, v)
    broader: dict[str, list[str]] = {}
    narrower: dict[str, list[str]] = {}
    for low, high in vocabulary.broader_pairs():
        broader.setdefault(low, []).append(iri(base, v, high))
        narrower.setdefault(high, []).append(iri(base, v, low))
    related: dict[str, list[str]] = {}
    for a, b in vocabulary.related_pairs():
        related.setdefault(a, []).append(iri(base, v, b))
    graph: list[dict[str, Any]] = [_clean({
        "@id": scheme, "@type": "skos:ConceptScheme", "title": vocabulary.title,
        "description": vocabulary.description, "notation": v})]
    for t in vocabulary.concepts.values():
        graph.append(_clean({
            "@id": iri(base, v, t.id), "@type": "skos:Concept", "inScheme": scheme,
            "notation": t.id, "prefLabel": t.label, "altLabel": list(t.alt),
            "definition": t.definition, "broader": broader.get(t.id, []),
            "narrower": narrower.get(t.id, []), "related": related.get(t.id, []),
            "drawsOn": [iri(base, v, m) for m in t.theories if m in vocabulary.theories]}))
    for m in vocabulary.theories.values():
        graph.append(_clean({
            "@id": iri(base, v, m.id), "@type": "ptgraph:MiddleRangeTheory", "notation": m.id,
            "label": m.label, "description": m.description, "citation": m.citation,
            "doi": m.doi, "url": m.url}))
    return {"@context": CONTEXT, "@graph": graph}


def theory_document(theory: Theory, vocabulary: Vocabulary | None = None,
                    base: str = DEFAULT_BASE) -> dict[str, Any]:
    """The JSON-LD document of a theory's concepts and their mappings to ``vocabulary``.

    Raises
    ------
    ValueError
        The theory has mappings and no vocabulary is given (their targets need its id).
    """
    if theory.mappings and vocabulary is None:
        raise ValueError(f"theory {theory.id} maps its concepts: give its vocabulary")
    t = theory.id
    scheme = iri(base, t)
    graph: list[dict[str, Any]] = [_clean({
        "@id": scheme, "@type": "skos:ConceptScheme", "title": theory.title,
        "description": theory.description, "notation": t})]
    for c in theory.concepts.values():
        node: dict[str, Any] = {"@id": iri(base, t, c.id), "@type": "skos:Concept",
                                "inScheme": scheme, "notation": c.id, "prefLabel": c.label,
                                "definition": c.description}
        mapping = theory.mappings.get(c.id)
        if mapping is not None and vocabulary is not None:
            for match, term in mapping.matches:
                node.setdefault(MATCH_PROPERTIES[match], []).append(iri(base, vocabulary.id, term))
        graph.append(_clean(node))
    return {"@context": CONTEXT, "@graph": graph}


def export_jsonld(model: Theory | Vocabulary, vocabulary: Vocabulary | None = None, *,
                  base: str = DEFAULT_BASE) -> bytes:
    """A vocabulary, or a theory with its mappings, as JSON-LD (UTF-8 bytes, 2-space indent).

    Parameters
    ----------
    model
        A :class:`Vocabulary`, or a :class:`Theory` that passes ``check``.
    vocabulary
        A theory's vocabulary, for the IRIs its mappings point at.
    base
        The IRI every scheme and concept IRI starts with.
    """
    doc = (vocabulary_document(model, base) if isinstance(model, Vocabulary)
           else theory_document(model, vocabulary, base))
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
