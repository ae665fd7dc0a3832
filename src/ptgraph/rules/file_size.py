"""The file is larger than the limit (10 MiB by default, ``--max-file-size``).

A theory file that large is almost always a mistake (a pasted transcript, a
generated dump); split large theories into several files.

Passing: ``cmocs/enrolment.yaml`` of a few kilobytes.

Failing: a 12 MiB ``evidence.yaml``.
"""

from ..problems import ERROR
from ._common import file_issues

CODE, NAME, LEVEL = "E003", "file-size", ERROR
KINDS = ("theory", "vocabulary")


def check(ctx):
    return file_issues(ctx, "size")
