"""One evidence item both supports and refutes the same CMOC.

Passing::

    evidence:
      q7: {quote: "...", supports: [AP1], refutes: [AP4]}

Failing::

    evidence:
      q7: {quote: "...", supports: [AP1], refutes: [AP1]}
"""

from ..problems import ERROR

CODE, NAME, LEVEL = "E205", "contradictory-evidence", ERROR


def check(ctx):
    theory = ctx.theory
    for item in theory.evidence.values():
        supported = set(item.supports)
        for index, cmoc in enumerate(item.refutes):
            if cmoc in supported:
                yield theory.mark("evidence", item.id, "refutes", index), (
                    f"evidence '{item.id}' both supports and refutes CMOC '{cmoc}'; "
                    "split it into two quotes or keep one side")
