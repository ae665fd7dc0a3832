"""A required key is missing.

Areas, sites, concepts and pathways need a ``label``; CMOCs an ``area`` and a
``statement``; evidence a ``quote`` and ``supports``; pathways ``steps``;
``theory.yaml`` needs ``ptgraph`` and ``theory: {id, title}``. (A CMOC without
context, mechanism or outcome is reported by ``incomplete-cmoc``.)

Passing::

    evidence:
      q1:
        quote: "I didn't know what to expect."
        supports: [EN1]

Failing::

    evidence:
      q1:
        quote: "I didn't know what to expect."
"""

from ..problems import ERROR
from ..schema import MANIFEST_FIELDS
from ._common import at, entries, manifest_doc, maps

CODE, NAME, LEVEL = "E103", "missing-key", ERROR


def _missing(doc, keys, mapping, fields, what):
    for name, f in fields.items():
        if f.required and name not in mapping:
            doc_text = f.doc.rstrip(".")
            if doc_text[1:2].islower():  # "Title of ..." -> "title of ...", but "CMOCs" stays
                doc_text = doc_text[0].lower() + doc_text[1:]
            yield at(doc, *keys), f"{what} has no '{name}' ({doc_text})"


def check(ctx):
    manifest = manifest_doc(ctx)
    if manifest is not None and isinstance(manifest.data, dict):
        yield from _missing(manifest, (), manifest.data, MANIFEST_FIELDS, "theory.yaml")
        header = manifest.data.get("theory")
        if isinstance(header, dict):
            yield from _missing(manifest, ("theory",), header,
                                MANIFEST_FIELDS["theory"].fields, "theory")
    for section, doc, key, raw, fields in entries(ctx):
        if isinstance(raw, (dict, str)):
            yield from _missing(doc, (section.name, key), fields, section.fields,
                                f"{section.noun} '{key}'")
            for known, mapping, keys, what in maps(section.fields, fields, (section.name, key),
                                                   f"{section.noun} '{key}'"):
                yield from _missing(doc, keys, mapping, known, what)
