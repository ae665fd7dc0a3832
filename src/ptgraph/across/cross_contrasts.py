"""``cross-contrasts``: one term across the contexts (or mechanisms) of several theories.

Twin: ``queries/across/cross-contrasts.cypher``.
"""

from __future__ import annotations

import networkx as nx

from ..errors import UsageError
from ..queries import Rows
from ..queries._common import _check_int
from ._common import (Use, by_term, check_theories, cross_pairs, find_term, opposed_terms,
                      outcome_pattern, term_label, uses)

#: ``by`` -> the words of its patterns, in order: opposing, the same outcome, outcomes
#: unmapped, different outcomes.
BY = {
    "mechanism": ("opposing", "demi-regularity", "outcomes-unmapped", "context-dependent"),
    "resource": ("opposing", "demi-regularity", "outcomes-unmapped", "context-dependent"),
    "intervention": ("opposing", "demi-regularity", "outcomes-unmapped", "context-dependent"),
    "context": ("opposing", "equifinality", "outcomes-unmapped", "mechanism-dependent"),
}
#: Every pattern -> its place in the order of rows (the realist contrast first).
PATTERN_ORDER = {"opposing": 0, "context-dependent": 1, "mechanism-dependent": 1,
                 "demi-regularity": 2, "equifinality": 2, "outcomes-unmapped": 3}


def _compared(u: Use, by: str) -> tuple:
    """What two CMOCs must differ in to be a contrast: their contexts (as terms, with the
    mode), or, grouped by context, their mechanisms (resources and reasoning, as terms)."""
    if by == "context":
        return (u.key["resource"], u.key["mechanism"])
    return (u.key["context"], u.context_any)


def cross_contrasts(G: nx.MultiDiGraph, *, by: str = "mechanism", term: str | None = None,
                    theories: list[str] | None = None, limit: int | None = None) -> Rows:
    """A term used by CMOCs of two or more theories in different circumstances: the
    realist contrast across studies.

    As :func:`ptgraph.queries.contrasts`, with vocabulary terms for concepts: a row is a
    term ``k`` that CMOCs of two or more theories use in the role ``by`` (a concept in
    that role maps to ``k``, ``exact`` or ``close``), when two of them, of different
    theories, *differ* — in their contexts (compared as terms, a context no term stands
    for being its theory's own, and with their mode), or, ``by="context"``, in their
    mechanisms (resources and reasoning). CMOCs marked refuted are left out.

    Parameters
    ----------
    by : {"mechanism", "resource", "intervention", "context"}
        The role of the shared term.
    term : str, optional
        Only this term.
    theories : list of str, optional
        Only these theories (default: all of the graph's).
    limit : int, optional
        At most this many rows, the first in order.

    Returns
    -------
    Rows
        ``term``, ``label``, ``pattern``, ``theories`` (sorted), ``cmocs``
        (``theory:CMOC``, by theory then id), and per CMOC ``contexts``,
        ``mechanisms``, ``outcomes`` (its concept ids joined as in ``contrasts``).
        ``pattern``: ``opposing`` (two CMOCs of different theories that differ have
        outcomes that oppose), else ``demi-regularity`` (``equifinality`` by context:
        every CMOC has the same outcome terms), else ``outcomes-unmapped`` (an
        outcome maps to no term), else ``context-dependent`` (``mechanism-dependent``).
        Ordered by pattern (opposing, different outcomes, the same outcome, unmapped),
        then term.
    """
    if by not in BY:
        raise UsageError(f"by: cross-contrasts group by {', '.join(list(BY)[:-1])} or "
                         f"{list(BY)[-1]}, not '{by}'")
    find_term(G, term)
    _check_int("limit", limit, 1)
    theories = check_theories(G, theories)
    opposed = opposed_terms(G)
    rows = []
    for k, group in sorted(by_term(uses(G, theories), by).items()):
        if term is not None and k != term:
            continue
        differing = [(a, b) for a, b in cross_pairs(group) if _compared(a, by) != _compared(b, by)]
        if not differing:
            continue  # one theory only, or the theories' CMOCs agree: no contrast
        rows.append({
            "term": k, "label": term_label(G, k),
            "pattern": outcome_pattern(group, differing, opposed, BY[by]),
            "theories": sorted({u.theory for u in group}), "cmocs": [u.name for u in group],
            "contexts": [u.joined("context") for u in group],
            "mechanisms": [u.joined("mechanism") for u in group],
            "outcomes": [u.joined("outcome") for u in group]})
    rows.sort(key=lambda r: (PATTERN_ORDER[r["pattern"]], r["term"]))
    return Rows(rows[:limit])
