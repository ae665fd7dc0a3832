"""The theory as Python objects, built from parsed files.

The builder is forgiving on purpose: an entry or field with the wrong type is
left out (the rules report it), so that one mistake does not hide the rest of
the theory from the other checks. Only a theory that passes ``check`` is handed
to queries, figures and the Neo4j loader (see :func:`ptgraph.api.load_theory`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Sequence

from .loader import Document, LoadedFiles, Mark
from .schema import (ATTRIBUTE, MANIFEST_FIELDS, MATCH_TYPES, SECTIONS, VOCABULARY_FIELDS,
                     VOCABULARY_SECTIONS, as_ids, entry_fields, is_any, type_ok)


#: The parts of a configuration, in the order figures and tables give them: the
#: intervention and its actors (ICAMO, Mukumbang et al. 2018), the context, and the
#: causal order of the mechanism split into resource and reasoning (Dalkin et al.
#: 2015): context -> resource -> reasoning (``mechanism``) -> outcome, the actor
#: beside the reasoning that is theirs.
ROLES = ("intervention", "context", "resource", "actor", "mechanism", "outcome")
#: The parts every CMOC must have; the others are optional.
REQUIRED_ROLES = ("context", "mechanism", "outcome")
#: The parts a causal path steps through, in causal order (the TRIGGERS and
#: PRODUCES edges of docs/graph-model.md); intervention and actor are parts of the
#: configuration, not steps.
CAUSAL_ROLES = ("context", "resource", "mechanism", "outcome")


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    label: str
    description: str | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Site:
    id: str
    label: str
    attributes: dict[str, Any] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True, slots=True)
class Source:
    """Where evidence comes from: a transcript, an observation, a document, an included study."""

    id: str
    type: str
    citation: str
    doi: str | None = None
    url: str | None = None
    year: int | None = None
    site: str | None = None
    participant: str | None = None
    wave: str | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Confidence:
    """A CMOC's ``confidence:``; ``components`` keeps the components written, in file order."""

    level: str
    rationale: str | None = None
    components: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Concept:
    id: str
    label: str
    description: str | None = None
    opposes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True, slots=True)
class CMOC:
    """One configuration. ``context`` holds the context ids in the order written;
    they hold all together, or, with ``context_any`` (``context: {any: [...]}``),
    any one of them does. ``mechanism`` is the reasoning when ``resource`` is
    given (the mechanism split, Dalkin et al. 2015), else the whole mechanism;
    ``intervention`` and ``actor`` are the ICAMO parts (empty when not written)."""

    id: str
    area: str
    statement: str
    context: tuple[str, ...]
    mechanism: tuple[str, ...]
    outcome: tuple[str, ...]
    status: str = "new"
    refines: tuple[str, ...] = ()
    notes: str | None = None
    source: str = ""
    context_any: bool = False
    confidence: Confidence | None = None
    resource: tuple[str, ...] = ()
    intervention: tuple[str, ...] = ()
    actor: tuple[str, ...] = ()

    @property
    def triggered(self) -> tuple[str, ...]:
        """What its contexts trigger: the resource when it has one, else the mechanism."""
        return self.resource or self.mechanism

    def causal_edges(self) -> list[tuple[str, str, str, str]]:
        """The arrows of the CMOC's causal order, as ``(tail role, tail, head role, head)``:
        context -> resource -> reasoning when it has a resource, else context -> mechanism;
        then mechanism -> outcome. The graph's TRIGGERS (into a resource or mechanism) and
        PRODUCES (into an outcome) relationships, and the causal arrows of every figure.

        >>> [e[1::2] for e in CMOC("X", "a", "...", ("c",), ("m",), ("o",),
        ...                         resource=("r",)).causal_edges()]
        [('c', 'r'), ('r', 'm'), ('m', 'o')]
        """
        first = "resource" if self.resource else "mechanism"
        return ([("context", c, first, t) for c in self.context for t in self.triggered]
                + [("resource", r, "mechanism", x) for r in self.resource for x in self.mechanism]
                + [("mechanism", x, "outcome", o) for x in self.mechanism for o in self.outcome])

    def concepts(self, role: str) -> tuple[str, ...]:
        return getattr(self, role)


