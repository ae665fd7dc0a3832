"""The theory directory has no usable ``theory.yaml`` manifest.

Every theory directory starts with ``theory.yaml`` holding the format version
and the theory's identity; ``theory:`` belongs in that file only. A shared
vocabulary's directory likewise starts with ``vocabulary.yaml``
(``ptgraph-vocabulary: 1`` and ``vocabulary: {id, title}``).

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
KINDS = ("theory", "vocabulary")


def check(ctx):
    fmt = ctx.format
    name, kind, version_key, header = fmt.manifest, fmt.kind, fmt.version_key, fmt.header_key
    needs = f"`{version_key}: 1` and `{header}: {{id, title}}`"
    root = ctx.files.root
    manifest_path = os.path.normpath(os.path.join(root, name))
    if not ctx.files.files:
        yield (root, 0, 0), (f"no {kind} files here: a {kind} directory holds {name} "
                             "and other *.yaml or *.yml files (see the README)")
        return
    doc = manifest_doc(ctx)
    if not os.path.exists(manifest_path):
        yml = name[:-len(".yaml")] + ".yml"
        if os.path.exists(os.path.join(root, yml)):
            yield (root, 0, 0), (f"no {name} in this directory: rename {yml} to "
                                 f"{name} (the manifest has one name; other files may end .yml)")
        else:
            yield (root, 0, 0), f"no {name} in this directory: create one with {needs}"
    elif doc is not None and isinstance(doc.data, dict):
        version = doc.data.get(version_key)
        if version_key in doc.data and version != 1 and isinstance(version, int):
            yield at(doc, version_key), (f"format version {version} is not supported by this "
                                         "ptgraph (it reads version 1); upgrade ptgraph")
    elif doc is not None and doc.data is None:
        yield (doc.path, 1, 1), f"{name} is empty: it needs {needs}"
    for other in ctx.documents:
        if other is not doc and isinstance(other.data, dict) and header in other.data:
            if os.path.basename(other.path) == name:  # a theory in a folder of this one
                yield at(other, header), (
                    f"`{header}:` belongs in this {kind}'s own {name}, at its top; "
                    f"{os.path.dirname(other.path)} holds another {kind}, whose files are read "
                    f"as part of this one: keep each {kind} in a folder of its own")
            else:
                yield at(other, header), f"`{header}:` belongs in {name} only"
