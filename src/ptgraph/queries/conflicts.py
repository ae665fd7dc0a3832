"""``conflicts``: configurations that contradict each other (twin: ``queries/conflicts.cypher``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import product
from typing import Any, Iterable, Mapping

import networkx as nx

from ..errors import UsageError
from ..model import CAUSAL_ROLES, causal_steps
from ..rules._common import nearest
from ._common import LEVELS, Rows, _check_int, _ids, _Roles, _roles
from ._common import example_graph  # noqa: F401 - the examples use it


#: Conflict kinds, in no particular order: kind -> level.
CONFLICT_KINDS = {
    "opposing-outcomes": "error",
    "refuted-in-pathway": "error",
    "divergent-outcomes": "warning",
    "mixed-evidence": "warning",
}


def conflicts(G: nx.MultiDiGraph, *, kind: str | None = None, limit: int | None = None) -> Rows:
    """Contradictions: configurations that disagree, and claims that rest on refuted or
    mixed ground.

    A CMOC claims that its mechanisms produce its outcomes *in its context*, so
    two CMOCs contradict each other only when they make the same configuration
    (equal context and mechanism sets) and disagree on the outcome. CMOCs that
    differ in context or mechanism are no conflict, however their outcomes
    differ: that is what realist analysis compares (:func:`~ptgraph.queries.contrasts`),
    so a theory whose configurations are deliberate alternatives has none.
    CMOCs marked ``refuted`` are left out of the comparisons (a refuted
    configuration is expected to disagree with the one that replaced it).
    Configurations are compared as *sets* of concept ids, the contexts with
    their mode: ``{any: [a, b]}`` (either will do) is not ``[a, b]`` (both). Kinds:

    ``opposing-outcomes`` (error)
        Two CMOCs with the same contexts and mechanisms, and an outcome of one
        opposes (``opposes``, either direction) an outcome of the other.
    ``divergent-outcomes`` (warning)
        Same contexts and mechanisms, different outcomes, none opposing.
    ``refuted-in-pathway`` (error)
        A refuted CMOC that a pathway still uses: it is a step, or the pathway
        steps (in order, not necessarily adjacent) from one of its contexts to
        one of its mechanisms or outcomes, or from a mechanism to an outcome,
        and no CMOC that is not refuted makes that same step.
    ``mixed-evidence`` (warning)
        Among the CMOCs sharing contexts and mechanisms (possibly one CMOC),
        evidence both supports and refutes.

    Parameters
    ----------
    kind : str, optional
        Only findings of this kind.
    limit : int, optional
        At most this many rows, the first in order.

    Returns
    -------
    Rows
        ``kind``, ``level``, ``cmocs`` (sorted ids), ``concepts`` (sorted ids:
        the opposing outcomes; the outcomes or mechanisms that differ; the
        pathway steps a refuted CMOC joins; the shared contexts and mechanisms
        of mixed evidence) and ``reason`` (a sentence, with labels). Ordered by
        level (error, then warning), ``kind``, ``cmocs``.
        :func:`explain_conflicts` says why there are none.

    Notes
    -----
    Pairs are found by grouping CMOCs on their sorted context and mechanism
    id lists; the Cypher twin
    (``queries/conflicts.cypher``) groups them alike and words the reason
    sentence of :func:`describe_conflict` itself, so that Neo4j Browser shows it
    too.

    Examples
    --------
    >>> for row in conflicts(example_graph()):
    ...     print(row["kind"], row["level"], row["cmocs"], row["concepts"])
    ...     print(row["reason"])
    opposing-outcomes error ['B', 'C'] ['w', 'z']
    B and C share context 'Y' and mechanism 'M2' but lead to opposing outcomes: 'Z' (B) vs 'W' (C).
    >>> conflicts(example_graph(), kind="mixed-evidence")
    []
    >>> explain_conflicts(example_graph(), kind="mixed-evidence")
    'conflicts: no mixed-evidence: no evidence refutes a CMOC'
    """
    if kind is not None and kind not in CONFLICT_KINDS:
        raise UsageError(f"kind: no conflict kind '{kind}'{nearest(kind, CONFLICT_KINDS)}; "
                         f"one of {', '.join(sorted(CONFLICT_KINDS))}")
    _check_int("limit", limit, 1)
    facts = [f for f in _conflict_facts(G) if kind is None or f["kind"] == kind]
    names = {key: d.get("label", key[1]) for key, d in G.nodes(data=True)}
    rows = [{"kind": f["kind"], "level": CONFLICT_KINDS[f["kind"]], "cmocs": f["cmocs"],
             "concepts": f["concepts"], "reason": describe_conflict(f, names)} for f in facts]
    rows.sort(key=lambda r: (LEVELS.index(r["level"]), r["kind"], r["cmocs"]))
    return Rows(rows[:limit])


def explain_conflicts(G: nx.MultiDiGraph, *, kind: str | None = None, **_: object) -> str:
    """Why :func:`conflicts` (of ``kind``, or of any kind) finds nothing: one line for people."""
    roles = _roles(G)
    live = [r for m, r in roles.items() if G.nodes["CMOC", m].get("status") != "refuted"]
    shared = max(Counter(r.configuration for r in live).values(), default=0) >= 2
    refuted = len(roles) - len(live)
    refuting = any(t == "REFUTES" for _, _, t in G.edges(data="type"))
    parts = []
    if kind in (None, "opposing-outcomes", "divergent-outcomes"):
        if not shared:
            parts.append("no two CMOCs" + (" (refuted ones aside)" if refuted else "")
                         + " share a configuration (the same contexts and mechanisms)")
        elif kind == "opposing-outcomes":
            parts.append("no two CMOCs that share a configuration lead to opposing outcomes")
        elif kind == "divergent-outcomes":
            parts.append("no two CMOCs that share a configuration lead to different outcomes "
                         "short of opposing ones")
        else:
            parts.append("the CMOCs that share a configuration agree on its outcomes")
    if kind in (None, "refuted-in-pathway"):
        parts.append("no pathway relies on a refuted CMOC" if refuted
                     else "no CMOC is marked refuted")
    if kind in (None, "mixed-evidence"):
        parts.append("no configuration has evidence both for and against it" if refuting
                     else "no evidence refutes a CMOC")
    said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    if kind is None:
        return (f"conflicts: none: {said}; CMOCs that differ in context or mechanism do not "
                "contradict each other: `contrasts` compares them")
    return f"conflicts: no {kind}: {said}"


def _conflict_facts(G: nx.MultiDiGraph) -> list[dict]:
    roles = _roles(G)
    live = {m: r for m, r in roles.items() if G.nodes["CMOC", m].get("status") != "refuted"}
    opposes = {frozenset((u[1], v[1])) for u, v, t in G.edges(data="type") if t == "OPPOSES"}
    facts: list[dict] = []

    def groups(*key_roles: str) -> Iterable[list[str]]:
        by: dict[tuple, list[str]] = defaultdict(list)
        for m, r in live.items():
            by[tuple(getattr(r, role) for role in key_roles)].append(m)
        return [sorted(ms) for ms in by.values()]

    # a configuration's contexts are their set and their mode: {any: [a, b]} is not [a, b];
    # its resources, interventions and actors are part of it too
    for group in groups("configuration"):
        for a, b in _differing_pairs(group, {m: live[m].outcome for m in group}):
            ra, rb = live[a], live[b]
            clash = sorted((x, y) for x in ra.outcome for y in rb.outcome
                           if frozenset((x, y)) in opposes and x != y)
            base = {"cmocs": [a, b], **_configuration(ra)}
            if clash:
                facts.append({**base, "kind": "opposing-outcomes", "pairs": clash,
                              "concepts": sorted({c for pair in clash for c in pair})})
            else:
                facts.append({**base, "kind": "divergent-outcomes",
                              "outcomes": [sorted(ra.outcome), sorted(rb.outcome)],
                              "concepts": sorted(ra.outcome ^ rb.outcome)})
        evidence = {m: _evidence_counts(G, m) for m in group}
        if sum(s for s, _ in evidence.values()) and sum(r for _, r in evidence.values()):
            r0 = live[group[0]]
            facts.append({"kind": "mixed-evidence", "cmocs": [m for m in group if any(evidence[m])],
                          **_configuration(r0),
                          "counts": [list(evidence[m]) for m in group if any(evidence[m])],
                          "concepts": sorted(set().union(*(getattr(r0, role)
                                                           for role in _SHARED)))})
    facts.extend(_refuted_in_pathways(G, roles))
    return facts


#: The parts of a configuration a conflict's reason names, in order (the outcome aside).
_SHARED = ("context", "resource", "mechanism", "intervention", "actor")


def _configuration(r: _Roles) -> dict[str, Any]:
    """The facts naming a configuration: each part's sorted ids, and the contexts' mode."""
    return {"context_any": r.context_any, **{role: sorted(getattr(r, role)) for role in _SHARED}}


def _differing_pairs(group: list[str], value: Mapping[str, frozenset[str]]) -> Iterable[tuple[str, str]]:
    """Pairs ``(a, b)``, ``a < b``, of CMOCs in ``group`` whose ``value`` differs.

    CMOCs with the same value are bucketed first, so that many identical
    configurations (duplicates, which ``check`` reports, or the relationship-free
    skeleton the Neo4j twins check parameters on) cost nothing.
    """
    buckets: dict[frozenset[str], list[str]] = defaultdict(list)
    for m in group:
        buckets[value[m]].append(m)
    members = list(buckets.values())
    for i, first in enumerate(members):
        for second in members[i + 1:]:
            for x, y in product(first, second):
                yield (x, y) if x < y else (y, x)


def _evidence_counts(G: nx.MultiDiGraph, cmoc: str) -> tuple[int, int]:
    """(supporting, refuting) evidence items of a CMOC."""
    rels = [t for _, _, t in G.in_edges(("CMOC", cmoc), data="type")]
    return rels.count("SUPPORTS"), rels.count("REFUTES")


def _pathway_steps(G: nx.MultiDiGraph) -> dict[str, list[tuple[str, str]]]:
    """Pathway id -> its steps in order, each ``(label, id)``."""
    steps: dict[str, list[tuple[int, tuple[str, str]]]] = {p: [] for p in _ids(G, "Pathway")}
    for (kind, p), target, d in G.edges(data=True):
        if kind == "Pathway" and d["type"] == "STEP":
            steps[p].append((d["order"], target))
    return {p: [t for _, t in sorted(s)] for p, s in steps.items()}


def _claims(r: _Roles) -> set[tuple[str, str]]:
    """The causal steps a CMOC claims: from each part of its causal order (context,
    resource, mechanism) to each later one (resource, mechanism, outcome)."""
    return causal_steps([getattr(r, role) for role in CAUSAL_ROLES])


def _refuted_in_pathways(G: nx.MultiDiGraph, roles: dict[str, _Roles]) -> list[dict]:
    refuted = [m for m in roles if G.nodes["CMOC", m].get("status") == "refuted"]
    if not refuted:
        return []
    dead = set(refuted)
    live_claims = set().union(*(_claims(r) for m, r in roles.items() if m not in dead))
    # Index the pathways once by the ordered concept pairs they step along and by
    # the CMOCs they step on, so each refuted CMOC looks up only its own claims.
    order: dict[str, int] = {}
    by_pair: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_cmoc: dict[str, list[str]] = defaultdict(list)
    for p, seq in _pathway_steps(G).items():
        order[p] = len(order)
        ids = [id for kind, id in seq if kind == "Concept"]
        for pair in {(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]}:
            by_pair[pair].append(p)
        for m in {id for kind, id in seq if kind == "CMOC"}:
            by_cmoc[m].append(p)
    facts = []
    for m in refuted:
        used: dict[str, set[str]] = {p: set() for p in by_cmoc.get(m, ())}
        for pair in _claims(roles[m]) - live_claims:  # steps a live CMOC also makes are safe
            for p in by_pair.get(pair, ()):
                used.setdefault(p, set()).update(pair)
        if used:
            facts.append({"kind": "refuted-in-pathway", "cmocs": [m],
                          "pathways": sorted(used, key=order.__getitem__),
                          "concepts": sorted(set().union(*used.values()))})
    return facts


def describe_conflict(fact: Mapping[str, Any], names: Mapping[tuple[str, str], str]) -> str:
    """The ``reason`` sentence of a conflict, from its facts and node labels.

    ``names`` maps ``(label, id)`` node keys to display labels.
    ``queries/conflicts.cypher`` builds the same sentences in Cypher.
    """
    def c(ids: Iterable[str], any_one: bool = False) -> str:
        return (" or " if any_one else " + ").join(f"'{names.get(('Concept', i), i)}'" for i in ids)

    def noun(word: str, ids: list) -> str:
        return word + "s" * (len(ids) != 1)

    # the configuration: "context 'a' and mechanism 'm'", with resources, interventions
    # and actors where it has them; contexts either of which will do: 'a' or 'b'
    said = [f"{noun(role, fact[role])} {c(fact[role], role == 'context' and fact['context_any'])}"
            for role in _SHARED if fact.get(role)]
    config = ", ".join(said[:-1]) + " and " + said[-1] if len(said) > 1 else "".join(said)

    kind, ms = fact["kind"], fact["cmocs"]
    if kind in ("opposing-outcomes", "divergent-outcomes"):
        a, b = ms
        shared = f"{a} and {b} share {config}"
        if kind == "opposing-outcomes":
            clash = "; ".join(f"{c([x])} ({a}) vs {c([y])} ({b})" for x, y in fact["pairs"])
            return f"{shared} but lead to opposing outcomes: {clash}."
        oa, ob = fact["outcomes"]
        return f"{shared} but lead to different outcomes: {c(oa)} ({a}) vs {c(ob)} ({b})."
    if kind == "refuted-in-pathway":
        ps = ", ".join(f"'{names.get(('Pathway', p), p)}' ({p})" for p in fact["pathways"])
        return f"{ms[0]} is marked refuted but {noun('pathway', fact['pathways'])} {ps} still rely on it."
    if kind == "mixed-evidence":
        parts = "; ".join(f"{m}: {s} supporting, {r} refuting" for m, (s, r) in zip(ms, fact["counts"]))
        return f"Evidence on {config} points both ways ({parts})."
    raise ValueError(kind)  # pragma: no cover
