"""A key that the format does not know, usually a typo.

The message suggests the nearest known key. Sites are the exception: any key
beyond ``label`` is a free attribute (deprivation, region, ...).

Passing::

    cmocs:
      EN1:
        area: enrolment
        statement: Being referred through a GP (C) ...
        context: gp-referral
        mechanism: credibility
        outcome: take-up-referral

Failing (``mechanisim``)::

    cmocs:
      EN1:
        area: enrolment
        statement: Being referred through a GP (C) ...
        context: gp-referral
        mechanisim: credibility
        outcome: take-up-referral
"""

from ..problems import ERROR
from ..schema import RESERVED_ATTRIBUTES
from ._common import at, entries, manifest_doc, maps, nearest

CODE, NAME, LEVEL = "E102", "unknown-key", ERROR
KINDS = ("theory", "vocabulary")
RESERVED = RESERVED_ATTRIBUTES


def _unknown(doc, keys, mapping, known, what):
    for key in mapping:
        if key not in known:
            yield at(doc, *keys, key), f"unknown key '{key}' in {what}{nearest(key, known)}"


def check(ctx):
    fmt = ctx.format
    manifest = manifest_doc(ctx)
    # `theory:` outside theory.yaml is misplaced rather than unknown: the manifest rule says so.
    known = fmt.top_level + (fmt.header_key,)
    for doc in ctx.documents:
        if isinstance(doc.data, dict):
            yield from _unknown(doc, (), doc.data, known, f"a {fmt.kind} file")
    if manifest is not None and isinstance(manifest.data, dict):
        header = manifest.data.get(fmt.header_key)
        fields = fmt.manifest_fields[fmt.header_key].fields
        if isinstance(header, dict):
            yield from _unknown(manifest, (fmt.header_key,), header, fields, fmt.header_key)
            for name, f in fields.items():
                nested = header.get(name)
                if f.kind == "map" and isinstance(nested, dict):
                    yield from _unknown(manifest, (fmt.header_key, name), nested,
                                        f.fields, f"{fmt.header_key}.{name}")
    for section, doc, key, raw, fields in entries(ctx):
        if not isinstance(raw, dict):
            continue
        if not section.free:
            yield from _unknown(doc, (section.name, key), fields, section.fields,
                                f"{section.noun} '{key}'")
            for known, mapping, keys, what in maps(section.fields, fields, (section.name, key),
                                                   f"{section.noun} '{key}'"):
                yield from _unknown(doc, keys, mapping, known, what)
            continue
        for name in fields:
            if name in RESERVED:
                yield at(doc, section.name, key, name), (
                    f"'{name}' cannot be an attribute of {section.noun} '{key}': ptgraph uses "
                    f"it in the graph; rename it (e.g. '{section.noun}_{name}')")
