"""A concept is declared but no CMOC or pathway uses it (a warning).

Often a leftover after concepts were merged; ``--strict`` makes it fail.

Passing::

    concepts:
      hope: Hopeful
    cmocs:
      KS1: {..., outcome: hope}

Failing::

    concepts:
      hope: Hopeful
      despair: Despairing        # nothing refers to it
"""

from ..model import ROLES
from ..problems import WARNING

CODE, NAME, LEVEL = "W301", "unused-concept", WARNING


def check(ctx):
    theory = ctx.theory
    used = set()
    for cmoc in theory.cmocs.values():
        for role in ROLES:
            used.update(cmoc.concepts(role))
    for pathway in theory.pathways.values():
        used.update(pathway.steps)
    for concept in theory.concepts.values():
        if concept.id not in used:
            yield theory.mark("concepts", concept.id), (
                f"concept '{concept.id}' is declared but no CMOC or pathway uses it")
