"""An evidence ``source:`` that looks like a source id but names none in ``sources:`` (a warning).

``source:`` on an evidence item names a source of ``sources:`` when its text is
one of their ids; any other text keeps its old meaning, where in the source the
quote appears (``p. 4``, ``Table 2``). In a theory with a ``sources:`` section,
a single word that is not a source id is most likely a typo, so it is reported
with the nearest id. Theories without ``sources:`` are never warned.

Passing::

    sources:
      smith2019: {type: study, citation: "Smith J (2019) ..."}
    evidence:
      q1: {quote: "...", supports: [EN1], source: smith2019}
      q2: {quote: "...", supports: [EN1], source: "Table 2, p. 5"}

Failing (``smith2091``)::

    evidence:
      q1: {quote: "...", supports: [EN1], source: smith2091}
"""

from ..problems import WARNING
from ..schema import ID_RE
from ._common import nearest

CODE, NAME, LEVEL = "W302", "source-as-text", WARNING


def check(ctx):
    theory = ctx.theory
    if not theory.sources:
        return
    for item in theory.evidence.values():
        ref = item.source_ref
        if ref and ref not in theory.sources and ID_RE.match(ref):
            yield theory.mark("evidence", item.id, "source"), (
                f"evidence '{item.id}' has source '{ref}', which is no id in sources:, so it is "
                f"read as text (where in the source the quote appears)"
                f"{nearest(ref, theory.sources)}; write a source id, or text with a space "
                "such as 'p. 4'")
