"""Semantic difference between two versions of a theory, as a pull-request review needs it.

:func:`diff_theories` compares two checked theories entry by entry, not line
by line, and returns a :class:`TheoryDiff`; :mod:`ptgraph.diff_report` prints
it as text, markdown or JSON. What it finds:

- per section (CMOCs, concepts, evidence, pathways, areas, sites, sources): entries
  added, removed and modified, each modification as ``(field, old, new)``;
  a CMOC's evidence appears as its fields ``supported_by`` and ``refuted_by``,
  its confidence as ``confidence`` (the level), ``confidence.rationale`` and
  ``confidence.<component>``, each only where written;
- status moves of CMOCs (``confirmed -> refined``);
- concepts relabelled, and concept ids replaced by others across CMOCs:
  ``merge`` (several ids become one), ``split`` (one becomes several),
  ``rename`` (one new id takes an old one's place), ``regroup`` (the rest);
- the effect on queries: chains and conflicts that appear or disappear.

Values are JSON values: text, a list of ids, or null.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .model import REQUIRED_ROLES, ROLES, Theory
from .schema import ANY, as_ids, is_any

#: Fields compared per section, in report order (CMOC evidence is derived from the evidence section).
FIELDS: dict[str, tuple[str, ...]] = {
    "cmocs": ("area", "statement", "intervention", "context", "resource", "actor", "mechanism",
              "outcome", "status", "refines", "notes", "supported_by", "refuted_by"),
    "concepts": ("label", "description", "opposes", "tags"),
    "evidence": ("quote", "supports", "refutes", "participant", "site", "wave", "source"),
    "pathways": ("label", "description", "steps"),
    "areas": ("label", "description"),
    "sites": ("label",),  # plus each site's free attributes
    "sources": ("type", "citation", "doi", "url", "year", "site", "participant", "wave"),
}
#: A CMOC's confidence, as fields of the CMOC (present only when written): the level,
#: then ``confidence.rationale`` and ``confidence.<component>``.
CONFIDENCE_FIELD = "confidence"
SECTIONS = tuple(FIELDS)
#: Verb for a CMOC whose status moved to each status ("1 CMOC refined").
STATUS_VERBS = {"confirmed": "confirmed", "refined": "refined", "refuted": "refuted",
                "new": "reset to new"}
#: CMOC fields that change the configuration itself (not its status or evidence).
CONTENT_FIELDS = ("area", "statement", "intervention", "context", "resource", "actor", "mechanism",
                  "outcome", "refines", "notes")
#: CMOC parts that are fields of a CMOC's entry only when it has them, so that a theory
#: written without them compares as before.
OPTIONAL_ROLES = tuple(r for r in ROLES if r not in REQUIRED_ROLES)
QUERIES = ("chains", "conflicts")


@dataclass(frozen=True, slots=True)
class Change:
    """One field of one entry: ``old`` and ``new`` are text, a list of ids, or None (a
    CMOC's context any one of which will do: ``{"any": [ids]}``, as written)."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class Modified:
    id: str
    changes: tuple[Change, ...]

    def change(self, name: str) -> Change | None:
        return next((c for c in self.changes if c.field == name), None)


@dataclass(slots=True)
class SectionDiff:
    """Entries of one section: added and removed as field dicts (with ``id``), and modified."""

    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    modified: list[Modified] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.modified)


@dataclass(frozen=True, slots=True)
class Replacement:
    """Concept ids replaced by others in the CMOCs listed (kind: merge, split, rename, regroup)."""

    kind: str
    old: tuple[str, ...]
    new: tuple[str, ...]
    cmocs: tuple[str, ...]
    old_labels: tuple[str, ...] = ()
    new_labels: tuple[str, ...] = ()


