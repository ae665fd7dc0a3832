"""A theory has ``mappings:`` but no vocabulary to check them against.

Mappings point at the terms of a shared vocabulary directory: name it in
``theory.yaml`` (``vocabulary:``, a path relative to the theory directory)
or give ``--vocabulary DIR``. A ``vocabulary:`` path that holds no
``vocabulary.yaml`` is reported too.

Passing (``theory.yaml``, with ``../vocabulary/vocabulary.yaml`` beside it)::

    ptgraph: 1
    theory: {id: buy-in, title: Patient buy-in, vocabulary: ../vocabulary}

Failing (``mappings.yaml``, and no ``vocabulary:`` in ``theory.yaml``)::

    mappings:
      feel-less-alone: {exact: feeling-less-alone}
"""

from ..problems import ERROR

CODE, NAME, LEVEL = "E404", "no-vocabulary", ERROR
NEEDS_VOCABULARY = True


def check(ctx):
    if ctx.no_vocabulary is not None:
        yield ctx.no_vocabulary
