"""Terms of a vocabulary that are broader than themselves, directly or round a cycle.

``broader`` (and its inverse ``narrower``) orders a vocabulary's terms from
general to specific, as a SKOS hierarchy does: a cycle would make a term a
kind of itself. Checked in a vocabulary directory (``vocabulary.yaml``).

Passing::

    concepts:
      social-connection: Social connection
      feeling-less-alone: {label: Feeling less alone, broader: [social-connection]}

Failing (each is narrower than the other; the last is its own broader term)::

    concepts:
      social-connection: {label: Social connection, narrower: [feeling-less-alone]}
      feeling-less-alone: {label: Feeling less alone, narrower: [social-connection]}
      feeling-connected: {label: Feeling connected, broader: [feeling-connected]}
"""

from ..problems import ERROR
from ._common import cycles

CODE, NAME, LEVEL = "E403", "broader-cycle", ERROR
KINDS = ("vocabulary",)


def check(ctx):
    vocabulary = ctx.vocabulary
    for members in cycles(vocabulary.broader_pairs()):
        first = members[0]
        term = vocabulary.concepts[first]
        key = "broader" if term.broader else "narrower"
        if len(members) == 1:
            message = f"term '{first}' is broader than itself"
        else:
            message = ("terms " + ", ".join(f"'{m}'" for m in members)
                       + " are broader than each other in a cycle (broader, or narrower read "
                       "the other way)")
        yield vocabulary.mark("concepts", first, key), message
