"""The same id is defined twice in one section, in two files.

Sections from several files merge by id, so an id may be defined only once;
the message names both places.

Passing: ``concepts/a.yaml`` defines ``hope`` and ``concepts/b.yaml`` defines ``despair``.

Failing: both ``concepts/a.yaml`` and ``concepts/b.yaml`` define ``hope``.
"""

from ..model import iter_entries
from ..problems import ERROR
from ._common import at

CODE, NAME, LEVEL = "E106", "duplicate-id", ERROR
KINDS = ("theory", "vocabulary")


def check(ctx):
    for section in ctx.format.sections.values():
        first = {}
        for doc, key, _raw in iter_entries(ctx.documents, section.name):
            if key in first:
                path, line, col = first[key]
                yield at(doc, section.name, key), (f"{section.noun} '{key}' is already defined "
                                                   f"at {path}:{line}:{col}")
            else:
                first[key] = at(doc, section.name, key)
