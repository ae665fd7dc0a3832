"""What the pages of a site say, gathered once from the theory and its queries.

Every page reads a :class:`Facts`: the theory itself, and the rows of the
named queries (``chains``, ``contrasts`` both ways, ``conflicts``,
``evidence``) run through their registry, so that the site says what
``ptgraph query`` says. Nothing here is HTML.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..check import stats
from ..graph import build_graph
from ..model import ROLES, Evidence, Source, Theory
from ..queries import QUERIES, Rows
from ..render import evidence_counts, step_makers

#: The parts of a configuration a CMOC page lists, in order: (field of
#: :class:`~ptgraph.model.CMOC`, heading). A field holds concept ids (shown as
#: links to their pages) or text; a field a CMOC leaves empty is not shown.
CMOC_PARTS: tuple[tuple[str, str], ...] = (
    ("intervention", "Intervention"),
    ("context", "Context"),
    ("resource", "Resource"),
    ("actor", "Actor"),
    ("mechanism", "Mechanism"),
    ("outcome", "Outcome"),
)

#: The queries whose rows the site shows, with their parameters as text.
SITE_QUERIES: dict[str, tuple[str, dict[str, str]]] = {
    "chains": ("chains", {}),
    "contrasts": ("contrasts", {"by": "mechanism"}),
    "contrasts_by_context": ("contrasts", {"by": "context"}),
    "conflicts": ("conflicts", {}),
    "evidence": ("evidence", {}),
}


@dataclass(frozen=True)
class Attribution:
    """Who said a quote, where and when: its own fields, else its source's."""

    participant: str | None
    site: str | None
    wave: str | None
    source: Source | None  # the source ``source:`` names
    source_text: str | None  # ``source:`` as written, when it names no source


@dataclass
class Facts:
    """A checked theory and everything its pages show."""

    theory: Theory
    graph: nx.MultiDiGraph
    counts: dict[str, Any]
    rows: dict[str, Rows]
    supporting: dict[str, list[Evidence]] = field(default_factory=dict)
    refuting: dict[str, list[Evidence]] = field(default_factory=dict)
    uses: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    refined_by: dict[str, list[str]] = field(default_factory=dict)
    evidence_counts: dict[str, tuple[int, int]] = field(default_factory=dict)

    def attribution(self, item: Evidence) -> Attribution:
        """Participant, site and wave of a quote (its own, else its source's), and its source."""
        source = self.theory.source_of(item)
        return Attribution(
            item.participant or (source.participant if source else None),
            item.site or (source.site if source else None),
            item.wave or (source.wave if source else None),
            source, None if source else item.source_ref)

    def rows_with(self, name: str, cmoc_id: str) -> list[dict]:
        """The rows of query ``name`` that name ``cmoc_id`` among their CMOCs."""
        return [row for row in self.rows[name] if cmoc_id in row["cmocs"]]

    def evidence_row(self, cmoc_id: str) -> dict | None:
        """The ``evidence`` query's row of a CMOC."""
        return next((r for r in self.rows["evidence"] if r["cmoc"] == cmoc_id), None)

    def pathways_of(self, ident: str) -> list[str]:
        """Pathways with ``ident`` as a step, or (for a CMOC) a step it makes."""
        out = []
        for pid, p in self.theory.pathways.items():
            made = {m for a, b in zip(p.steps, p.steps[1:]) for m in step_makers(self.theory, a, b)}
            if ident in p.steps or ident in made:
                out.append(pid)
        return out

    def quotes_at(self, site_id: str) -> list[Evidence]:
        """Evidence from a site (its own ``site:``, else its source's)."""
        return [e for e in self.theory.evidence.values() if self.attribution(e).site == site_id]

    def quotes_from(self, source_id: str) -> list[Evidence]:
        """Evidence whose ``source:`` names this source."""
        return [e for e in self.theory.evidence.values() if e.source_ref == source_id]

    def label(self, concept_id: str) -> str:
        """A concept's label, or its id when it has no entry."""
        concept = self.theory.concepts.get(concept_id)
        return concept.label if concept is not None else concept_id


def gather(theory: Theory) -> Facts:
    """Everything the site's pages show about ``theory`` (one that passes ``check``).

    Parameters
    ----------
    theory : Theory
        A checked theory (:func:`ptgraph.check.load_theory`).

    Returns
    -------
    Facts
        The theory, its counts, the rows of :data:`SITE_QUERIES` (with the
        note saying why, when a query finds nothing), the quotes for and
        against each CMOC, each concept's uses and each CMOC's refinements.
    """
    G = build_graph(theory)
    rows = {}
    for key, (name, params) in SITE_QUERIES.items():
        query = QUERIES[name]
        rows[key] = query.run(G, query.parse(params), explain=True)
    facts = Facts(theory, G, stats(theory), rows, evidence_counts=evidence_counts(theory))
    supporting: dict[str, list[Evidence]] = defaultdict(list)
    refuting: dict[str, list[Evidence]] = defaultdict(list)
    for item in theory.evidence.values():
        for mid in item.supports:
            supporting[mid].append(item)
        for mid in item.refutes:
            refuting[mid].append(item)
    uses: dict[str, list[tuple[str, str]]] = defaultdict(list)
    refined_by: dict[str, list[str]] = defaultdict(list)
    for m in theory.cmocs.values():
        for role in ROLES:
            for cid in m.concepts(role):
                uses[cid].append((role, m.id))
        for old in m.refines:
            refined_by[old].append(m.id)
    facts.supporting, facts.refuting = dict(supporting), dict(refuting)
    facts.uses, facts.refined_by = dict(uses), dict(refined_by)
    return facts


__all__ = ["Attribution", "CMOC_PARTS", "Facts", "SITE_QUERIES", "gather"]
