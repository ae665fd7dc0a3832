"""``cross-chains``: one theory's outcome (or mechanism) is another theory's context.

Twin: ``queries/across/cross-chains.cypher``.
"""

from __future__ import annotations

import networkx as nx

from ..queries import Rows
from ..queries._common import _check_int
from ._common import check_theories, find_term, term_label, term_maps, uses


def cross_chains(G: nx.MultiDiGraph, *, term: str | None = None,
                 theories: list[str] | None = None, limit: int | None = None) -> Rows:
    """Links from a CMOC of one theory to a CMOC of another, through the vocabulary.

    CMOC ``m`` of theory A links to CMOC ``n`` of theory B (A != B) through term
    ``x`` when an outcome or mechanism of ``m`` (what it produces; never its resource)
    and a context of ``n`` both map to ``x`` with an ``exact`` or ``close`` match:
    "the outcome of one configuration becomes the context of another", across
    studies. Both matches ``exact`` make the link as strong as the mappings; a
    ``close`` one makes it a hypothesis to test. CMOCs marked refuted are left out.
    Longer chains: follow ``chains`` within each theory from either end.

    Parameters
    ----------
    term : str, optional
        Only links through this term.
    theories : list of str, optional
        Only these theories (default: all of the graph's).
    limit : int, optional
        At most this many rows, the first in order.

    Returns
    -------
    Rows
        ``cmocs`` (``[A:m, B:n]``), ``theories`` (``[A, B]``), ``term``, ``label``
        (the term's), ``concepts`` (``[the concept of m, the concept of n]``) and
        ``match`` (``exact`` when both mappings are exact, else ``close``). Ordered by
        ``cmocs``, ``term``, ``concepts``.
    """
    find_term(G, term)
    _check_int("limit", limit, 1)
    theories = check_theories(G, theories)
    maps = term_maps(G)
    all_uses = uses(G, theories)
    by_context: dict[str, list[tuple]] = {}
    for n in all_uses:
        for c in n.parts["context"]:
            for x, match in maps.get((n.theory, c), {}).items():
                by_context.setdefault(x, []).append((n, c, match))
    rows = []
    for m in all_uses:
        for c in m.parts["mechanism"] | m.parts["outcome"]:
            for x, match in maps.get((m.theory, c), {}).items():
                if term is not None and x != term:
                    continue
                for n, c2, match2 in by_context.get(x, ()):
                    if n.theory != m.theory:
                        rows.append({"cmocs": [m.name, n.name], "theories": [m.theory, n.theory],
                                     "term": x, "label": term_label(G, x), "concepts": [c, c2],
                                     "match": "exact" if match == match2 == "exact" else "close"})
    rows.sort(key=lambda r: (r["cmocs"], r["term"], r["concepts"]))
    return Rows(rows[:limit])
