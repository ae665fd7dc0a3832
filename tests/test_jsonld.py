"""JSON-LD with SKOS: the vocabulary and a theory's mappings, parsed back with rdflib.

Every term, label, definition, broader/narrower/related link, middle-range theory and
mapping must come back from the RDF graph as the YAML says.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ptgraph.check import load_mapped_theory, load_vocabulary
from ptgraph.exporters import EXPORTERS
from ptgraph.exporters.jsonld import MATCH_PROPERTIES, export_jsonld
from ptgraph.model import Concept, Mapping, MiddleRangeTheory, Term, Theory, Vocabulary

rdflib = pytest.importorskip("rdflib")
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
VOCABULARY = ROOT / "examples" / "vocabulary"
PTGRAPH = rdflib.Namespace("https://ptgraph.dev/ns#")
BASE = "urn:ptgraph:"


def parse(data: bytes) -> "rdflib.Graph":
    g = rdflib.Graph()
    g.parse(data=data.decode("utf-8"), format="json-ld")
    return g


def node(scope: str, id: str) -> "rdflib.URIRef":
    return rdflib.URIRef(f"{BASE}{scope}/{id}")


def texts(g, subject, predicate) -> set[str]:
    return {str(o) for o in g.objects(subject, predicate)}


def ids(g, subject, predicate) -> set[str]:
    return {str(o).rsplit("/", 1)[1] for o in g.objects(subject, predicate)}


def check_vocabulary(g, v: Vocabulary) -> None:
    scheme = rdflib.URIRef(f"{BASE}{v.id}")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    assert texts(g, scheme, DCTERMS.title) == {v.title}
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert concepts == {node(v.id, t) for t in v.concepts}
    pairs = set(v.broader_pairs())
    for t in v.concepts.values():
        me = node(v.id, t.id)
        assert (me, SKOS.inScheme, scheme) in g
        assert texts(g, me, SKOS.prefLabel) == {t.label}
        assert texts(g, me, SKOS.altLabel) == set(t.alt)
        assert texts(g, me, SKOS.definition) == ({t.definition} if t.definition else set())
        assert ids(g, me, SKOS.broader) == {b for a, b in pairs if a == t.id}
        assert ids(g, me, SKOS.narrower) == {a for a, b in pairs if b == t.id}
        assert ids(g, me, PTGRAPH.drawsOn) == set(t.theories)
    related = {frozenset((str(a).rsplit("/", 1)[1], str(b).rsplit("/", 1)[1]))
               for a, b in g.subject_objects(SKOS.related)}
    assert related == {frozenset((t.id, o)) for t in v.concepts.values() for o in t.related}
    for m in v.theories.values():
        me = node(v.id, m.id)
        assert (me, RDF.type, PTGRAPH.MiddleRangeTheory) in g
        assert texts(g, me, RDFS.label) == {m.label}
        assert texts(g, me, DCTERMS.bibliographicCitation) == ({m.citation} if m.citation else set())


def test_the_example_vocabulary_round_trips():
    v = load_vocabulary(VOCABULARY)
    g = parse(EXPORTERS["jsonld"](v))
    check_vocabulary(g, v)
    assert len(set(g.subjects(RDF.type, SKOS.Concept))) == 25
    assert len(list(g.subject_objects(SKOS.broader))) == 6


@pytest.mark.parametrize("path", [ROOT / "theory", ROOT / "examples" / "deprescribing-review"])
def test_every_mapping_of_the_examples_round_trips(path):
    theory, v = load_mapped_theory(path)
    g = parse(export_jsonld(theory, v))
    want = {(node(theory.id, m.concept), SKOS[MATCH_PROPERTIES[match]], node(v.id, term))
            for m in theory.mappings.values() for match, term in m.matches}
    got = {(s, p, o) for p in (SKOS[x] for x in MATCH_PROPERTIES.values())
           for s, o in g.subject_objects(p)}
    assert got == want and len(want) >= 14
    for c in theory.concepts.values():
        assert texts(g, node(theory.id, c.id), SKOS.prefLabel) == {c.label}


def test_hostile_text_round_trips():
    odd = 'Quote " back\\slash\n@id {"x": 1} \u2028 <b>&amp;</b> é 🙂'
    v = Vocabulary("v", odd, description=odd, concepts={
        "a": Term("a", odd, alt=(odd, "@graph"), definition=odd, broader=("b",), related=("b",),
                  theories=("m",)),
        "b": Term("b", "B", narrower=("a",))},
        theories={"m": MiddleRangeTheory("m", odd, citation=odd)})
    check_vocabulary(parse(export_jsonld(v)), v)
    t = Theory("t", odd, concepts={"c": Concept("c", odd)},
               mappings={"c": Mapping("c", (("exact", "a"), ("related", "b")))})
    g = parse(export_jsonld(t, v))
    assert texts(g, node("t", "c"), SKOS.prefLabel) == {odd}
    assert ids(g, node("t", "c"), SKOS.exactMatch) == {"a"}
    with pytest.raises(ValueError, match="give its vocabulary"):
        export_jsonld(t)


def test_export_jsonld_command(ptgraph, tmp_path):
    out = tmp_path / "v.jsonld"
    run = ptgraph("export", "jsonld", VOCABULARY, "--base", "https://example.org/vocab/", "-o", out)
    assert run.code == 0, run
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["@graph"][0]["@id"] == "https://example.org/vocab/realist-core"
    run = ptgraph("export", "jsonld", ROOT / "theory")
    assert run.code == 0 and '"urn:ptgraph:realist-core/feeling-less-alone"' in run.out, run
