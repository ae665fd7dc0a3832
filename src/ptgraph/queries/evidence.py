"""``evidence``: the quotes, sites and waves behind each CMOC (twin: ``queries/evidence.cypher``)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from ..errors import UsageError
from ..rules._common import nearest
from ._common import Rows, _areas, _check_int, _theory_name
from ._common import example_graph  # noqa: F401 - the examples use it


def _site_keys(G: nx.MultiDiGraph) -> set[str]:
    return {k for key, d in G.nodes(data=True) if key[0] == "Site" for k in d} - {"theory", "labels"}


def _type_rank(value: Any) -> tuple:
    # Cypher orders strings before booleans before numbers, and null last.
    if value is None:
        return (3,)
    if isinstance(value, str):
        return (0, value)
    if isinstance(value, bool):
        return (1, value)
    return (2, value)


def evidence(G: nx.MultiDiGraph, *, by: str | None = None, flagged: bool = False,
             detail: bool = False, limit: int | None = None) -> Rows:
    """How much evidence each CMOC rests on; with ``by``, split by a site attribute.

    Parameters
    ----------
    by : str, optional
        A site attribute (``deprivation``, ``region``, ... or ``id`` for one row
        per site). List-valued attributes count once per value.
    flagged : bool
        Only rows with a ``flag``.
    detail : bool
        Fill ``detail`` with the row's quotes and their sources.
    limit : int, optional
        At most this many rows, the first in order.

    Returns
    -------
    Rows
        ``cmoc``, ``area``, ``value``, ``quotes`` (supporting items),
        ``refuting``, and over the supporting items ``participants`` (distinct
        codes), ``sites`` and ``waves`` (sorted ids), and ``flag``:
        ``no-evidence`` (no supporting item), ``single-source`` (in a theory
        with ``sources:``, all from one source or none), ``single-site`` (in a
        theory with sites, all from one site or none recorded) or ``None``;
        then, added after ``flag`` so that older readers keep their columns,
        ``sources`` (distinct sources of the supporting items), ``confidence``
        (the CMOC's confidence level or ``None``) and ``detail``: with
        ``detail``, every item for or against as ``ID [SOURCE] refutes: QUOTE``
        (SOURCE the item's ``source:`` as written, ``refutes`` only for an item
        against), ordered by id; otherwise ``None``. An item's participant,
        site and wave are its own or else its source's. Without ``by``, one row per CMOC
        with ``value`` ``None``, ordered by ``cmoc``. With ``by``, one row per
        CMOC and attribute value that has evidence, the counts and the flag over
        that value's items; evidence with no site or no value for the attribute
        counts under ``value`` ``None``, and a CMOC without any evidence has one
        such row of zeros. Ordered by ``cmoc`` then ``value`` (Cypher order:
        text, then false/true, then numbers, then null).

    Notes
    -----
    One row shape with and without ``by``, because a Cypher query returns the
    same columns whatever its parameters. The Cypher twin
    (``queries/evidence.cypher``) reads ``s[$by]`` of each item's site and
    groups the items by CMOC and value.

    Examples
    --------
    >>> for row in evidence(example_graph()):
    ...     print(row["cmoc"], row["quotes"], row["sites"], row["waves"], row["flag"])
    A 2 ['s1', 's2'] ['follow-up', 'interview'] None
    B 1 ['s1'] ['interview'] single-site
    C 0 [] [] no-evidence
    >>> [(r["cmoc"], r["value"], r["quotes"]) for r in evidence(example_graph(), by="deprivation")]
    [('A', 'High', 1), ('A', 'Low', 1), ('B', 'High', 1), ('C', None, 0)]
    >>> evidence(example_graph(), detail=True)[1]["detail"]
    ['q1: ...']
    """
    _check_int("limit", limit, 1)
    if by is not None and by not in _site_keys(G):
        keys = sorted(_site_keys(G))
        raise UsageError(f"by: no site attribute '{by}' in theory '{_theory_name(G)}'"
                         f"{nearest(by, keys)}; one of {', '.join(keys) or '(no sites)'}")
    areas = _areas(G)
    has_sites = any(key[0] == "Site" for key in G)
    has_sources = any(key[0] == "Source" for key in G)
    items: dict[str, list[tuple[str, dict, dict | None]]] = {m: [] for m in areas}
    for (kind, e), (_, m), rel in G.edges(data="type"):
        if kind == "Evidence" and rel in ("SUPPORTS", "REFUTES"):
            items[m].append((rel, *_item(G, ("Evidence", e))))
    rows = []
    for m in sorted(items):
        # Split by the value's rank, so that True and 1 (equal in Python) stay apart as in Cypher.
        split: dict[tuple, list] = {_type_rank(None): []} if not items[m] else defaultdict(list)
        for rel, e, site in items[m]:
            value = None if by is None or site is None else site.get(by)
            for v in (value if isinstance(value, list) else [value]):
                split[_type_rank(v)].append((rel, e, site))
        for rank in sorted(split):
            summary = _tally(split[rank])
            sources = summary.pop("sources")
            flag = "no-evidence" if not summary["quotes"] else \
                "single-source" if has_sources and sources <= 1 else \
                "single-site" if has_sites and len(summary["sites"]) <= 1 else None
            if flag or not flagged:
                rows.append({"cmoc": m, "area": areas[m], "value": rank[-1] if len(rank) > 1 else None,
                             **summary, "flag": flag, "sources": sources,
                             "confidence": G.nodes["CMOC", m].get("confidence"),
                             "detail": _detail(split[rank]) if detail else None})
    return Rows(rows[:limit])


def _item(G: nx.MultiDiGraph, key: tuple[str, str]) -> tuple[dict, dict | None]:
    """An evidence item with its source's participant, site and wave where it has none itself."""
    e = dict(G.nodes[key])
    site = source = None
    for nxt in G.successors(key):
        if nxt[0] == "Site":
            site = G.nodes[nxt]
        elif nxt[0] == "Source":
            source = nxt
    if source is not None:
        e["from_source"] = source[1]
        for name in ("participant", "wave"):
            if name not in e and name in G.nodes[source]:
                e[name] = G.nodes[source][name]
        if site is None:
            site = next((G.nodes[s] for s in G.successors(source) if s[0] == "Site"), None)
    return e, site


def _detail(found: list[tuple[str, dict, dict | None]]) -> list[str]:
    out = set()
    for rel, e, _ in found:
        where = f" [{e['source']}]" if "source" in e else ""
        out.add(f"{e['id']}{where}{' refutes' if rel == 'REFUTES' else ''}: {e['quote']}")
    return sorted(out)


def _tally(found: list[tuple[str, dict, dict | None]]) -> dict:
    support = [(e, s) for rel, e, s in found if rel == "SUPPORTS"]
    return {
        "quotes": len({e["id"] for e, _ in support}),
        "refuting": len({e["id"] for rel, e, _ in found if rel == "REFUTES"}),
        "participants": len({e["participant"] for e, _ in support if "participant" in e}),
        "sites": sorted({s["id"] for _, s in support if s is not None}),
        "waves": sorted({e["wave"] for e, _ in support if "wave" in e}),
        "sources": len({e["from_source"] for e, _ in support if "from_source" in e}),
    }
