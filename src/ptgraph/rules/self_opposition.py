"""A concept is declared to oppose itself.

Passing::

    concepts:
      engage: {label: Engage with the link worker, opposes: [reluctant]}

Failing::

    concepts:
      engage: {label: Engage with the link worker, opposes: [engage]}
"""

from ..problems import ERROR

CODE, NAME, LEVEL = "E204", "self-opposition", ERROR


def check(ctx):
    theory = ctx.theory
    for concept in theory.concepts.values():
        for index, other in enumerate(concept.opposes):
            if other == concept.id:
                yield theory.mark("concepts", concept.id, "opposes", index), \
                    f"concept '{concept.id}' opposes itself"