@dataclass(slots=True)
class TheoryDiff:
    """Everything that differs between two theories; empty sections when nothing does."""

    old_label: str
    new_label: str
    old_theory: str
    new_theory: str
    theory: list[Change] = field(default_factory=list)  # the manifest: id, title, source...
    sections: dict[str, SectionDiff] = field(default_factory=dict)
    status_moves: list[Change] = field(default_factory=list)  # field = the CMOC id
    relabelled: list[Change] = field(default_factory=list)  # field = the concept id
    replacements: list[Replacement] = field(default_factory=list)
    # query name -> {"appear": rows, "disappear": rows}; None when not computed
    queries: dict[str, dict[str, list[dict]]] | None = None
    notes: list[str] = field(default_factory=list)  # e.g. a query stopped at its work budget
    # the changed part of the theory as a figure (a ptgraph.mermaid.View), for markdown
    view: Any = None

    @property
    def changed(self) -> bool:
        return bool(self.theory or any(self.sections.values()) or any(
            rows for q in (self.queries or {}).values() for rows in q.values()))

    def replaced_concepts(self) -> set[str]:
        """Concept ids added or removed as part of a merge, split or rename."""
        return {i for r in self.replacements for i in r.old + r.new}

    def explained(self, cmoc: str, change: Change) -> bool:
        """Whether a CMOC change is only the effect of concept replacements."""
        if change.field not in ROLES or is_any(change.old) != is_any(change.new):
            return False  # all -> any (or back) is an edit of the CMOC itself
        touched = set(as_ids(change.old)) ^ set(as_ids(change.new))
        return all(any(cmoc in r.cmocs and i in r.old + r.new for r in self.replacements)
                   for i in touched)

    def summary(self) -> str:
        """One line: ``1 CMOC refined, 2 evidence added, 1 chain appears``."""
        parts: list[str] = []

        def count(n: int, one: str, many: str) -> None:
            if n:
                parts.append(f"{n} {one if n == 1 else many}")

        if self.theory:
            parts.append("theory header changed")
        cmocs, concepts = self.sections["cmocs"], self.sections["concepts"]
        count(len(cmocs.added), "CMOC added", "CMOCs added")
        count(len(cmocs.removed), "CMOC removed", "CMOCs removed")
        for status, verb in STATUS_VERBS.items():
            count(sum(m.new == status for m in self.status_moves), f"CMOC {verb}", f"CMOCs {verb}")
        moved = {m.field for m in self.status_moves}
        count(sum(1 for m in cmocs.modified if m.id not in moved and any(
                  c.field in CONTENT_FIELDS and not self.explained(m.id, c) for c in m.changes)),
              "CMOC modified", "CMOCs modified")
        replaced = self.replaced_concepts()
        count(sum(r["id"] not in replaced for r in concepts.added), "concept added", "concepts added")
        count(sum(r["id"] not in replaced for r in concepts.removed),
              "concept removed", "concepts removed")
        count(sum(1 for m in cmocs.modified if any(
                  c.field.split(".")[0] == CONFIDENCE_FIELD for c in m.changes)),
              "CMOC's confidence changed", "CMOCs' confidence changed")
        count(len(self.relabelled), "concept relabelled", "concepts relabelled")
        for kind, one, many in (("merge", "concept merge", "concept merges"),
                                ("split", "concept split", "concept splits"),
                                ("rename", "concept id renamed", "concept ids renamed"),
                                ("regroup", "concept regrouping", "concept regroupings")):
            count(sum(r.kind == kind for r in self.replacements), one, many)
        relabelled = {c.field for c in self.relabelled}
        count(sum(1 for m in concepts.modified if m.id not in relabelled or len(m.changes) > 1),
              "concept modified", "concepts modified")
        for name, one, many in (("evidence", "evidence", "evidence"),
                                ("pathways", "pathway", "pathways"),
                                ("areas", "area", "areas"), ("sites", "site", "sites"),
                                ("sources", "source", "sources")):
            section = self.sections[name]
            count(len(section.added), f"{one} added", f"{many} added")
            count(len(section.removed), f"{one} removed", f"{many} removed")
            count(len(section.modified), f"{one} changed", f"{many} changed")
        for name in QUERIES:
            rows = (self.queries or {}).get(name, {})
            count(len(rows.get("appear", ())), f"{name[:-1]} appears", f"{name} appear")
            count(len(rows.get("disappear", ())), f"{name[:-1]} disappears", f"{name} disappear")
        return ", ".join(parts) if parts else "no semantic changes"


