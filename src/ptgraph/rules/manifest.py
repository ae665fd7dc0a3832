"""The theory directory has no usable ``theory.yaml`` manifest.

Every theory directory starts with ``theory.yaml`` holding the format version
and the theory's identity; ``theory:`` belongs in that file only.

Passing (``theory.yaml``)::

    ptgraph: 1
    theory:
      id: buy-in
      title: Patient buy-in to social prescribing

Failing (``theory.yaml``)::

    ptgraph: 2
    theory:
      id: buy-in
      title: Patient buy-in to social prescribing
"""

import os

from ..problems import ERROR
from ._common import at, manifest_doc

CODE, NAME, LEVEL = "E101", "manifest", ERROR


def check(ctx):
    root = ctx.files.root
    manifest_path = os.path.normpath(os.path.join(root, "theory.yaml"))
    if not ctx.files.files:
        yield (root, 0, 0), ("no theory files here: a theory directory holds theory.yaml "
                             "and other *.yaml or *.yml files (see the README)")
        return
    doc = manifest_doc(ctx)
    if not os.path.exists(manifest_path):
        if os.path.exists(os.path.join(root, "theory.yml")):
            yield (root, 0, 0), ("no theory.yaml in this directory: rename theory.yml to "
                                 "theory.yaml (the manifest has one name; other files may end .yml)")
        else:
            yield (root, 0, 0), ("no theory.yaml in this directory: create one with `ptgraph: 1` "
                                 "and `theory: {id, title}`")
    elif doc is not None and isinstance(doc.data, dict):
        version = doc.data.get("ptgraph")
        if "ptgraph" in doc.data and version != 1 and isinstance(version, int):
            yield at(doc, "ptgraph"), (f"format version {version} is not supported by this "
                                       "ptgraph (it reads version 1); upgrade ptgraph")
    elif doc is not None and doc.data is None:
        yield (doc.path, 1, 1), "theory.yaml is empty: it needs `ptgraph: 1` and `theory: {id, title}`"
    for other in ctx.documents:
        if other is not doc and isinstance(other.data, dict) and "theory" in other.data:
            yield at(other, "theory"), "`theory:` belongs in theory.yaml only"
