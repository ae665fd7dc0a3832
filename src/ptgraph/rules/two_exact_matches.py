"""A concept is mapped ``exact`` to two or more vocabulary terms.

An exact match (skos:exactMatch) says the concept and the term can be used
interchangeably, so a concept has at most one: were it exact to two terms,
the two would be one term. Map the others ``close``, ``broader``,
``narrower`` or ``related``.

Passing::

    mappings:
      feel-less-alone: {exact: feeling-less-alone, related: [social-connection]}

Failing::

    mappings:
      feel-less-alone: {exact: [feeling-less-alone, social-connection]}
"""

from ..problems import ERROR
from ..schema import SECTIONS
from ._common import at, entries

CODE, NAME, LEVEL = "E402", "two-exact-matches", ERROR


def check(ctx):
    for _section, doc, key, _raw, fields in entries(ctx, SECTIONS["mappings"]):
        value = fields.get("exact")
        if not isinstance(value, list):
            continue
        terms = list(dict.fromkeys(t for t in value if isinstance(t, str) and t))
        if len(terms) > 1:
            named = ", ".join(f"'{t}'" for t in terms)
            yield at(doc, "mappings", key, "exact"), (
                f"concept '{key}' is mapped exact to {len(terms)} terms ({named}); an exact "
                "match names one term: map the others close, broader, narrower or related")
