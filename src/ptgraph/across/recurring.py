"""``recurring``: a vocabulary term used as a mechanism (or resource) in several theories.

Twin: ``queries/across/recurring.cypher``.
"""

from __future__ import annotations

import networkx as nx

from ..errors import UsageError
from ..queries import Rows
from ..queries._common import _check_int
from ._common import (by_term, check_theories, cross_pairs, find_term, opposed_terms,
                      outcome_pattern, term_label, uses)

#: The roles ``recurring`` groups on.
ROLES = ("mechanism", "resource")
#: Patterns, in the order rows are sorted on.
PATTERNS = ("opposing", "different-outcomes", "demi-regularity", "outcomes-unmapped")


def recurring(G: nx.MultiDiGraph, *, role: str = "mechanism", term: str | None = None,
              theories: list[str] | None = None, limit: int | None = None) -> Rows:
    """Vocabulary terms that CMOCs of two or more theories use as a mechanism (or resource):
    a mechanism recognised across studies, with the contexts and outcomes each attaches.

    A CMOC uses a term when a concept in its ``role`` maps to it with an ``exact`` or
    ``close`` match. CMOCs marked refuted are left out. Outcomes compare through the
    vocabulary: two outcomes are the same when they map to the same terms, and oppose
    when a theory declares concepts mapped to them to oppose (``opposes:``).

    Parameters
    ----------
    role : {"mechanism", "resource"}
        The role the term is used in.
    term : str, optional
        Only this term.
    theories : list of str, optional
        Only these theories (default: all of the graph's).
    limit : int, optional
        At most this many rows, the first in order.

    Returns
    -------
    Rows
        ``term``, ``label`` (the term's), ``role``, ``pattern``, ``theories`` (sorted),
        ``cmocs`` (``theory:CMOC``, by theory then id), and one entry per CMOC in that
        order: ``contexts``, ``outcomes`` (its concept ids, sorted, joined by `` + ``,
        contexts any one of which will do by `` or ``) and ``outcome_terms`` (the terms
        its outcomes map to, joined by `` + ``; ``""`` for none). ``pattern``, over the
        CMOCs of different theories: ``opposing`` (some outcomes oppose: a cross-study
        contrast), ``demi-regularity`` (every CMOC has the same outcome terms),
        ``outcomes-unmapped`` (an outcome maps to no term, so whether they differ is not
        known), else ``different-outcomes``. Ordered by pattern as listed in
        :data:`PATTERNS`, then term.
    """
    if role not in ROLES:
        raise UsageError(f"role: recurring groups on mechanism or resource, not '{role}'")
    find_term(G, term)
    _check_int("limit", limit, 1)
    theories = check_theories(G, theories)
    opposed = opposed_terms(G)
    rows = []
    for k, group in sorted(by_term(uses(G, theories), role).items()):
        if (term is not None and k != term) or len({u.theory for u in group}) < 2:
            continue
        pattern = outcome_pattern(group, cross_pairs(group), opposed,
                                  ("opposing", "demi-regularity", "outcomes-unmapped",
                                   "different-outcomes"))
        rows.append({
            "term": k, "label": term_label(G, k), "role": role, "pattern": pattern,
            "theories": sorted({u.theory for u in group}), "cmocs": [u.name for u in group],
            "contexts": [u.joined("context") for u in group],
            "outcomes": [u.joined("outcome") for u in group],
            "outcome_terms": [" + ".join(sorted(u.terms["outcome"])) for u in group]})
    rows.sort(key=lambda r: (PATTERNS.index(r["pattern"]), r["term"]))
    return Rows(rows[:limit])
