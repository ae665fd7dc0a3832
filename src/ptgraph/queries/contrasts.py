"""``contrasts``: one mechanism (resource, intervention) across contexts, or one context
across mechanisms.

Twin: ``queries/contrasts.cypher``.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import networkx as nx

from ..errors import UsageError
from ..rules._common import nearest
from ._common import Rows, _check_int, _find, _joined, _roles
from ._common import example_graph  # noqa: F401 - the examples use it


#: What ``by`` groups on -> (the role compared across the group, its patterns in
#: order: opposing, different outcomes, the same outcome).
BY = {
    "mechanism": ("context", ("opposing", "context-dependent", "demi-regularity")),
    "context": ("mechanism", ("opposing", "mechanism-dependent", "equifinality")),
    "resource": ("context", ("opposing", "context-dependent", "demi-regularity")),
    "intervention": ("context", ("opposing", "context-dependent", "demi-regularity")),
}

#: The word before the other concepts a CMOC names in the role grouped on, in a reason.
ALSO_WORDS = {"mechanism": "also through", "resource": "also with", "intervention": "also with"}

#: Every pattern, in the order rows are sorted on (the realist contrast first).
PATTERN_ORDER = {p: i for patterns in ({"opposing": 0},
                                       {"context-dependent": 1, "mechanism-dependent": 1},
                                       {"demi-regularity": 2, "equifinality": 2})
                 for p, i in patterns.items()}


def contrasts(G: nx.MultiDiGraph, *, by: str = "mechanism", concept: str | None = None,
              limit: int | None = None) -> Rows:
    """One mechanism across the contexts it fires in; with ``by="context"``, one context
    across the mechanisms it triggers.

    The realist contrast: a CMOC claims that its mechanisms produce its
    outcomes *in its context*, so the same mechanism named by several CMOCs
    in different contexts shows "for whom, in what circumstances" it works.
    CMOCs marked ``refuted`` are left out: they claim nothing. Every role is
    compared as a *set* of concept ids, the contexts with their mode:
    ``{any: [a, b]}`` (either will do) differs from ``[a, b]`` (both).

    A row is one **shared concept** ``k``: a concept that two or more CMOCs
    name as a mechanism (``by="mechanism"``, the default), with every such
    CMOC. Two of them *differ in context* when their context sets differ
    (sharing some contexts is allowed: the contexts one has and the other has
    not are where they differ); CMOCs with the same contexts are no contrast
    (with the same mechanisms too, ``conflicts`` compares them). ``k`` has a
    row when two of its CMOCs differ in context, and its ``pattern`` is,
    over those pairs:

    ``opposing``
        some pair differing in context has outcomes ``x`` and ``y`` (``x != y``)
        where ``x`` opposes ``y`` or ``y`` opposes ``x``: the contrast realists
        look for;
    ``context-dependent``
        else, some pair differing in context has different outcome sets: the
        contexts are where to look for moderators;
    ``demi-regularity``
        else (every CMOC of ``k`` has the same outcome set): the same outcome
        across different contexts.

    With ``by="resource"`` (or ``"intervention"``), ``k`` is a resource (an
    intervention) two or more CMOCs name: the same resource, in different
    contexts; the rest is as for mechanisms.

    With ``by="context"``, ``k`` is a concept two or more CMOCs name as a
    context ("what fires in this circumstance"), two CMOCs differ when their
    *mechanisms* differ (their resource sets or their mechanism sets), and the
    patterns are ``opposing`` (countervailing mechanisms),
    ``mechanism-dependent`` and ``equifinality`` (the same outcome through
    different mechanisms). A CMOC's mechanism in the reason is written
    ``'resource' then 'reasoning'`` when it has a resource.

    Parameters
    ----------
    by : {"mechanism", "context", "resource", "intervention"}
        The role of the shared concept.
    concept : str, optional
        Only this shared concept.
    limit : int, optional
        At most this many rows, the first in order.

    Returns
    -------
    Rows
        ``concept`` (the shared concept), ``pattern``, ``cmocs`` (the CMOCs
        naming ``k`` in that role, sorted), then one entry per CMOC, in that
        order: ``contexts``, ``mechanisms``, ``outcomes`` (each the CMOC's
        concept ids, sorted and joined by ``" + "``: all of them; contexts any
        one of which will do by ``" or "``), ``quotes``
        (supporting evidence items), ``refuting``; and ``reason``, the
        contrast in a sentence with labels. Ordered by pattern (``opposing``,
        then different outcomes, then the same outcome), then ``concept``.
        :func:`explain_contrasts` says why there are none.

    Examples
    --------
    In the example theory B and C share their context and mechanism: no
    contrast (``conflicts`` reports their opposing outcomes).

    >>> contrasts(example_graph())
    []
    >>> print(explain_contrasts(example_graph()))  # doctest: +NORMALIZE_WHITESPACE
    contrasts: none: the CMOCs that share a mechanism (m2) share their contexts too;
    contrasts compare one mechanism across the contexts it fires in
    (`conflicts` compares CMOCs of one configuration)

    One mechanism in two contexts, with opposing outcomes:

    >>> from ptgraph.graph import build_graph
    >>> from ptgraph.model import CMOC, Area, Concept, Theory
    >>> t = Theory("t", "T", areas={"a": Area("a", "A")}, concepts={
    ...     "copes": Concept("copes", "Copes"), "struggles": Concept("struggles", "Struggles"),
    ...     "sim": Concept("sim", "Simulated patient"), "up": Concept("up", "Learns more"),
    ...     "down": Concept("down", "Learns less", opposes=("up",))}, cmocs={
    ...     "S1": CMOC("S1", "a", "...", ("copes",), ("sim",), ("up",)),
    ...     "S2": CMOC("S2", "a", "...", ("struggles",), ("sim",), ("down",))})
    >>> row = contrasts(build_graph(t))[0]
    >>> row["concept"], row["pattern"], row["cmocs"], row["contexts"], row["outcomes"]
    ('sim', 'opposing', ['S1', 'S2'], ['copes', 'struggles'], ['up', 'down'])
    >>> print(row["reason"])
    'Simulated patient' leads to opposing outcomes in different contexts:
    'Learns more' in 'Copes' (S1) vs 'Learns less' in 'Struggles' (S2).
    """
    if by not in BY:
        raise UsageError(f"by: contrasts group by {', '.join(list(BY)[:-1])} or {list(BY)[-1]}, not '{by}'"
                         f"{nearest(by, BY)}")
    if concept is not None:
        _find(G, ("Concept",), concept, "concept")
    _check_int("limit", limit, 1)
    other, patterns = BY[by]
    live = _live(G, _roles(G))
    opposes = {frozenset((u[1], v[1])) for u, v, t in G.edges(data="type") if t == "OPPOSES"}
    opposing: dict[str, set[str]] = {}  # read in both directions
    for pair in opposes:
        for x in pair:
            opposing.setdefault(x, set()).update(pair)
    names = {key: d.get("label", key[1]) for key, d in G.nodes(data=True)}
    groups = _groups(live, by)
    # the concepts opposing an outcome of each CMOC: a pair (a, b) has opposing
    # outcomes exactly when an outcome of b is one of a's
    against = {m: {y for x in r.outcome for y in opposing.get(x, ()) if y != x}
               for m, r in live.items()}
    rows = []
    for k, ms in sorted(groups.items()):
        if len(ms) < 2 or (concept is not None and k != concept):
            continue
        if len({_vary(live[m], other) for m in ms}) < 2:
            continue  # no two of them differ: no contrast
        # pairs that differ with opposing outcomes (the others are not listed: there
        # may be very many, and only whether their outcomes differ matters)
        clashes = [(a, b, _clash(live[a].outcome, live[b].outcome, opposes))
                   for i, a in enumerate(ms) for b in ms[i + 1:]
                   if against[a] & live[b].outcome
                   and _vary(live[a], other) != _vary(live[b], other)]
        if clashes:
            pattern = patterns[0]
        elif len({live[m].outcome for m in ms}) > 1:
            # two of them differ, so when every pair that differs has the same
            # outcomes, all of them have: different outcome sets mean a pair that differs
            pattern = patterns[1]
        else:
            pattern = patterns[2]
        quotes = {m: _evidence(G, m) for m in ms}
        rows.append({
            "concept": k, "pattern": pattern, "cmocs": ms,
            "contexts": [_joined(live[m].context, live[m].context_any) for m in ms],
            "mechanisms": [_joined(live[m].mechanism) for m in ms],
            "outcomes": [_joined(live[m].outcome) for m in ms],
            "quotes": [quotes[m][0] for m in ms], "refuting": [quotes[m][1] for m in ms],
            "reason": describe_contrast({"by": by, "concept": k, "pattern": pattern, "cmocs": ms,
                                         "roles": {m: live[m] for m in ms}, "clashes": clashes},
                                        names)})
    rows.sort(key=lambda r: (PATTERN_ORDER[r["pattern"]], r["concept"]))
    return Rows(rows[:limit])


def _vary(r: Any, other: str) -> Any:
    """What two CMOCs must differ in to be a contrast: the contexts with their mode (any
    one of them, or all), or the mechanisms (resources and reasoning)."""
    return r.situation if other == "context" else (r.resource, r.mechanism)


def _live(G: nx.MultiDiGraph, roles: Mapping[str, Any]) -> dict[str, Any]:
    """The roles of the CMOCs that are not marked refuted, in id order."""
    return {m: r for m, r in roles.items() if G.nodes["CMOC", m].get("status") != "refuted"}


def _groups(roles: Mapping[str, Any], by: str) -> dict[str, list[str]]:
    """Concept -> the CMOCs (of ``roles``, in id order) naming it in the role ``by``."""
    groups: dict[str, list[str]] = {}
    for m, r in roles.items():
        for k in getattr(r, by):
            groups.setdefault(k, []).append(m)
    return groups


def _clash(xs: Iterable[str], ys: Iterable[str], opposes: set[frozenset]) -> list[tuple[str, str]]:
    """Pairs ``(x, y)`` of ``xs`` and ``ys``, ``x != y``, that oppose each other, sorted."""
    return sorted((x, y) for x in xs for y in ys if x != y and frozenset((x, y)) in opposes)


def _evidence(G: nx.MultiDiGraph, cmoc: str) -> tuple[int, int]:
    """(supporting, refuting) evidence items of a CMOC, each item counted once."""
    found: dict[str, set] = {"SUPPORTS": set(), "REFUTES": set()}
    for e, _, t in G.in_edges(("CMOC", cmoc), data="type"):
        if t in found:
            found[t].add(e)
    return len(found["SUPPORTS"]), len(found["REFUTES"])


def describe_contrast(fact: Mapping[str, Any], names: Mapping[tuple[str, str], str]) -> str:
    """The ``reason`` sentence of a contrast row, with labels (``names``: node key -> label).

    ``fact`` holds ``by``, ``concept``, ``pattern``, ``cmocs``, ``roles`` (CMOC
    id -> its roles) and ``clashes`` (``(a, b, [(x, y), ...])``: CMOCs ``a`` and
    ``b`` with opposing outcomes ``x`` and ``y``). ``queries/contrasts.cypher``
    builds the same sentence in Cypher.
    """
    def c(ids: Iterable[str], any_one: bool = False) -> str:
        return (" or " if any_one else " + ").join(
            f"'{names.get(('Concept', i), i)}'" for i in sorted(ids))

    def role(m: str, name: str) -> str:  # contexts any one of which will do: 'a' or 'b'
        said = c(getattr(roles[m], name), name == "context" and roles[m].context_any)
        if name == "mechanism" and roles[m].resource:  # the causal order: resource, then reasoning
            return f"{c(roles[m].resource)} then {said}"
        return said

    by, k, ms, roles = fact["by"], fact["concept"], fact["cmocs"], fact["roles"]
    pattern = fact["pattern"]
    other = BY[by][0]
    on_mechanism = by != "context"

    def tag(m: str) -> str:  # the CMOC, and what else it names in the shared role
        also = sorted(getattr(roles[m], by) - {k})
        word = (ALSO_WORDS[by] if on_mechanism
                else "or given" if roles[m].context_any else "also given")
        return f"({m}, {word} {c(also)})" if also else f"({m})"

    def varies(m: str) -> str:  # the role compared, with its word: in contexts, through mechanisms
        return ("in " if on_mechanism else "through ") + role(m, other)

    head = f"{c([k])} leads to" if on_mechanism else f"In {c([k])}, different mechanisms lead to"
    where = " in different contexts" if on_mechanism else ""
    if pattern == "opposing":
        items = [f"{c([x])} {varies(a)} {tag(a)} vs {c([y])} {varies(b)} {tag(b)}"
                 for a, b, pairs in fact["clashes"] for x, y in pairs]
        return f"{head} opposing outcomes{where}: " + "; ".join(items) + "."
    if pattern in ("context-dependent", "mechanism-dependent"):
        items = [f"{'in ' if on_mechanism else ''}{role(m, other)} to "
                 f"{c(roles[m].outcome)} {tag(m)}" for m in ms]
        return f"{head} different outcomes{where}: " + "; ".join(items) + "."
    same = roles[ms[0]].outcome
    items = [f"{role(m, other)} {tag(m)}" for m in ms]
    return f"{head} the same {_noun('outcome', same)} {c(same)}{where}: " + "; ".join(items) + "."


def _noun(word: str, ids: Iterable) -> str:
    return word + "s" * (len(list(ids)) != 1)


def explain_contrasts(G: nx.MultiDiGraph, *, by: str = "mechanism", concept: str | None = None,
                      **_: object) -> str:
    """Why :func:`contrasts` finds no contrast: one line for people.

    >>> print(explain_contrasts(example_graph(), concept="m1"))  # doctest: +NORMALIZE_WHITESPACE
    contrasts: none: 'm1' is the mechanism of one CMOC (A);
    contrasts compare one mechanism across the contexts it fires in
    """
    other = BY[by][0]
    roles = _roles(G)
    groups = _groups(_live(G, roles), by)
    everyone = {k: len(ms) for k, ms in _groups(roles, by).items()}  # refuted CMOCs too
    what = ("contrasts compare one mechanism across the contexts it fires in" if by == "mechanism"
            else "by context, contrasts compare the mechanisms one context triggers" if by == "context"
            else f"by {by}, contrasts compare one {by} across the contexts it is used in")
    pointer = "(`conflicts` compares CMOCs of one configuration)"
    if concept is not None:
        ms = groups.get(concept, [])
        if len(ms) >= 2:
            return (f"contrasts: none: the {len(ms)} CMOCs with '{concept}' as their {by} "
                    f"({', '.join(ms)}) share their {other}s too; {what} {pointer}")
        refuted = everyone.get(concept, 0) - len(ms)
        aside = f" (and of {refuted} marked refuted, left out)" if refuted else ""
        used = f"one CMOC ({ms[0]})" if ms else "no CMOC"
        return f"contrasts: none: '{concept}' is the {by} of {used}{aside}; {what}"
    shared = [k for k, ms in sorted(groups.items()) if len(ms) >= 2]
    if not shared:
        aside = (" once those marked refuted are left out"
                 if any(n >= 2 for n in everyone.values()) else "")
        return f"contrasts: none: no concept is the {by} of two or more CMOCs{aside}; {what}"
    listed = ", ".join(shared[:5]) + (", ..." if len(shared) > 5 else "")
    return (f"contrasts: none: the CMOCs that share a {by} ({listed}) share their {other}s too; "
            f"{what} {pointer}")
