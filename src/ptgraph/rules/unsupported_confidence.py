"""A CMOC rated ``confidence: {level: high}`` rests on one source or none (a warning).

High confidence needs adequate evidence (GRADE-CERQual's adequacy): supporting
quotes from two or more distinct sources of ``sources:``. Rate the CMOC lower,
or point its evidence at its sources (``source: ID``).

Passing::

    cmocs:
      EN1: {..., confidence: {level: high}}
    evidence:
      q1: {quote: "...", supports: [EN1], source: smith2019}
      q2: {quote: "...", supports: [EN1], source: jones2021}

Failing (both quotes from one source)::

    evidence:
      q1: {quote: "...", supports: [EN1], source: smith2019}
      q2: {quote: "...", supports: [EN1], source: smith2019}
"""

from ..problems import WARNING

CODE, NAME, LEVEL = "W303", "unsupported-confidence", WARNING


def check(ctx):
    theory = ctx.theory
    found: dict[str, set[str]] = {}
    for item in theory.evidence.values():
        source = theory.source_of(item)
        for cmoc in item.supports:
            if source is not None:
                found.setdefault(cmoc, set()).add(source.id)
    for cmoc in theory.cmocs.values():
        if cmoc.confidence is None or cmoc.confidence.level != "high":
            continue
        n = len(found.get(cmoc.id, ()))
        if n <= 1:
            yield theory.mark("cmocs", cmoc.id, "confidence", "level"), (
                f"CMOC '{cmoc.id}' is rated high confidence but its supporting evidence comes "
                f"from {'one source' if n else 'no source in sources:'}, so its adequacy "
                "contradicts the rating; rate it moderate or lower, or point evidence from "
                "two or more sources at it (source: ID)")
