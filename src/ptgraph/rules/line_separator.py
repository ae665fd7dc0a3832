"""A character YAML reads as a line break but editors do not: U+2028 LINE
SEPARATOR, U+2029 PARAGRAPH SEPARATOR or U+0085 NEXT LINE, common in text
pasted from a PDF or a web page.

YAML folds or drops the text around such a character (``"a\u2028   b"`` is
read as ``a\u2028b``; U+0085 becomes a space), so what the figures, queries
and the stored graph would show is not what the file says. The message names
the character and where it is, as an editor counts lines. Inside double
quotes, the escape ``\\u2028`` keeps the character itself.

Passing::

    concepts:
      ctx: A context pasted from a web page

Failing (an invisible U+2028 between "context" and "pasted")::

    concepts:
      ctx: "A context\u2028pasted from a web page"
"""

from ..problems import ERROR
from ._common import file_issues

CODE, NAME, LEVEL = "E006", "line-separator", ERROR
KINDS = ("theory", "vocabulary")


def check(ctx):
    return file_issues(ctx, "line-separator")