@dataclass(frozen=True, slots=True)
class Evidence:
    id: str
    quote: str
    supports: tuple[str, ...] = ()
    refutes: tuple[str, ...] = ()
    participant: str | None = None
    site: str | None = None
    wave: str | None = None
    source_ref: str | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Pathway:
    id: str
    label: str
    steps: tuple[str, ...]
    description: str | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Mapping:
    """How one concept of the theory maps to vocabulary terms (``mappings:``):
    ``matches`` holds ``(match type, term id)`` pairs, match types as in
    :data:`~ptgraph.schema.MATCH_TYPES` (SKOS's), in the order written."""

    concept: str
    matches: tuple[tuple[str, str], ...]
    source: str = ""

    def terms(self, match: str) -> tuple[str, ...]:
        """The term ids of one match type.

        >>> Mapping("c", (("exact", "t1"), ("related", "t2"))).terms("related")
        ('t2',)
        """
        return tuple(t for m, t in self.matches if m == match)


@dataclass(slots=True)
class Theory:
    """A whole programme theory. Sections are dicts keyed by id, in file order."""

    id: str
    title: str
    description: str | None = None
    source: dict[str, str] = field(default_factory=dict)
    areas: dict[str, Area] = field(default_factory=dict)
    sites: dict[str, Site] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)
    cmocs: dict[str, CMOC] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)
    pathways: dict[str, Pathway] = field(default_factory=dict)
    root: str = ""
    documents: dict[str, Document] = field(default_factory=dict)
    #: ``mappings:``: concept id -> its mapping to the vocabulary's terms.
    mappings: dict[str, Mapping] = field(default_factory=dict)
    #: The manifest's ``vocabulary:`` path as written (relative to ``root``), or None.
    vocabulary: str | None = None

    def mark(self, section: str, id: str, *keys: Any) -> tuple[str, int, int]:
        """``(path, line, col)`` of an entry (or a key inside it) in its file."""
        return _entry_mark(self.documents, self.root, getattr(self, section).get(id),
                           section, id, keys)

    def source_of(self, item: "Evidence") -> "Source | None":
        """The source an evidence item's ``source:`` names, or None (free text, or none).

        >>> t = Theory("t", "T", sources={"s1": Source("s1", "study", "Smith 2019")})
        >>> t.source_of(Evidence("q", "...", source_ref="s1")).citation
        'Smith 2019'
        >>> t.source_of(Evidence("q", "...", source_ref="p. 4")) is None
        True
        """
        return self.sources.get(item.source_ref) if item.source_ref else None

    def roles(self) -> dict[str, set[str]]:
        """Concept id -> the roles (:data:`ROLES`) CMOCs give it."""
        out: dict[str, set[str]] = {}
        for cmoc in self.cmocs.values():
            for role in ROLES:
                for cid in cmoc.concepts(role):
                    out.setdefault(cid, set()).add(role)
        return out


def _entry_mark(documents: dict[str, Document], root: str, entity: Any, section: str, id: str,
                keys: tuple) -> tuple[str, int, int]:
    """``(path, line, col)`` of an entry (or a key inside it) of a theory or a vocabulary."""
    doc = documents.get(entity.source) if entity is not None else None
    if doc is None:
        return (root, 0, 0)
    line, col = doc.mark(section, id, *keys)
    return (doc.path, line, col)


def causal_steps(parts: Sequence[Iterable[str]]) -> set[tuple[str, str]]:
    """The steps a configuration claims, given its parts in causal order
    (:data:`CAUSAL_ROLES`): from any concept of one part to any concept of a later one.

    A pathway's step ``a -> b`` is made by a CMOC that claims it (``step_makers``),
    and a refuted CMOC still relied on is one whose claims a pathway steps along.

    >>> sorted(causal_steps([("c",), (), ("m",), ("o",)]))
    [('c', 'm'), ('c', 'o'), ('m', 'o')]
    """
    parts = [tuple(p) for p in parts]
    return {(a, b) for i, first in enumerate(parts) for later in parts[i + 1:]
            for a in first for b in later}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _valid(section: str, name: str, value: Any) -> bool:
    return value is not None and type_ok(SECTIONS[section].fields[name], value)


def iter_entries(documents: list[Document], section: str) -> Iterator[tuple[Document, str, Any]]:
    """Every ``(document, id, raw entry)`` of a section, in file order, duplicates included."""
    for doc in documents:
        data = doc.data
        if isinstance(data, dict):
            entries = data.get(section)
            if isinstance(entries, dict):
                for key, value in entries.items():
                    yield doc, key, value


def _confidence(raw: Any) -> Confidence | None:
    fields = SECTIONS["cmocs"].fields["confidence"].fields or {}
    if not isinstance(raw, dict) or fields["level"].enum.count(raw.get("level")) != 1:
        return None  # the rules report it
    rationale = raw.get("rationale")
    components = raw.get("components")
    known = fields["components"].fields or {}
    parts = tuple((k, v) for k, v in components.items() if k in known and isinstance(v, str)) \
        if isinstance(components, dict) else ()
    return Confidence(raw["level"], _text(rationale), parts)


