"""The values a free attribute (a site's ``deprivation``, ``region``, ...) may hold.

One definition for ``check``, the JSON Schema and the README: a value is
what Neo4j stores and gives back unchanged, and what both query engines
group the same way.

========== =================================================================
text       any text; quote it to keep what YAML would read otherwise
integer    a whole number from -2**63 to 2**63-1, written in plain decimal
decimal    a finite number written with a point (``0.25``, ``-1.5e+3``)
boolean    ``true`` or ``false``
list       one or more values of one of the kinds above, all of the same kind
========== =================================================================

A plain scalar YAML 1.1 would read otherwise (``NO``, ``0123``, ``9:30``,
``.nan``) is text, as written (see :mod:`ptgraph.loader`). Not allowed: an
empty value (``~``, ``null`` or nothing; Neo4j cannot store one, and a
property set to null is no property) or an empty list, an integer beyond 64 bits, an
infinite decimal, a list mixing kinds (Neo4j stores lists of one type), a
list of lists or mappings, and an attribute without a name.
"""

from __future__ import annotations

import math
from typing import Any

INT_MIN, INT_MAX = -(2**63), 2**63 - 1
#: Kind names for messages, in the order of the table above.
KINDS = {str: "text", int: "integer", float: "decimal", bool: "boolean"}


def kind(value: Any) -> str | None:
    """The kind of a scalar value (``text``, ``integer``, ``decimal``, ``boolean``), or None.

    >>> kind(True), kind(3), kind(0.5), kind("NO"), kind(None)
    ('boolean', 'integer', 'decimal', 'text', None)
    """
    return KINDS.get(type(value))


def scalar_problem(value: Any) -> str | None:
    """Why a single value cannot be stored as written, or None when it can.

    >>> scalar_problem(2**63)
    'is the whole number 9223372036854775808, beyond what Neo4j stores (-2**63 to 2**63-1); put it in quotes to keep it as text'
    >>> scalar_problem("NO") is None
    True
    """
    if value is None:
        return ("is empty, which Neo4j cannot store; write the value, '' for empty text, "
                "or leave the attribute out")
    k = kind(value)
    if k is None:
        return f"is a {type(value).__name__}, not a value"  # pragma: no cover - YAML makes none
    if k == "integer" and not INT_MIN <= value <= INT_MAX:
        return (f"is the whole number {value}, beyond what Neo4j stores (-2**63 to "
                "2**63-1); put it in quotes to keep it as text")
    if k == "decimal" and not math.isfinite(value):
        return "is not a finite number (too large, infinite or NaN); put it in quotes to keep it as text"
    return None


def attribute_problems(value: Any) -> list[tuple[int | None, str]]:
    """Problems of an attribute value: ``(list index or None for the whole value, message)``.

    >>> attribute_problems([12, "Riverside"])
    [(None, 'mixes integer and text, and Neo4j stores lists of one kind; quote the numbers to make them all text')]
    >>> attribute_problems([1, None])[0][0]
    1
    """
    if not isinstance(value, list):
        problem = scalar_problem(value)
        return [(None, problem)] if problem else []
    if not value:
        return [(None, "is an empty list, which Neo4j cannot tell from no attribute; write "
                       "the values, or leave the attribute out")]
    out: list[tuple[int | None, str]] = []
    for index, item in enumerate(value):
        if isinstance(item, (list, dict)):
            out.append((index, "is a list or a mapping, not a value"))
        else:
            problem = scalar_problem(item)
            if problem:
                out.append((index, problem))
    kinds = list(dict.fromkeys(k for k in map(kind, value) if k))
    if len(kinds) > 1:
        hint = ("; quote the numbers to make them all text" if "text" in kinds else
                "; write them all as decimals" if set(kinds) == {"integer", "decimal"} else "")
        out.append((None, f"mixes {' and '.join(kinds)}, and Neo4j stores lists "
                          f"of one kind{hint}"))
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema of an attribute value (as :func:`attribute_problems` allows)."""
    scalars = [{"type": "string"}, {"type": "integer", "minimum": INT_MIN, "maximum": INT_MAX},
               {"type": "number", "not": {"type": "integer"}}, {"type": "boolean"}]
    return {"oneOf": scalars + [{"type": "array", "items": s, "minItems": 1} for s in scalars]}
