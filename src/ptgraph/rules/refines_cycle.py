"""CMOCs that refine themselves, directly or round a cycle.

Refinement runs one way: a refined CMOC replaces an earlier one. A cycle
means the history of the theory cannot be told.

Passing::

    cmocs:
      AP5b: {..., refines: [AP5]}

Failing::

    cmocs:
      AP5: {..., refines: [AP5b]}
      AP5b: {..., refines: [AP5]}
"""

from ..problems import ERROR
from ._common import cycles

CODE, NAME, LEVEL = "E206", "refines-cycle", ERROR


def check(ctx):
    theory = ctx.theory
    edges = [(cmoc.id, other) for cmoc in theory.cmocs.values()
             for other in cmoc.refines if other in theory.cmocs]
    for members in cycles(edges):
        first = members[0]
        if len(members) == 1:
            message = f"CMOC '{first}' refines itself"
        else:
            message = "CMOCs " + ", ".join(f"'{m}'" for m in members) + " refine each other in a cycle"
        yield theory.mark("cmocs", first, "refines"), message