def _build_entry(section: str, key: str, raw: dict[str, Any], source: str) -> Any:
    def get(name: str) -> Any:
        value = raw.get(name)
        return value if _valid(section, name, value) else None

    if section == "areas":
        return Area(key, get("label") or key, get("description"), source)
    if section == "sites":
        attrs = {k: v for k, v in raw.items() if k != "label" and type_ok(ATTRIBUTE, v)}
        return Site(key, get("label") or key, attrs, source)
    if section == "concepts":
        return Concept(key, get("label") or key, get("description"), as_ids(get("opposes")),
                       tuple(get("tags") or ()), source)
    if section == "cmocs":
        status = get("status")
        context = get("context")
        return CMOC(key, get("area") or "", get("statement") or "", as_ids(context),
                    as_ids(get("mechanism")), as_ids(get("outcome")),
                    status if status in SECTIONS["cmocs"].fields["status"].enum else "new",
                    as_ids(get("refines")), get("notes"), source, is_any(context),
                    _confidence(get("confidence")), as_ids(get("resource")),
                    as_ids(get("intervention")), as_ids(get("actor")))
    if section == "sources":
        kind, wave, participant = get("type"), get("wave"), raw.get("participant")
        if isinstance(participant, int) and not isinstance(participant, bool):
            participant = str(participant)
        fields = SECTIONS["sources"].fields
        return Source(key, kind if kind in fields["type"].enum else "other",
                      get("citation") or key, get("doi"), get("url"), get("year"), get("site"),
                      _text(participant), wave if wave in fields["wave"].enum else None, source)
    if section == "evidence":
        participant = raw.get("participant")
        if isinstance(participant, int) and not isinstance(participant, bool):
            participant = str(participant)
        wave = get("wave")
        return Evidence(key, get("quote") or "", as_ids(get("supports")), as_ids(get("refutes")),
                        _text(participant), get("site"),
                        wave if wave in SECTIONS["evidence"].fields["wave"].enum else None,
                        get("source"), source)
    if section == "pathways":
        return Pathway(key, get("label") or key, as_ids(get("steps")), get("description"), source)
    if section == "mappings":
        return Mapping(key, tuple((m, t) for m in MATCH_TYPES for t in as_ids(get(m))), source)
    raise ValueError(section)  # pragma: no cover


def build(files: LoadedFiles) -> Theory:
    """Build a :class:`Theory` from parsed files; the first definition of an id wins."""
    manifest = next((d for d in files.documents if isinstance(d.data, dict) and "theory" in d.data), None)
    header = manifest.data.get("theory") if manifest else None
    header = header if isinstance(header, dict) else {}
    fields = MANIFEST_FIELDS["theory"].fields or {}

    def get(name: str) -> Any:
        value = header.get(name)
        return value if value is not None and type_ok(fields[name], value) else None

    source = get("source") or {}
    theory = Theory(
        id=get("id") or "",
        title=get("title") or "",
        description=get("description"),
        source={k: v for k, v in source.items() if isinstance(v, str)},
        root=files.root,
        documents={d.path: d for d in files.documents},
        vocabulary=get("vocabulary"),
    )
    for name in SECTIONS:
        target = getattr(theory, name)
        section = SECTIONS[name]
        for doc, key, raw in iter_entries(files.documents, name):
            if key in target:
                continue
            entry = entry_fields(section, raw)
            if not entry and not isinstance(raw, (dict, str)):
                continue
            target[key] = _build_entry(name, key, entry, doc.path)
    return theory


# --- The shared vocabulary ----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Term:
    """A concept of a shared vocabulary (a SKOS concept): ``label`` is its prefLabel,
    ``alt`` its altLabels; ``broader``, ``narrower`` and ``related`` are ids of terms of
    the same vocabulary, ``theories`` ids of its middle-range theories."""

    id: str
    label: str
    alt: tuple[str, ...] = ()
    definition: str | None = None
    broader: tuple[str, ...] = ()
    narrower: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    theories: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True, slots=True)
class MiddleRangeTheory:
    """A middle-range theory terms draw on (therapeutic alliance, social capital, ...)."""

    id: str
    label: str
    description: str | None = None
    citation: str | None = None
    doi: str | None = None
    url: str | None = None
    source: str = ""


