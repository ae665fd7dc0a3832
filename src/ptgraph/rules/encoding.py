"""The file is not UTF-8 text.

UTF-8 with or without a byte-order mark is accepted; UTF-16, UTF-32 and
Latin-1 files are reported with the position of the first bad byte.

Passing: a file saved as UTF-8, such as ``label: "Café culture"``.

Failing: the same file saved as Latin-1 (``Caf\\xe9``) or UTF-16.
"""

from ..problems import ERROR
from ._common import file_issues

CODE, NAME, LEVEL = "E002", "encoding", ERROR
KINDS = ("theory", "vocabulary")


def check(ctx):
    return file_issues(ctx, "encoding")
