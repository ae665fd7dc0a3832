"""``--table sites``: the sites side by side, in the shape of the buy-in paper's Table 1.

One column per site (headed by its label), one row per attribute, in the
order the attributes first appear, named in words (``months_in_role`` as
"Months in role"); a site without an attribute has an empty cell. Values are
written as in the YAML: numbers as numbers, lists joined by "; ", true/false as
such.
"""

from __future__ import annotations

import math

from ..model import Theory
from ._table import Column, Table


def _value(value) -> str | int | float:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(str(_value(v)) for v in value)
    if isinstance(value, int) or isinstance(value, float) and math.isfinite(value):
        return value
    return str(value)


def words(key: str) -> str:
    """An attribute's key as a row header: underscores as spaces, the first letter a capital.

    >>> words("months_in_role"), words("VCSE_share"), words("co-located")
    ('Months in role', 'VCSE share', 'Co-located')
    """
    text = " ".join(part for part in key.split("_") if part)
    return text[:1].upper() + text[1:]


def build(theory: Theory, **_: object) -> Table:
    """The sites table: columns ``""`` then each site's label; rows per attribute."""
    sites = list(theory.sites.values())
    table = Table("sites", [Column("")] + [Column(s.label, wide=True) for s in sites])
    names = list(dict.fromkeys(k for s in sites for k in s.attributes))
    for name in names:
        table.rows.append([words(name)] + [_value(s.attributes[name]) if name in s.attributes else ""
                                    for s in sites])
    return table