@dataclass(slots=True)
class Vocabulary:
    """A shared vocabulary directory: its terms and middle-range theories, in file order."""

    id: str
    title: str
    description: str | None = None
    concepts: dict[str, Term] = field(default_factory=dict)
    theories: dict[str, MiddleRangeTheory] = field(default_factory=dict)
    root: str = ""
    documents: dict[str, Document] = field(default_factory=dict)

    #: Section name -> attribute holding its entries.
    ATTRIBUTES = {"concepts": "concepts", "middle-range-theories": "theories"}

    def mark(self, section: str, id: str, *keys: Any) -> tuple[str, int, int]:
        """``(path, line, col)`` of an entry (or a key inside it) in its file."""
        return _entry_mark(self.documents, self.root,
                           getattr(self, self.ATTRIBUTES[section]).get(id), section, id, keys)

    def broader_pairs(self) -> list[tuple[str, str]]:
        """Every ``(narrower, broader)`` pair between defined terms, from ``broader:`` and
        from ``narrower:`` read the other way, without repeats, in file order.

        >>> v = Vocabulary("v", "V", concepts={"a": Term("a", "A", broader=("b",)),
        ...                                    "b": Term("b", "B", narrower=("a", "c")),
        ...                                    "c": Term("c", "C")})
        >>> v.broader_pairs()
        [('a', 'b'), ('c', 'b')]
        """
        pairs = [(t.id, b) for t in self.concepts.values() for b in t.broader]
        pairs += [(n, t.id) for t in self.concepts.values() for n in t.narrower]
        return [p for p in dict.fromkeys(pairs) if p[0] in self.concepts and p[1] in self.concepts]

    def related_pairs(self) -> list[tuple[str, str]]:
        """Every ``related:`` pair of two defined, different terms, once per pair (skos:related
        is symmetric), in the direction first written.

        >>> v = Vocabulary("v", "V", concepts={"a": Term("a", "A", related=("b", "a")),
        ...                                    "b": Term("b", "B", related=("a",))})
        >>> v.related_pairs()
        [('a', 'b')]
        """
        seen: set[frozenset] = set()
        out = []
        for t in self.concepts.values():
            for other in t.related:
                pair = frozenset((t.id, other))
                if other in self.concepts and other != t.id and pair not in seen:
                    seen.add(pair)
                    out.append((t.id, other))
        return out


def build_vocabulary(files: LoadedFiles) -> Vocabulary:
    """Build a :class:`Vocabulary` from parsed files, forgiving as :func:`build` is."""
    manifest = next((d for d in files.documents
                     if isinstance(d.data, dict) and "vocabulary" in d.data), None)
    header = manifest.data.get("vocabulary") if manifest else None
    header = header if isinstance(header, dict) else {}

    def ok(fields: dict, name: str, value: Any) -> Any:
        return value if value is not None and type_ok(fields[name], value) else None

    vocabulary = Vocabulary(
        id=ok(VOCABULARY_FIELDS, "id", header.get("id")) or "",
        title=ok(VOCABULARY_FIELDS, "title", header.get("title")) or "",
        description=ok(VOCABULARY_FIELDS, "description", header.get("description")),
        root=files.root, documents={d.path: d for d in files.documents})
    for name, section in VOCABULARY_SECTIONS.items():
        target = getattr(vocabulary, Vocabulary.ATTRIBUTES[name])
        for doc, key, raw in iter_entries(files.documents, name):
            if key in target or not isinstance(raw, (dict, str)):
                continue
            entry = entry_fields(section, raw)

            def get(field_name: str) -> Any:
                return ok(section.fields, field_name, entry.get(field_name))

            if name == "concepts":
                target[key] = Term(key, get("label") or key, tuple(get("alt") or ()),
                                   get("definition"), as_ids(get("broader")),
                                   as_ids(get("narrower")), as_ids(get("related")),
                                   as_ids(get("theories")), doc.path)
            else:
                target[key] = MiddleRangeTheory(key, get("label") or key, get("description"),
                                                get("citation"), get("doi"), get("url"), doc.path)
    return vocabulary


def mark_of(doc: Document, *keys: Any) -> tuple[str, int, int]:
    line, col = doc.mark(*keys)
    return (doc.path, line, col)


__all__ = [
    "Area", "CMOC", "Concept", "Confidence", "Evidence", "Source", "Mark", "Mapping",
    "MiddleRangeTheory", "Pathway", "CAUSAL_ROLES", "REQUIRED_ROLES", "ROLES", "Site", "Term",
    "Theory", "Vocabulary", "build", "build_vocabulary", "causal_steps", "iter_entries", "mark_of",
]