def _value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def entries(theory: Theory, section: str) -> dict[str, dict[str, Any]]:
    """``id -> {field: value}`` for one section, values as JSON values, fields as in FIELDS."""
    out: dict[str, dict[str, Any]] = {}
    if section == "cmocs":
        links: dict[str, dict[str, list[str]]] = {c: {"supported_by": [], "refuted_by": []}
                                                 for c in theory.cmocs}
        for e in theory.evidence.values():
            for relation, targets in (("supported_by", e.supports), ("refuted_by", e.refutes)):
                for cid in targets:
                    if cid in links:
                        links[cid][relation].append(e.id)
    for key, obj in getattr(theory, section).items():
        if section == "cmocs":
            row = {f: _value(getattr(obj, f)) for f in FIELDS[section][:-2]
                   if f not in OPTIONAL_ROLES or getattr(obj, f)}
            if obj.context_any:  # all -> any is a change of the context, as in the YAML
                row["context"] = {ANY: row["context"]}
            row.update((k, sorted(v)) for k, v in links[key].items())
            if obj.confidence is not None:
                row[CONFIDENCE_FIELD] = obj.confidence.level
                if obj.confidence.rationale is not None:
                    row[f"{CONFIDENCE_FIELD}.rationale"] = obj.confidence.rationale
                row.update((f"{CONFIDENCE_FIELD}.{k}", v) for k, v in obj.confidence.components)
        elif section == "evidence":
            row = {f: _value(getattr(obj, "source_ref" if f == "source" else f))
                   for f in FIELDS[section]}
        elif section == "sites":
            row = {"label": obj.label, **{k: obj.attributes[k] for k in sorted(obj.attributes)}}
        else:
            row = {f: _value(getattr(obj, f)) for f in FIELDS[section]}
        out[key] = row
    return out


def _changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[Change, ...]:
    names = list(old) + [k for k in new if k not in old]
    return tuple(Change(k, old.get(k), new.get(k)) for k in names if old.get(k) != new.get(k))


def diff_section(old: dict[str, dict], new: dict[str, dict]) -> SectionDiff:
    """Added, removed and modified entries between two ``id -> fields`` maps.

    Added entries keep the new file order, removed ones the old order.

    >>> d = diff_section({"a": {"label": "A"}, "b": {"label": "B"}},
    ...                  {"a": {"label": "A!"}, "c": {"label": "C"}})
    >>> d.added, d.removed
    ([{'id': 'c', 'label': 'C'}], [{'id': 'b', 'label': 'B'}])
    >>> d.modified[0].changes
    (Change(field='label', old='A', new='A!'),)
    """
    out = SectionDiff(
        added=[{"id": k, **v} for k, v in new.items() if k not in old],
        removed=[{"id": k, **v} for k, v in old.items() if k not in new],
    )
    for key, fields in new.items():
        if key in old:
            changes = _changes(old[key], fields)
            if changes:
                out.modified.append(Modified(key, changes))
    return out


def _label(theory: Theory, cid: str) -> str:
    concept = theory.concepts.get(cid)
    return concept.label if concept else cid


def _used(theory: Theory) -> set[str]:
    return {cid for m in theory.cmocs.values() for role in ROLES for cid in m.concepts(role)}


def concept_replacements(old: Theory, new: Theory) -> list[Replacement]:
    """Concept ids that left the CMOCs and the ids that took their places there.

    In every CMOC on both sides, per role, an id that is gone (no longer
    declared nor used) and an id that was added in its place are linked; each connected
    group of links is one replacement. Several old ids (counting a new id that
    was in use already) becoming one id is a ``merge``; one id becoming several
    a ``split``; one gone id replaced by one new id a ``rename``.

    >>> from ptgraph.model import CMOC, Theory
    >>> def t(*contexts):
    ...     return Theory("t", "T", cmocs={f"X{i}": CMOC(f"X{i}", "a", "", (c,), ("m",), ("o",))
    ...                                    for i, c in enumerate(contexts)})
    >>> [(r.kind, r.old, r.new, r.cmocs) for r in concept_replacements(t("c1", "c2"), t("c", "c"))]
    [('merge', ('c1', 'c2'), ('c',), ('X0', 'X1'))]
    """
    used_old, used_new = _used(old), _used(new)
    # Only ids deleted from the concepts count: an id still declared but no
    # longer used is an edit of the CMOCs, not a merge.
    gone = (used_old - used_new) - set(new.concepts)
    links = nx.Graph()
    for cid, before in old.cmocs.items():
        after = new.cmocs.get(cid)
        if after is None:
            continue
        for role in ROLES:
            was, now = set(before.concepts(role)), set(after.concepts(role))
            for x in was - now:
                if x in gone:
                    for y in now - was:
                        links.add_edge(("old", x), ("new", y))
                        links.edges[("old", x), ("new", y)].setdefault("cmocs", set()).add(cid)
    out = []
    for group in nx.connected_components(links):
        olds = sorted(i for side, i in group if side == "old")
        news = sorted(i for side, i in group if side == "new")
        cmocs = sorted(set().union(*(d["cmocs"] for _, _, d in links.subgraph(group).edges(data=True))))
        merged = sorted(set(olds) | {y for y in news if y in used_old})
        if len(news) == 1 and len(merged) > 1:
            kind, olds = "merge", merged
        elif len(olds) == 1 and len(news) > 1:
            kind = "split"
        elif len(olds) == 1 and len(news) == 1:
            kind = "rename"
        else:
            kind = "regroup"
        out.append(Replacement(kind, tuple(olds), tuple(news), tuple(cmocs),
                               tuple(_label(old, i) for i in olds), tuple(_label(new, i) for i in news)))
    return sorted(out, key=lambda r: (r.old, r.new))


