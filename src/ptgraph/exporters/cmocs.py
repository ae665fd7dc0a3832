"""``--table cmocs``: the CMOCs in the shape of the buy-in paper's Table 4.

A section row per area (its label), then one row per CMOC of that area:
id, statement as written, the number of quotes supporting it, the number of
distinct sources they come from (a column only in a theory with ``sources:``), and the
CMOC's confidence level (a column only when some CMOC has one, empty for the others). Areas and CMOCs come in the theory's order. ``ptgraph import
table`` reads this table back (section rows, id column, statement markers).
"""

from __future__ import annotations

from ..model import Theory
from ._table import Column, Section, Table
from .evidence import supporting


def build(theory: Theory, **_: object) -> Table:
    """The CMOC table of a theory.

    Returns
    -------
    Table
        Columns ``ID``, ``CMOC``, ``Evidence``, then ``Sources`` and ``Confidence`` unless
        no CMOC has a value for them.
    """
    table = Table("cmocs", [Column("ID"), Column("CMOC", wide=True), Column("Evidence", number=True),
                            Column("Sources", number=True), Column("Confidence")])
    items = supporting(theory)
    for area_id, area in theory.areas.items():
        members = [m for m in theory.cmocs.values() if m.area == area_id]
        if not members:
            continue
        table.rows.append(Section(area.label))
        for m in members:
            found = items.get(m.id, [])
            sources = {e.source_ref for e, _ in found if e.source_ref in theory.sources}
            table.rows.append([m.id, m.statement, len(found),
                               len(sources) if theory.sources else "",
                               m.confidence.level if m.confidence else ""])
    return table.drop_empty("Sources", "Confidence")
