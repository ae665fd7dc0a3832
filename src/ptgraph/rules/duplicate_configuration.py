"""Two CMOCs have exactly the same contexts, mechanisms and outcomes (and the same
resources, interventions and actors).

They say the same thing twice (often a copy-paste that was never edited);
merge them, or make the difference explicit in the concepts.

Passing::

    cmocs:
      A: {area: x, statement: ..., context: c1, mechanism: m, outcome: o}
      B: {area: x, statement: ..., context: c2, mechanism: m, outcome: o}

Failing::

    cmocs:
      A: {area: x, statement: ..., context: c1, mechanism: m, outcome: o}
      B: {area: x, statement: ..., context: [c1], mechanism: m, outcome: o}

``context: {any: [c1, c2]}`` (either will do) and ``context: [c1, c2]`` (both
are needed) are different configurations.
"""

from ..model import ROLES
from ..problems import ERROR

CODE, NAME, LEVEL = "E203", "duplicate-configuration", ERROR


def check(ctx):
    seen = {}
    theory = ctx.theory
    for cmoc in theory.cmocs.values():
        if not (cmoc.context and cmoc.mechanism and cmoc.outcome):
            continue
        key = (cmoc.context_any, *(frozenset(cmoc.concepts(role)) for role in ROLES))
        if key in seen:
            parts = [role for role in ROLES if cmoc.concepts(role)]
            yield theory.mark("cmocs", cmoc.id), (
                f"CMOC '{cmoc.id}' has the same {', '.join(parts[:-1])} and {parts[-1]} as "
                f"'{seen[key]}'; merge them or tell them apart")
        else:
            seen[key] = cmoc.id