#: What makes a query row the same row on both sides (labels and wording may change).
ROW_KEYS = {"chains": ("cmocs", "concepts"), "conflicts": ("kind", "cmocs", "concepts")}


def query_rows(theory: Theory) -> tuple[dict[str, list[dict]], list[str]]:
    """Rows of the whole-theory queries the diff compares, and the queries' notes."""
    from . import queries  # the query engine is only needed here
    from .graph import build_graph

    G = build_graph(theory)
    found = {"chains": queries.chains(G), "conflicts": queries.conflicts(G)}
    return {k: list(rows) for k, rows in found.items()}, [n for rows in found.values() for n in rows.notes]


def diff_rows(name: str, old: list[dict], new: list[dict]) -> dict[str, list[dict]]:
    """Rows of query ``name`` that appear in ``new`` and disappear from ``old``, in query order.

    >>> diff_rows("chains", [{"cmocs": ["A", "B"], "concepts": ["x"]}],
    ...           [{"cmocs": ["A", "C"], "concepts": ["x"]}])["appear"]
    [{'cmocs': ['A', 'C'], 'concepts': ['x']}]
    """
    def key(row: dict) -> str:
        return json.dumps([row.get(k) for k in ROW_KEYS[name]])

    before, after = {key(r) for r in old}, {key(r) for r in new}
    return {"appear": [r for r in new if key(r) not in before],
            "disappear": [r for r in old if key(r) not in after]}


def diff_theories(old: Theory, new: Theory, *, old_label: str = "old", new_label: str = "new",
                  with_queries: bool = True) -> TheoryDiff:
    """Compare two checked theories; see the module docstring for what is reported.

    Parameters
    ----------
    old, new
        The two versions, as :func:`ptgraph.check.load_theory` returns them.
    old_label, new_label
        How the report names the sides (``main:theory``, ``theory``).
    with_queries
        Also compare the rows of the chains and conflicts queries.
    """
    header_old = {"id": old.id, "title": old.title, "description": old.description,
                  **{f"source.{k}": v for k, v in sorted(old.source.items())}}
    header_new = {"id": new.id, "title": new.title, "description": new.description,
                  **{f"source.{k}": v for k, v in sorted(new.source.items())}}
    result = TheoryDiff(old_label, new_label, old.id, new.id, list(_changes(header_old, header_new)))
    for name in SECTIONS:
        result.sections[name] = diff_section(entries(old, name), entries(new, name))
    for m in result.sections["cmocs"].modified:
        status = m.change("status")
        if status:
            result.status_moves.append(Change(m.id, status.old, status.new))
    for m in result.sections["concepts"].modified:
        label = m.change("label")
        if label:
            result.relabelled.append(Change(m.id, label.old, label.new))
    result.replacements = concept_replacements(old, new)
    if with_queries:
        (before, notes_old), (after, notes_new) = query_rows(old), query_rows(new)
        result.queries = {name: diff_rows(name, before[name], after[name]) for name in QUERIES}
        result.notes = [f"{which}: {n}" for which, notes in (("old", notes_old), ("new", notes_new))
                        for n in notes]
    from .mermaid import diff_view  # it marks the figures as ptgraph.render_diff does

    result.view = diff_view(old, new, result)
    return result
