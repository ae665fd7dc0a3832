"""A CMOC names one concept as its resource and as another part of its causal order.

The causal order is context -> resource -> reasoning -> outcome (Dalkin et
al. 2015): the resource is what the programme introduces, which triggers the
reasoning in the context. A concept that is both the resource and the
context, the reasoning (``mechanism``) or the outcome of the same CMOC makes
that order a loop, which no query or figure can follow. Usually one of the
two wordings needs a concept of its own.

Passing::

    cmocs:
      SD1: {area: decide, statement: ..., context: side-effect-burden,
            resource: benefit-harm-account, mechanism: feels-safe-to-stop,
            outcome: agrees-to-stop}

Failing::

    cmocs:
      SD1: {area: decide, statement: ..., context: side-effect-burden,
            resource: feels-safe-to-stop, mechanism: feels-safe-to-stop,
            outcome: agrees-to-stop}
"""

from ..problems import ERROR

CODE, NAME, LEVEL = "E207", "resource-overlap", ERROR

#: The other parts of the causal order, with the words a message uses for them.
OTHER_PARTS = {"context": "context", "mechanism": "reasoning (mechanism)", "outcome": "outcome"}


def check(ctx):
    theory = ctx.theory
    for cmoc in theory.cmocs.values():
        for index, cid in enumerate(cmoc.resource):
            for part, words in OTHER_PARTS.items():
                if cid in cmoc.concepts(part):
                    keys = ("resource", index) if len(cmoc.resource) > 1 else ("resource",)
                    yield theory.mark("cmocs", cmoc.id, *keys), (
                        f"CMOC '{cmoc.id}' names '{cid}' as its resource and as its {words}; "
                        "the causal order context -> resource -> reasoning -> outcome needs "
                        "a concept for each")
