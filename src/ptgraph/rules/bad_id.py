"""An id that is not a plain identifier.

Ids start with a letter or digit and hold only letters, digits, ``_``, ``.``
and ``-``: they appear in file names of figures, in Cypher parameters and in
references, so spaces and punctuation are refused.

Passing::

    concepts:
      feel-less-alone: Feel less alone

Failing::

    concepts:
      feel less alone!: Feel less alone
"""

from ..problems import ERROR
from ..schema import ID_PATTERN, ID_RE
from ._common import at, entries, manifest_doc

CODE, NAME, LEVEL = "E105", "bad-id", ERROR
KINDS = ("theory", "vocabulary")


def check(ctx):
    manifest = manifest_doc(ctx)
    header_key = ctx.format.header_key
    if manifest is not None and isinstance(manifest.data, dict):
        header = manifest.data.get(header_key)
        tid = header.get("id") if isinstance(header, dict) else None
        if isinstance(tid, str) and not ID_RE.match(tid):
            yield at(manifest, header_key, "id"), _message(header_key, tid)
    for section, doc, key, raw, fields in entries(ctx):
        if not ID_RE.match(key):
            yield at(doc, section.name, key), _message(section.noun, key)


def _message(noun, key):
    return f"{noun} id '{key}' must match {ID_PATTERN} (letters, digits, '_', '.', '-')"
