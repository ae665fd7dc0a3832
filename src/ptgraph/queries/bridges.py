"""``bridges``: joins of configurations no CMOC asserts, as hypotheses (twin: ``queries/bridges.cypher``)."""

from __future__ import annotations

from typing import Iterable, Mapping

import networkx as nx

from ._common import Rows, _check_int, _find, _label, _Roles, _roles
from ._common import example_graph  # noqa: F401 - the examples use it


def bridges(G: nx.MultiDiGraph, *, cmoc: str | None = None, concept: str | None = None,
            limit: int | None = None) -> Rows:
    """Joins of two configurations that no CMOC asserts: hypotheses, candidates for theory testing.

    A *bridge* is CMOCs ``m`` and ``n`` (``m != n``) and a concept ``c``
    where ``c`` is produced by ``m`` (its mechanism or outcome) and is a
    mechanism (or a resource) of ``n``, but not a context of ``n``. A walk along TRIGGERS and
    PRODUCES edges could go on there, from ``m``'s edge into ``c`` to ``n``'s
    edge from ``c`` to its outcome, and before the join rule of :func:`paths`
    it did; but ``n`` claims that ``c`` produces its outcome only in its own
    contexts, so no CMOC asserts that ``c``, as ``m`` produces it, leads
    there. These are exactly the joins of consecutive edges that a causal
    path may not make. The ``reason`` says when every context of ``n`` is
    also one that ``m`` needs (``m``'s contexts not being alternatives): then
    ``n``'s own claim may cover the join.

    Parameters
    ----------
    cmoc : str, optional
        Only the bridges from or to this CMOC.
    concept : str, optional
        Only the bridges at this concept.
    limit : int, optional
        At most this many rows, the first in order.

    Returns
    -------
    Rows
        ``cmocs`` (``[m, n]``, the CMOCs it would join, in order),
        ``concept`` (``c``), ``contexts`` and ``outcomes`` (of ``n``, sorted:
        where ``n`` makes its claim, and what the join would lead to), and
        ``reason`` (a sentence using labels). Ordered by ``cmocs``, then
        ``concept``.

    Notes
    -----
    Cypher (``queries/bridges.cypher``): ``(m)-[:HAS_MECHANISM|HAS_OUTCOME]->(c)
    <-[:HAS_RESOURCE|HAS_MECHANISM]-(n)`` where ``n`` has no ``HAS_CONTEXT`` to ``c``, with
    the same ``reason`` sentence built in Cypher.

    Examples
    --------
    B and C share the mechanism m2 (and their context y, so each one's claim
    may cover the join):

    >>> for row in bridges(example_graph()):
    ...     print(row["cmocs"], row["concept"], row["outcomes"])
    ['B', 'C'] m2 ['w']
    ['C', 'B'] m2 ['z']
    >>> print(bridges(example_graph(), cmoc="B", limit=1)[0]["reason"])
    No CMOC asserts that 'M2', as B produces it, leads to 'W': C claims that only in
    context 'Y', which B shares, so C's own claim may cover it.
    """
    if cmoc is not None:
        _find(G, ("CMOC",), cmoc, "cmoc")
    if concept is not None:
        _find(G, ("Concept",), concept, "concept")
    _check_int("limit", limit, 1)
    roles = _roles(G)
    rows = Rows()
    for m, c, n in _bridges(roles):
        if (cmoc is None or cmoc in (m, n)) and (concept is None or concept == c):
            rn = roles[n]
            contexts, outcomes = sorted(rn.context), sorted(rn.outcome)
            # n's claim may cover the join where m is in n's situation: in every context
            # n needs, or, when any one of n's contexts will do, in one of them. Only a CMOC
            # that needs all its contexts is sure to be in them: one of alternatives is not.
            rm = roles[m]
            shared = not rm.context_any and (bool(rn.context & rm.context) if rn.context_any
                                             else rn.context <= rm.context)
            rows.append({"cmocs": [m, n], "concept": c, "contexts": contexts, "outcomes": outcomes,
                         "reason": describe_bridge(G, m, c, n, contexts, outcomes, shared,
                                                   rn.context_any)})
            if limit is not None and len(rows) >= limit:
                break
    return rows


def _bridges(roles: Mapping[str, _Roles]) -> list[tuple[str, str, str]]:
    """Every bridge ``(m, c, n)``, sorted by ``m``, ``n``, ``c``."""
    by_mechanism: dict[str, list[str]] = {}
    for n, r in roles.items():
        for c in r.resource | r.mechanism:  # where n's own edges go on: to its reasoning, its outcome
            by_mechanism.setdefault(c, []).append(n)
    found = [(m, c, n) for m, r in roles.items() for c in r.produced
             for n in by_mechanism.get(c, ()) if n != m and c not in roles[n].context]
    return sorted(found, key=lambda b: (b[0], b[2], b[1]))


def describe_bridge(G: nx.MultiDiGraph, m: str, c: str, n: str, contexts: list[str],
                    outcomes: list[str], shared: bool = False, any_one: bool = False) -> str:
    """The ``reason`` sentence of a bridge; ``queries/bridges.cypher`` builds the same one.

    ``shared``: every context of ``n`` (with ``any_one``, when any one of them
    will do: one of them) is one of ``m`` too, so that ``n``'s own claim may
    already cover the join (then it is hardly a hypothesis).
    """
    def said(ids: Iterable[str], sep: str = " + ") -> str:
        return sep.join(f"'{_label(G, 'Concept', i)}'" for i in ids)

    noun = "context" if len(contexts) == 1 else "contexts"
    claim = (f"No CMOC asserts that {said([c])}, as {m} produces it, leads to {said(outcomes)}: "
             f"{n} claims that only in {noun} {said(contexts, ' or ' if any_one else ' + ')}")
    if shared:
        which = "one of which" if any_one else "which"
        return f"{claim}, {which} {m} shares, so {n}'s own claim may cover it."
    return f"{claim}. A hypothesis, a candidate for theory testing."


def explain_bridges(G: nx.MultiDiGraph, *, cmoc: str | None = None, concept: str | None = None,
                    **_: object) -> str:
    """Why :func:`bridges` finds none: one line for people.

    >>> explain_bridges(example_graph(), cmoc="A")  # doctest: +ELLIPSIS
    'bridges: none for CMOC A: wherever ...'
    """
    where = " and ".join(filter(None, (cmoc and f"CMOC {cmoc}",
                                       concept and f"concept '{_label(G, 'Concept', concept)}'")))
    return (f"bridges: none{' for ' + where if where else ''}: wherever the mechanism or outcome "
            "of one CMOC is a mechanism of another, it is also a context of that other, so every "
            "join of configurations there is one a CMOC asserts.")
