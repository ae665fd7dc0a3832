"""``--table evidence``: the evidence matrix, CMOC by site (or by source), or every quote.

The matrix has a row per CMOC under its area's section row and a column per
site (``--by site``, labels in the theory's order) or per source (``--by
source``: the sources of ``sources:``, then any free-text ``source:`` as
written, then ``(none)``), each cell the number of quotes supporting that
CMOC from there, and a total. ``--detail`` lists instead every quote for or
against each CMOC with its participant, site and wave (each a column only when
some quote has one). An item's
participant, site and wave are its own or else its source's, as in
``ptgraph query evidence``.
"""

from __future__ import annotations

from ..errors import UsageError
from ..model import Evidence, Theory
from ._table import Column, Section, Table

BY = ("site", "source")
NO_SOURCE = "(none)"


def _own_or_source(theory: Theory, item: Evidence, name: str) -> str | None:
    value = getattr(item, name)
    source = theory.source_of(item)
    return value if value is not None or source is None else getattr(source, name)


def supporting(theory: Theory) -> dict[str, list[tuple[Evidence, str]]]:
    """CMOC id -> ``(item, "supports")`` for each quote supporting it, in file order."""
    return {m: [x for x in found if x[1] == "supports"] for m, found in about(theory).items()}


def about(theory: Theory) -> dict[str, list[tuple[Evidence, str]]]:
    """CMOC id -> every ``(item, "supports" | "refutes")`` about it, in file order."""
    out: dict[str, list[tuple[Evidence, str]]] = {m: [] for m in theory.cmocs}
    for item in theory.evidence.values():
        for relation, ids in (("supports", item.supports), ("refutes", item.refutes)):
            for m in dict.fromkeys(ids):
                if m in out:
                    out[m].append((item, relation))
    return out


def _by_area(theory: Theory):
    for area_id, area in theory.areas.items():
        members = [m for m in theory.cmocs.values() if m.area == area_id]
        if members:
            yield area, members


def build(theory: Theory, by: str = "site", detail: bool = False, **_: object) -> Table:
    """The evidence table of a theory.

    Parameters
    ----------
    by : {"site", "source"}
        The matrix's columns.
    detail : bool
        List the quotes instead of counting them.

    Raises
    ------
    UsageError
        ``by`` is neither site nor source.
    """
    if by not in BY:
        raise UsageError(f"--by {by}: give one of {', '.join(BY)}")
    if detail:
        return _detail(theory)
    found = supporting(theory)
    if by == "site":
        keys = list(theory.sites)
        names = [theory.sites[k].label for k in keys]

        def key_of(item: Evidence) -> str | None:
            return _own_or_source(theory, item, "site")
    else:
        refs = [e.source_ref or NO_SOURCE for items in found.values() for e, _ in items]
        keys = list(theory.sources) + [r for r in dict.fromkeys(refs)
                                       if r not in theory.sources and r != NO_SOURCE]
        if NO_SOURCE in refs:
            keys.append(NO_SOURCE)
        names = list(keys)

        def key_of(item: Evidence) -> str | None:
            return item.source_ref or NO_SOURCE
    elsewhere = by == "site" and any(key_of(e) not in theory.sites for f in found.values() for e, _ in f)
    columns = [Column("ID")] + [Column(n, number=True) for n in names]
    if elsewhere:
        columns.append(Column("(no site)", number=True))
    table = Table("evidence", columns + [Column("Total", number=True)])
    for area, members in _by_area(theory):
        table.rows.append(Section(area.label))
        for m in members:
            items = [e for e, _ in found[m.id]]
            counts = [sum(1 for e in items if key_of(e) == k) for k in keys]
            if elsewhere:
                counts.append(sum(1 for e in items if key_of(e) not in theory.sites))
            table.rows.append([m.id, *counts, len(items)])
    return table


def _detail(theory: Theory) -> Table:
    table = Table("evidence-detail", [Column("CMOC"), Column("Evidence"), Column("Relation"),
                                      Column("Participant"), Column("Site"), Column("Wave"),
                                      Column("Quote", wide=True)])
    every = about(theory)
    for area, members in _by_area(theory):
        rows = [[m.id, e.id, relation, _own_or_source(theory, e, "participant") or "",
                 theory.sites[s].label if (s := _own_or_source(theory, e, "site")) in theory.sites
                 else s or "", _own_or_source(theory, e, "wave") or "", e.quote]
                for m in members for e, relation in every[m.id]]
        if rows:
            table.rows.append(Section(area.label))
            table.rows.extend(rows)
    return table.drop_empty("Participant", "Site", "Wave")
