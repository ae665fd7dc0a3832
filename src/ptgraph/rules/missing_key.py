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
from ._common import at, entries, manifest_doc, maps

CODE, NAME, LEVEL = "E103", "missing-key", ERROR
KINDS = ("theory", "vocabulary")


def _missing(doc, keys, mapping, fields, what):
    for name, f in fields.items():
        if f.required and name not in mapping:
            doc_text = f.doc.rstrip(".")
            if doc_text[1:2].islower():  # "Title of ..." -> "title of ...", but "CMOCs" stays
                doc_text = doc_text[0].lower() + doc_text[1:]
            yield at(doc, *keys), f"{what} has no '{name}' ({doc_text})"


def check(ctx):
    manifest = manifest_doc(ctx)
    fmt = ctx.format
    if manifest is not None and isinstance(manifest.data, dict):
        yield from _missing(manifest, (), manifest.data, fmt.manifest_fields, fmt.manifest)
        header = manifest.data.get(fmt.header_key)
        if isinstance(header, dict):
            yield from _missing(manifest, (fmt.header_key,), header,
                                fmt.manifest_fields[fmt.header_key].fields, fmt.header_key)
    for section, doc, key, raw, fields in entries(ctx):
        if isinstance(raw, (dict, str)):
            yield from _missing(doc, (section.name, key), fields, section.fields,
                                f"{section.noun} '{key}'")
            for known, mapping, keys, what in maps(section.fields, fields, (section.name, key),
                                                   f"{section.noun} '{key}'"):
                yield from _missing(doc, keys, mapping, known, what)
