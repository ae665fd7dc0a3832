"""A mapping names a vocabulary term the vocabulary does not define, or a concept
the theory does not define. The nearest id is suggested.

A theory's ``mappings:`` map its concepts to the terms of its vocabulary (the
manifest's ``vocabulary:``, or ``--vocabulary DIR``): each key must be a
concept of the theory and each term an id of the vocabulary's ``concepts:``.

Passing (the vocabulary defines ``feeling-less-alone``)::

    concepts:
      feel-less-alone: Feel less alone
    mappings:
      feel-less-alone: {exact: feeling-less-alone}

Failing (``feeling-less-alon``; ``feel-alone`` is no concept of the theory)::

    mappings:
      feel-less-alone: {exact: feeling-less-alon}
      feel-alone: {close: feeling-less-alone}
"""

from ..problems import ERROR
from ..schema import MATCH_TYPES, SECTIONS
from ._common import at, entries, nearest

CODE, NAME, LEVEL = "E401", "unknown-vocabulary-reference", ERROR
NEEDS_VOCABULARY = True


def check(ctx):
    concepts = ctx.theory.concepts
    vocabulary = ctx.vocabulary
    for _section, doc, key, _raw, fields in entries(ctx, SECTIONS["mappings"]):
        if key not in concepts:
            yield at(doc, "mappings", key), (f"mapping '{key}' names concept '{key}', which the "
                                             f"theory does not define{nearest(key, concepts)}")
        if vocabulary is None:
            continue  # no-vocabulary (E404) says why
        for match in MATCH_TYPES:
            value = fields.get(match)
            single = isinstance(value, str)
            if not single and not isinstance(value, list):
                continue  # absent, or wrong-type (E104) reports it
            for index, term in enumerate([value] if single else value):
                if isinstance(term, str) and term and term not in vocabulary.concepts:
                    keys = ("mappings", key, match) + (() if single else (index,))
                    yield at(doc, *keys), (
                        f"mapping '{key}' names term '{term}' in '{match}', which vocabulary "
                        f"'{vocabulary.id}' does not define{nearest(term, vocabulary.concepts)}")
