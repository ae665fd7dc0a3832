"""``--table sites``: the sites side by side, in the shape of the buy-in paper's Table 1.

One column per site (headed by its label), one row per attribute, in the
order the attributes first appear; a site without an attribute has an empty
cell. Values are written as in the YAML: lists joined by "; ", true/false as
such.
"""

from __future__ import annotations

from ..model import Theory
from ._table import Column, Table


def _value(value) -> str | int:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(str(_value(v)) for v in value)
    if isinstance(value, int):
        return value
    return str(value)


def build(theory: Theory, **_: object) -> Table:
    """The sites table: columns ``""`` then each site's label; rows per attribute."""
    sites = list(theory.sites.values())
    table = Table("sites", [Column("")] + [Column(s.label, wide=True) for s in sites])
    names = list(dict.fromkeys(k for s in sites for k in s.attributes))
    for name in names:
        table.rows.append([name] + [_value(s.attributes[name]) if name in s.attributes else ""
                                    for s in sites])
    return table
