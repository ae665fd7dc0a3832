"""The theory format, version 1, as data: every section, field, type and reference.

This table is the single description of the format. The structural rules
(unknown key, missing key, wrong type, bad value, unknown reference) read it,
the model builder reads it, and :func:`json_schema` turns it into the JSON
Schema that editors use, so the three cannot drift apart.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from . import values

ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.-]*"
ID_RE = re.compile(ID_PATTERN + r"\Z")
STATUSES = ("new", "confirmed", "refined", "refuted")
WAVES = ("interview", "follow-up", "observation")
SOURCE_TYPES = ("interview", "observation", "document", "study", "report", "other")
CONFIDENCE_LEVELS = ("high", "moderate", "low", "very-low")
#: GRADE-CERQual's four components, adapted to CMOCs: ``confidence.components``.
CONFIDENCE_COMPONENTS = ("methodological-limitations", "coherence", "adequacy", "relevance")
#: SKOS's mapping relations, as a theory's ``mappings:`` name them, strongest first.
MATCH_TYPES = ("exact", "close", "broader", "narrower", "related")
SCHEMA_ID = "https://ptgraph.dev/schema/ptgraph-theory-v1.json"
#: Graph properties every node carries, so a free attribute (of a site) cannot take their names.
RESERVED_ATTRIBUTES = ("id", "theory", "labels")
#: The key of a context that holds alternatives: ``context: {any: [a, b]}``.
ANY = "any"

# Field kinds:
#   text    a string
#   int     an integer
#   id      one id
#   ids     one id or a list of ids (mechanism, outcome)
#   context one id, a list of ids (all of them), or {any: [ids]} (any one of them)
#   idlist  a list of ids
#   strlist a list of strings
#   enum    one of Field.enum
#   attr    a free attribute: a scalar or a list of scalars
#   map     a nested mapping with its own fields


@dataclass(frozen=True)
class Field:
    kind: str
    required: bool = False
    ref: tuple[str, ...] = ()
    enum: tuple[str, ...] = ()
    doc: str = ""
    fields: dict[str, "Field"] | None = None


@dataclass(frozen=True)
class Section:
    """A top-level mapping of id -> entry."""

    name: str
    noun: str
    fields: dict[str, Field]
    doc: str
    shorthand: str | None = None  # an entry may be just a string: this field's value
    free: bool = False  # entries may carry attributes beyond ``fields``


def _f(kind: str, doc: str, **kw: Any) -> Field:
    return Field(kind, doc=doc, **kw)


SECTIONS: dict[str, Section] = {s.name: s for s in (
    Section("areas", "area", {
        "label": _f("text", "Short name of the area, as in the paper's table.", required=True),
        "description": _f("text", "What the area covers."),
    }, "Areas group CMOCs, as the rows of a CMOC table do.", shorthand="label"),
    Section("sites", "site", {
        "label": _f("text", "Name of the site.", required=True),
    }, "Sites where evidence was gathered; any further key is a free attribute "
       "(deprivation, region, ...) usable in queries.", free=True),
    Section("sources", "source", {
        "type": _f("enum", "What kind of source it is.", required=True, enum=SOURCE_TYPES),
        "citation": _f("text", "How to cite the source (or name it, for a transcript).",
                       required=True),
        "doi": _f("text", "DOI of the source, as text."),
        "url": _f("text", "Link to the source."),
        "year": _f("int", "Year of the source, a whole number."),
        "site": _f("id", "Site the source comes from.", ref=("sites",)),
        "participant": _f("text", "Participant code, for a transcript."),
        "wave": _f("enum", "How the data were collected.", enum=WAVES),
    }, "The sources evidence comes from: transcripts, observations, documents, included "
       "studies and reports. Evidence points at one with `source: ID`."),
    Section("concepts", "concept", {
        "label": _f("text", "Short label for figures (a few words).", required=True),
        "description": _f("text", "Longer wording."),
        "opposes": _f("idlist", "Concepts that are the opposite of this one.", ref=("concepts",)),
        "tags": _f("strlist", "Free tags."),
    }, "Contexts, mechanisms and outcomes. A concept's role comes from how CMOCs use it.",
       shorthand="label"),
    Section("cmocs", "CMOC", {
        "area": _f("id", "The area this CMOC belongs to.", required=True, ref=("areas",)),
        "statement": _f("text", "The published wording of the configuration.", required=True),
        "context": _f("context", "Context concept id(s): one id, a list (all of them), or "
                      "{any: [ids]} (any one of two or more).", ref=("concepts",)),
        "resource": _f("ids", "Mechanism resource concept id(s): what the programme introduces, "
                       "which triggers the reasoning in the context (context -> resource -> "
                       "reasoning -> outcome).", ref=("concepts",)),
        "mechanism": _f("ids", "Mechanism concept id(s); with `resource`, the reasoning "
                        "(response) the resource triggers.", ref=("concepts",)),
        "outcome": _f("ids", "Outcome concept id(s).", ref=("concepts",)),
        "intervention": _f("ids", "Intervention concept id(s): what is implemented (ICAMO).",
                           ref=("concepts",)),
        "actor": _f("ids", "Actor concept id(s): whose reasoning the mechanism is (ICAMO).",
                    ref=("concepts",)),
        "status": _f("enum", "Where the CMOC stands in testing the theory.", enum=STATUSES),
        "refines": _f("idlist", "CMOCs this one refines.", ref=("cmocs",)),
        "notes": _f("text", "Free notes."),
        "confidence": _f("map", "How far the team trusts this CMOC, and why.", fields={
            "level": _f("enum", "Overall confidence.", required=True, enum=CONFIDENCE_LEVELS),
            "rationale": _f("text", "Why this level."),
            "components": _f("map", "GRADE-CERQual's components, adapted to CMOCs: a short "
                             "assessment each.", fields={
                name: _f("text", doc) for name, doc in zip(CONFIDENCE_COMPONENTS, (
                    "Methodological limitations of the sources.",
                    "Coherence of the evidence with the configuration.",
                    "Adequacy: richness and quantity of the evidence.",
                    "Relevance of the evidence to the configuration."))}),
        }),
    }, "Context-mechanism-outcome configurations."),
    Section("evidence", "evidence item", {
        "quote": _f("text", "The verbatim quote.", required=True),
        "participant": _f("text", "Participant code."),
        "site": _f("id", "Site the participant belongs to.", ref=("sites",)),
        "wave": _f("enum", "How the data were collected.", enum=WAVES),
        "supports": _f("idlist", "CMOCs this quote supports.", required=True, ref=("cmocs",)),
        "refutes": _f("idlist", "CMOCs this quote refutes.", ref=("cmocs",)),
        "source": _f("text", "The id of a source in `sources:` the quote comes from; any other "
                     "text says where in the source the quote appears, as before."),
    }, "Quotes and observations, each linked to the CMOCs it supports or refutes."),
    Section("pathways", "pathway", {
        "label": _f("text", "Name of the pathway.", required=True),
        "description": _f("text", "What the pathway shows."),
        "steps": _f("idlist", "Concept or CMOC ids, in order.", required=True,
                    ref=("concepts", "cmocs")),
    }, "Ordered pathways through the theory, as in a programme theory figure."),
    # The references of a mapping point outside the theory (its key is a concept, its
    # values terms of the vocabulary): E401 checks both against the vocabulary, so no `ref`.
    Section("mappings", "mapping", {
        match: _f("ids", doc) for match, doc in zip(MATCH_TYPES, (
            "skos:exactMatch: the vocabulary term(s) this concept means exactly.",
            "skos:closeMatch: term(s) close enough to use in place of the concept.",
            "skos:broadMatch: term(s) broader than the concept.",
            "skos:narrowMatch: term(s) narrower than the concept.",
            "skos:relatedMatch: term(s) related to the concept."))
    }, "How the theory's concepts map to the terms of its vocabulary (SKOS match types): "
       "concept id -> match type -> vocabulary term id(s)."),
)}

SOURCE_FIELDS = {
    "citation": _f("text", "How to cite the source."),
    "doi": _f("text", "DOI of the source."),
    "url": _f("text", "Link to the source."),
    "licence": _f("text", "Licence of the source material."),
}
THEORY_FIELDS = {
    "id": _f("id", "Theory id; scopes the theory in a shared Neo4j database.", required=True),
    "title": _f("text", "Title of the theory.", required=True),
    "description": _f("text", "What the theory explains."),
    "source": _f("map", "The publication the theory comes from.", fields=SOURCE_FIELDS),
    "vocabulary": _f("text", "Path of the shared vocabulary the theory's `mappings:` map to, "
                     "relative to the theory directory (`--vocabulary DIR` overrides it)."),
}
#: The field of a free attribute (a site's): a value or a list of values (:mod:`ptgraph.values`).
ATTRIBUTE = Field("attr")
#: Top-level keys of ``theory.yaml``.
MANIFEST_FIELDS = {
    "ptgraph": _f("int", "Format version; must be 1.", required=True),
    "theory": _f("map", "The theory's identity.", required=True, fields=THEORY_FIELDS),
}
#: Top-level keys any theory file may hold (``theory.yaml`` adds ``theory``).
TOP_LEVEL = ("ptgraph", *SECTIONS)

# --- The shared vocabulary ----------------------------------------------------------
# A directory of its own, read and checked like a theory directory through the same
# tables: SKOS concepts ("terms" in the graph) and the middle-range theories they draw on.

VOCABULARY_SECTIONS: dict[str, Section] = {s.name: s for s in (
    Section("concepts", "term", {
        "label": _f("text", "skos:prefLabel: the preferred label.", required=True),
        "alt": _f("strlist", "skos:altLabel: other labels teams use for it."),
        "definition": _f("text", "skos:definition: what the term means."),
        "broader": _f("idlist", "skos:broader: terms of this vocabulary this one is a kind of.",
                      ref=("concepts",)),
        "narrower": _f("idlist", "skos:narrower: terms that are kinds of this one (the inverse "
                       "of broader; optional).", ref=("concepts",)),
        "related": _f("idlist", "skos:related: terms associated with this one.",
                      ref=("concepts",)),
        "theories": _f("idlist", "Middle-range theories the term draws on.",
                       ref=("middle-range-theories",)),
    }, "The vocabulary's concepts (SKOS concepts), keyed by id.", shorthand="label"),
    Section("middle-range-theories", "middle-range theory", {
        "label": _f("text", "Name of the theory (therapeutic alliance, social capital, ...).",
                    required=True),
        "description": _f("text", "What the theory says, in a sentence or two."),
        "citation": _f("text", "The work to cite for it."),
        "doi": _f("text", "DOI of that work, as text."),
        "url": _f("text", "Link to that work."),
    }, "Middle-range theories the vocabulary's terms draw on.", shorthand="label"),
)}
VOCABULARY_FIELDS = {
    "id": _f("id", "Vocabulary id; scopes it in a shared Neo4j database, as a theory id does.",
             required=True),
    "title": _f("text", "Title of the vocabulary.", required=True),
    "description": _f("text", "What the vocabulary covers."),
}
#: Top-level keys of ``vocabulary.yaml``.
VOCABULARY_MANIFEST_FIELDS = {
    "ptgraph-vocabulary": _f("int", "Vocabulary format version; must be 1.", required=True),
    "vocabulary": _f("map", "The vocabulary's identity.", required=True, fields=VOCABULARY_FIELDS),
}


@dataclass(frozen=True)
class Format:
    """One kind of ptgraph directory: its manifest and its sections.

    The structural rules (E101-E107, E201) and the model builders read a
    directory through its format, so a theory and a vocabulary are checked by
    the same code against their own tables.
    """

    kind: str  # "theory" or "vocabulary"
    manifest: str  # the manifest's file name
    version_key: str  # the manifest's format-version key
    header_key: str  # the manifest's identity mapping
    manifest_fields: dict[str, Field]
    sections: dict[str, Section]

    @property
    def top_level(self) -> tuple[str, ...]:
        """Keys any file of the directory may hold (the manifest adds ``header_key``)."""
        return (self.version_key, *self.sections)


THEORY_FORMAT = Format("theory", "theory.yaml", "ptgraph", "theory", MANIFEST_FIELDS, SECTIONS)
VOCABULARY_FORMAT = Format("vocabulary", "vocabulary.yaml", "ptgraph-vocabulary", "vocabulary",
                           VOCABULARY_MANIFEST_FIELDS, VOCABULARY_SECTIONS)
FORMATS = {f.kind: f for f in (THEORY_FORMAT, VOCABULARY_FORMAT)}


def _scalar(value: Any) -> bool:
    return values.kind(value) is not None


def type_ok(f: Field, value: Any) -> bool:
    """Does ``value`` have the type field ``f`` asks for? (Values are not checked.)"""
    kind = f.kind
    if kind == "text":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind in ("id", "enum"):
        return isinstance(value, str)
    if kind == "ids":
        return isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value))
    if kind in ("idlist", "strlist"):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "context":  # how many ids `any` holds is wrong-type's (E104) own check
        if isinstance(value, dict):
            return set(value) == {ANY} and type_ok(Field("idlist"), value[ANY])
        return type_ok(Field("ids"), value)
    if kind == "attr":  # null is a value here, so that unstorable-value (E108) can say why not
        return value is None or _scalar(value) or (
            isinstance(value, list) and all(v is None or _scalar(v) for v in value))
    if kind == "map":
        return isinstance(value, dict)
    raise ValueError(kind)  # pragma: no cover


TYPE_NAMES = {
    "text": "text", "int": "a whole number", "id": "an id", "enum": "one of the allowed words",
    "ids": "an id or a list of ids", "idlist": "a list of ids",
    "context": "an id, a list of ids or {any: [ids]}", "strlist": "a list of strings",
    "attr": "a value or a list of values", "map": "a mapping",
}


def is_any(value: Any) -> bool:
    """Is a ``context`` value the alternatives form ``{any: [...]}``?

    >>> is_any({"any": ["a", "b"]}), is_any(["a", "b"]), is_any("a")
    (True, False, False)
    """
    return isinstance(value, dict) and ANY in value


def as_ids(value: Any) -> tuple[str, ...]:
    """An ``id``/``ids``/``idlist``/``context`` value as a tuple of ids ('' and non-strings dropped).

    >>> as_ids({"any": ["a", "b"]}), as_ids(["a", ""]), as_ids("a")
    (('a', 'b'), ('a',), ('a',))
    """
    if is_any(value):
        value = value[ANY]
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str) and v)
    return ()


_TEXT_KINDS = frozenset(("text", "id", "enum"))
_LIST_KINDS = frozenset(("ids", "context", "idlist", "strlist"))


def _written(texts: dict[tuple, str], keys: tuple, value: Any, kind: str) -> Any:
    if kind == "context" and isinstance(value, dict):
        return {k: _written(texts, keys + (k,), v, "idlist") if k == ANY else v
                for k, v in value.items()}
    if kind in _TEXT_KINDS or (kind in ("ids", "context") and not isinstance(value, list)):
        return texts.get(keys, value)
    if kind in _LIST_KINDS and isinstance(value, list):
        return [texts.get(keys + (i,), v) for i, v in enumerate(value)]
    return value


def _written_fields(texts: dict[tuple, str], keys: tuple, mapping: dict,
                    fields: dict[str, Field]) -> None:
    for name, f in fields.items():
        if name in mapping:
            if f.kind == "map" and isinstance(mapping[name], dict):
                _written_fields(texts, keys + (name,), mapping[name], f.fields or {})
            else:
                mapping[name] = _written(texts, keys + (name,), mapping[name], f.kind)


def as_written(documents: list[Any], fmt: Format = THEORY_FORMAT) -> None:
    """Give every field that takes text (a label, an id, a list of ids) its text as written.

    The loader reads ``label: 2024`` as a number and ``context: [true]`` as a
    boolean; a label or an id is text, so such values become the text the
    researcher wrote (``Document.texts``). Free attributes keep their types.
    Changes the documents' data in place; a no-op for files without such values.
    """
    for doc in documents:
        texts, data = doc.texts, doc.data
        if not texts or not isinstance(data, dict):
            continue
        _written_fields(texts, (), data, fmt.manifest_fields)
        for section in fmt.sections.values():
            entries = data.get(section.name)
            if not isinstance(entries, dict):
                continue
            for key, entry in entries.items():
                keys = (section.name, key)
                if isinstance(entry, dict):
                    _written_fields(texts, keys, entry, section.fields)
                elif section.shorthand:
                    entries[key] = texts.get(keys, entry)


def entry_fields(section: Section, entry: Any) -> dict[str, Any]:
    """An entry as a mapping, expanding the string shorthand (``id: label``)."""
    if isinstance(entry, str) and section.shorthand:
        return {section.shorthand: entry}
    return entry if isinstance(entry, dict) else {}


# --- JSON Schema --------------------------------------------------------------------

def _field_schema(f: Field) -> dict[str, Any]:
    id_schema = {"type": "string", "pattern": f"^{ID_PATTERN}$"}
    kind = f.kind
    if kind == "text":
        out: dict[str, Any] = {"type": "string"}
    elif kind == "int":
        out = {"type": "integer"}
    elif kind == "id":
        out = dict(id_schema)
    elif kind == "enum":
        out = {"enum": list(f.enum)}
    elif kind == "ids":
        out = {"oneOf": [dict(id_schema), {"type": "array", "items": dict(id_schema), "minItems": 1}]}
    elif kind == "context":  # the forms of "ids", and the alternatives
        out = {"oneOf": _field_schema(Field("ids"))["oneOf"] + [
                         {"type": "object", "properties": {ANY: {
                             "type": "array", "items": dict(id_schema), "minItems": 2,
                             "description": "Any one of these contexts (two or more)."}},
                          "required": [ANY], "additionalProperties": False}]}
    elif kind == "idlist":
        out = {"type": "array", "items": dict(id_schema)}
    elif kind == "strlist":
        out = {"type": "array", "items": {"type": "string"}}
    elif kind == "attr":
        out = values.json_schema()
    else:
        out = _object_schema(f.fields or {})
    if f.doc:
        out["description"] = f.doc
    return out


def _object_schema(fields: dict[str, Field], free: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "properties": {name: _field_schema(f) for name, f in fields.items()},
        "additionalProperties": _field_schema(Field("attr")) if free else False,
    }
    if free:
        out["propertyNames"] = {"not": {"enum": list(RESERVED_ATTRIBUTES)}}
    required = [name for name, f in fields.items() if f.required]
    if required:
        out["required"] = required
    return out


def json_schema(fmt: Format = THEORY_FORMAT) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one file of a theory (or vocabulary) directory,
    generated from its format's tables (:data:`SECTIONS`, :data:`VOCABULARY_SECTIONS`)."""
    props: dict[str, Any] = {
        fmt.version_key: {"const": 1, "description": fmt.manifest_fields[fmt.version_key].doc},
        fmt.header_key: _field_schema(fmt.manifest_fields[fmt.header_key]),
    }
    for section in fmt.sections.values():
        entry = _object_schema(section.fields, section.free)
        if section.name == "cmocs" and fmt is THEORY_FORMAT:
            entry["required"] = entry["required"] + ["context", "mechanism", "outcome"]
        if section.shorthand:
            entry = {"oneOf": [{"type": "string"}, entry]}
        props[section.name] = {
            "type": "object",
            "description": section.doc,
            "patternProperties": {f"^{ID_PATTERN}$": entry},
            "additionalProperties": False,
        }
    if fmt is VOCABULARY_FORMAT:
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": VOCABULARY_SCHEMA_ID,
            "title": "ptgraph vocabulary file, format version 1",
            "description": "One file of a ptgraph vocabulary directory. vocabulary.yaml holds "
                           "`ptgraph-vocabulary: 1` and `vocabulary`; any file may hold the "
                           "sections, which merge by id.",
            "type": "object",
            "properties": props,
            "additionalProperties": False,
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "ptgraph theory file, format version 1",
        "description": "One file of a ptgraph theory directory. theory.yaml holds `ptgraph: 1` "
                       "and `theory`; any file may hold the sections, which merge by id.",
        "type": "object",
        "properties": props,
        "additionalProperties": False,
    }


#: File name of the schema, in ``schema/`` of the repository and ``ptgraph/data/`` of the package.
SCHEMA_FILE = "ptgraph-theory-v1.json"
#: File name of the vocabulary files' schema, beside :data:`SCHEMA_FILE`.
VOCABULARY_SCHEMA_FILE = "ptgraph-vocabulary-v1.json"
VOCABULARY_SCHEMA_ID = "https://ptgraph.dev/schema/" + VOCABULARY_SCHEMA_FILE
SCHEMA_FILES = {"theory": SCHEMA_FILE, "vocabulary": VOCABULARY_SCHEMA_FILE}


def schema_text(kind: str = "theory") -> str:
    """:func:`json_schema` as the exact text of its file (2-space indent, newline at end);
    ``kind`` is ``theory`` (:data:`SCHEMA_FILE`) or ``vocabulary`` (:data:`VOCABULARY_SCHEMA_FILE`).

    >>> schema_text().startswith('{\\n  "$schema"')
    True
    >>> '"ptgraph-vocabulary"' in schema_text("vocabulary")
    True
    """
    return json.dumps(json_schema(FORMATS[kind]), indent=2, ensure_ascii=False) + "\n"
