"""The YAML uses a feature ptgraph refuses: deep nesting, an alias bomb, a
non-standard tag (``!!python/object``), a merge key or a non-text key.

Passing::

    concepts:
      hope: Hopeful about the future

Failing::

    concepts:
      hope: !!python/object:os.system Hopeful
"""

from ..problems import ERROR
from ._common import file_issues

CODE, NAME, LEVEL = "E005", "yaml-limits", ERROR
KINDS = ("theory", "vocabulary")


def check(ctx):
    return file_issues(ctx, "limits")
