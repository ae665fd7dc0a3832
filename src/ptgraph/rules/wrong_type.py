"""A value has the wrong type: text where a list is expected, a list where an
id is expected, a section that is not a mapping of id -> entry, and so on.

Passing::

    concepts:
      hope:
        label: Hopeful
        opposes: [despair]

Failing (``opposes`` takes a list; ``label`` takes text)::

    concepts:
      hope:
        label: [Hopeful]
        opposes: {despair: true}

A CMOC's ``context`` is an id, a list of ids (all of them) or
``{any: [id, id, ...]}`` (any one of two or more); ``{any: c}``,
``{any: [c]}``, ``{all: [...]}`` and other keys are refused where they are.
"""

from ..problems import ERROR
from ..schema import ANY, ATTRIBUTE, TYPE_NAMES, Field, type_ok
from ._common import at, describe, entries, manifest_doc

CODE, NAME, LEVEL = "E104", "wrong-type", ERROR
KINDS = ("theory", "vocabulary")


_ITEM = {"ids": Field("id"), "context": Field("id"), "idlist": Field("id"),
         "strlist": Field("text")}


def _any_context(doc, keys, value, what):
    """The problems of a context written as a mapping: it must be ``{any: [two or more ids]}``."""
    where = f"'context' of {what}"
    for key in value:
        if key == ANY:
            continue
        if key == "all":  # a list already means all of them
            yield at(doc, *keys, key), (
                f"{where} cannot take 'all': a list of contexts already means all of them; "
                f"write 'context: [a, b]' (all), or 'context: {{any: [a, b]}}' (any one)")
        else:
            yield at(doc, *keys, key), (
                f"unknown key '{key}' in {where}: it takes only 'any' "
                f"('context: {{any: [a, b]}}', any one of two or more contexts)")
    if ANY not in value:
        if not value:
            yield at(doc, *keys), (f"{where} should be {TYPE_NAMES['context']}, not an empty "
                                   f"mapping")
        return
    ids = value[ANY]
    if not isinstance(ids, list):
        yield at(doc, *keys, ANY), (
            f"'any' in {where} should be a list of two or more ids, not {describe(ids)}"
            + ("; for one context write 'context: " + ids + "'" if isinstance(ids, str) else ""))
        return
    bad = [i for i, v in enumerate(ids) if not isinstance(v, str)]
    for index in bad:
        yield at(doc, *keys, ANY, index), (
            f"item {index + 1} of 'any' in {where} should be an id, not {describe(ids[index])}")
    named = list(dict.fromkeys(v for v in ids if isinstance(v, str) and v))
    if not bad and len(named) < 2:
        instead = (f"for one context write 'context: {named[0]}'" if named
                   else "write the contexts, or 'context: ID' for one")
        yield at(doc, *keys, ANY), (
            f"'any' in {where} should list two or more different contexts, not "
            f"{'one' if named else 'none'}; {instead}")


def _fields(doc, keys, mapping, fields, what, entry=None):
    # entry: the entry's name, for a mapping inside an entry ('confidence' of CMOC 'X');
    # the manifest's mappings are named by path (theory.source)
    for name, value in mapping.items():
        f = fields.get(name)
        if f is not None and f.kind == "context" and isinstance(value, dict):
            yield from _any_context(doc, keys + (name,), value, what)
        elif f is not None and not type_ok(f, value):
            item = _ITEM.get(f.kind)
            if item is not None and isinstance(value, list):  # point at each bad item itself
                for index, v in enumerate(value):
                    if not type_ok(item, v):
                        yield at(doc, *keys, name, index), (
                            f"item {index + 1} of '{name}' of {what} should be "
                            f"{TYPE_NAMES[item.kind]}, not {describe(v)}")
                continue
            yield at(doc, *keys, name), (f"'{name}' of {what} should be {TYPE_NAMES[f.kind]}, "
                                         f"not {describe(value)}")
        elif f is not None and f.kind == "map" and isinstance(value, dict):
            if entry is None:
                yield from _fields(doc, keys + (name,), value, f.fields, f"{what}.{name}")
            else:
                path = ".".join(map(str, keys[2:] + (name,)))
                yield from _fields(doc, keys + (name,), value, f.fields, f"'{path}' of {entry}",
                                   entry)


def check(ctx):
    fmt = ctx.format
    manifest = manifest_doc(ctx)
    for doc in ctx.documents:
        data = doc.data
        if data is None:
            continue
        if not isinstance(data, dict):
            yield (doc.path, 1, 1), (f"a {fmt.kind} file holds a mapping of sections, "
                                     f"not {describe(data)}")
            continue
        for name, section in fmt.sections.items():
            if name in data and not isinstance(data[name], dict):
                yield at(doc, name), (f"'{name}' should be a mapping of id -> "
                                      f"{section.noun}, not {describe(data[name])}")
        if doc is manifest:
            yield from _fields(doc, (), data, fmt.manifest_fields, fmt.manifest)
    for section, doc, key, raw, fields in entries(ctx):
        where = (section.name, key)
        if not fields and not isinstance(raw, dict):
            allowed = "a mapping" + (f" or a {section.shorthand}" if section.shorthand else "")
            yield at(doc, *where), f"{section.noun} '{key}' should be {allowed}, not {describe(raw)}"
            continue
        yield from _fields(doc, where, fields, section.fields, f"{section.noun} '{key}'",
                           f"{section.noun} '{key}'")
        if section.free:
            for name, value in fields.items():
                if name in section.fields or type_ok(ATTRIBUTE, value):
                    continue
                what = f"attribute '{name}' of {section.noun} '{key}'"
                if isinstance(value, list):
                    for index, v in enumerate(value):
                        if isinstance(v, (list, dict)):
                            yield at(doc, *where, name, index), (
                                f"item {index + 1} of {what} should be a value, not {describe(v)}")
                    continue
                yield at(doc, *where, name), (f"{what} should be a value or a list of values, "
                                              f"not {describe(value)}")
