"""What the queries across theories share: each CMOC's parts seen through the vocabulary.

They read the graph of :func:`ptgraph.graph.build_shared_graph` (node keys
``(scope, label, id)``, the scope a theory or the vocabulary id). Two concepts of
different theories are *the same idea* when both map to one vocabulary term with
an ``exact`` or ``close`` match (:data:`SAME`); ``broader``, ``narrower`` and
``related`` matches say less, so no query joins or groups on them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

import networkx as nx

from ..errors import UsageError
from ..graph import ROLE_RELS
from ..rules._common import nearest

#: Match types under which two concepts mapped to one term are taken as one idea.
SAME = ("exact", "close")

_ROLE_OF = {rel: role for role, rel in ROLE_RELS.items()}


@dataclass(frozen=True)
class Use:
    """One CMOC (not marked refuted) of one theory, its parts as concept ids and as terms.

    ``terms[role]`` holds the terms its concepts in ``role`` map to (:data:`SAME`);
    ``key[role]`` is how the role compares across theories: those terms, and
    ``theory:concept`` for each concept of the role that maps to none (so an
    unmapped concept is never the same as another theory's).
    """

    theory: str
    cmoc: str
    parts: dict[str, frozenset[str]]
    terms: dict[str, frozenset[str]]
    key: dict[str, frozenset[str]]
    context_any: bool

    @property
    def name(self) -> str:
        """``theory:CMOC``, as every row names a CMOC."""
        return f"{self.theory}:{self.cmoc}"

    def joined(self, role: str) -> str:
        """The role's concept ids, sorted, as rows show them: ``a + b``, or ``a or b`` for
        contexts any one of which will do."""
        sep = " or " if role == "context" and self.context_any else " + "
        return sep.join(sorted(self.parts[role]))


def vocabulary_of(G: nx.MultiDiGraph) -> str:
    vocabulary = G.graph.get("vocabulary")
    if not vocabulary:
        raise UsageError("queries across theories need a shared vocabulary: name one with "
                         "--vocabulary DIR, or in the theories' manifests (vocabulary: PATH)")
    return vocabulary


def term_maps(G: nx.MultiDiGraph) -> dict[tuple[str, str], dict[str, str]]:
    """``(theory, concept) -> {term: match}`` for the :data:`SAME` matches (exact wins)."""
    out: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for (scope, kind, cid), (_, _, term), d in G.edges(data=True):
        if d["type"] == "MAPS_TO" and d["match"] in SAME:
            seen = out[scope, cid].get(term)
            out[scope, cid][term] = "exact" if "exact" in (seen, d["match"]) else d["match"]
    return out


def uses(G: nx.MultiDiGraph, theories: Iterable[str] | None = None) -> list[Use]:
    """Every CMOC not marked refuted of ``theories`` (default: all in ``G``), by theory, then id."""
    keep = set(G.graph.get("theories", ())) if theories is None else set(theories)
    maps = term_maps(G)
    parts: dict[tuple[str, str], dict[str, set[str]]] = {}
    for (scope, kind, mid), d in G.nodes(data=True):
        if kind == "CMOC" and scope in keep and d.get("status") != "refuted":
            parts[scope, mid] = defaultdict(set)
    for (scope, kind, mid), (_, _, cid), rel in G.edges(data="type"):
        if kind == "CMOC" and (scope, mid) in parts and rel in _ROLE_OF:
            parts[scope, mid][_ROLE_OF[rel]].add(cid)
    out = []
    for (scope, mid), found in sorted(parts.items()):
        roles = {role: frozenset(found.get(role, ())) for role in _ROLE_OF.values()}
        terms = {role: frozenset(t for c in ids for t in maps.get((scope, c), ()))
                 for role, ids in roles.items()}
        key = {role: frozenset(t for c in ids for t in maps.get((scope, c), ()))
               | frozenset(f"{scope}:{c}" for c in ids if not maps.get((scope, c)))
               for role, ids in roles.items()}
        out.append(Use(scope, mid, roles, terms, key,
                       bool(G.nodes[scope, "CMOC", mid].get("context_any"))))
    return out


def opposed_terms(G: nx.MultiDiGraph) -> set[frozenset[str]]:
    """Pairs of terms that oppose: some theory declares a concept mapped to one (exact or
    close) to oppose a concept mapped to the other (``opposes:``, either way)."""
    maps = term_maps(G)
    out = set()
    for (scope, kind, a), (_, _, b), rel in G.edges(data="type"):
        if rel == "OPPOSES":
            out.update(frozenset((x, y)) for x in maps.get((scope, a), ())
                       for y in maps.get((scope, b), ()) if x != y)
    return out


def check_theories(G: nx.MultiDiGraph, theories: Iterable[str] | None) -> list[str] | None:
    """``theories`` as a sorted list, each one in ``G``; a UsageError otherwise."""
    if theories is None:
        return None
    known = list(G.graph.get("theories", ()))
    for t in theories:
        if t not in known:
            raise UsageError(f"theories: no theory '{t}' here{nearest(t, known)}; "
                             f"the theories: {', '.join(known)}")
    return sorted(set(theories))


def term_label(G: nx.MultiDiGraph, term: str) -> str:
    v = vocabulary_of(G)
    return G.nodes[v, "Term", term].get("label", term)


def find_term(G: nx.MultiDiGraph, term: str | None) -> None:
    if term is None:
        return
    v = vocabulary_of(G)
    if (v, "Term", term) not in G:
        known = [k[2] for k in G if k[0] == v and k[1] == "Term"]
        raise UsageError(f"term: no term '{term}' in vocabulary '{v}'{nearest(term, known)}")


def by_term(all_uses: Iterable[Use], role: str) -> dict[str, list[Use]]:
    """Term -> the uses whose ``role`` maps to it, in use order."""
    out: dict[str, list[Use]] = defaultdict(list)
    for u in all_uses:
        for t in sorted(u.terms[role]):
            out[t].append(u)
    return dict(out)


def outcome_pattern(group: list[Use], pairs: Iterable[tuple[Use, Use]], opposed: set[frozenset[str]],
                    names: tuple[str, str, str, str]) -> str:
    """The pattern of a group of uses from several theories, over their outcomes.

    ``names`` words the four answers, in order: some pair of ``pairs`` (uses of
    different theories) has outcomes that oppose; every use has the same outcome
    terms; some use has an outcome no term stands for (whether they differ cannot be
    told); else the outcomes differ.
    """
    if any(frozenset((x, y)) in opposed for a, b in pairs
           for x in a.terms["outcome"] for y in b.terms["outcome"]):
        return names[0]
    if len({u.key["outcome"] for u in group}) == 1:
        return names[1]
    if any(u.key["outcome"] != u.terms["outcome"] for u in group):
        return names[2]
    return names[3]


def cross_pairs(group: list[Use]) -> list[tuple[Use, Use]]:
    """Pairs of uses of different theories, in order."""
    return [(a, b) for i, a in enumerate(group) for b in group[i + 1:] if a.theory != b.theory]
