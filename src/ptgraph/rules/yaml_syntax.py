"""The file is not valid YAML (or cannot be read).

Passing::

    concepts:
      hope: Hopeful about the future

Failing (the second line is indented with a tab; an unclosed quote fails too)::

    concepts:
    	hope: Hopeful about the future

A character that looks like a space but is not one to YAML, such as U+00A0
NO-BREAK SPACE pasted from Word, in a line's indentation or after a key's
``:``, is named where it is, rather than where YAML's parser stops.
"""

from ..problems import ERROR
from ._common import file_issues

CODE, NAME, LEVEL = "E001", "yaml-syntax", ERROR
KINDS = ("theory", "vocabulary")


def check(ctx):
    return file_issues(ctx, "syntax", "read")
