"""A key appears twice in the same mapping.

Plain YAML keeps the last value and silently drops the first, which is how
merge conflicts resolved in a hurry lose a CMOC. ptgraph refuses it.

Passing::

    cmocs:
      EN1: {area: enrolment, statement: ..., context: c, mechanism: m, outcome: o}
      EN2: {area: enrolment, statement: ..., context: c2, mechanism: m, outcome: o}

Failing::

    cmocs:
      EN1: {area: enrolment, statement: ..., context: c, mechanism: m, outcome: o}
      EN1: {area: enrolment, statement: ..., context: c2, mechanism: m, outcome: o}
"""

from ..problems import ERROR
from ._common import file_issues

CODE, NAME, LEVEL = "E004", "duplicate-key", ERROR
KINDS = ("theory", "vocabulary")


def check(ctx):
    return file_issues(ctx, "duplicate-key")
