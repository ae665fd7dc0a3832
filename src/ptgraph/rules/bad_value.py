"""A value outside its allowed words: a CMOC ``status`` other than ``new``,
``confirmed``, ``refined`` or ``refuted``; an evidence ``wave`` other than
``interview``, ``follow-up`` or ``observation``; a source ``type`` other than
``interview``, ``observation``, ``document``, ``study``, ``report`` or
``other``; a CMOC's ``confidence.level`` other than ``high``, ``moderate``,
``low`` or ``very-low``.

Passing::

    cmocs:
      EN1: {area: enrolment, statement: ..., context: c, mechanism: m, outcome: o,
            status: refined}

Failing::

    cmocs:
      EN1: {area: enrolment, statement: ..., context: c, mechanism: m, outcome: o,
            status: refind}
"""

from ..problems import ERROR
from ._common import at, entries, maps, nearest

CODE, NAME, LEVEL = "E107", "bad-value", ERROR
KINDS = ("theory", "vocabulary")


def _bad(doc, keys, known, mapping, what):
    for name, f in known.items():
        value = mapping.get(name)
        if f.kind == "enum" and isinstance(value, str) and value not in f.enum:
            allowed = ", ".join(f.enum)
            yield at(doc, *keys, name), (
                f"'{value}' is not a valid {name} of {what} "
                f"(one of: {allowed}){nearest(value, f.enum)}")


def check(ctx):
    for section, doc, key, raw, fields in entries(ctx):
        what = f"{section.noun} '{key}'"
        yield from _bad(doc, (section.name, key), section.fields, fields, what)
        for known, mapping, keys, inner in maps(section.fields, fields, (section.name, key), what):
            yield from _bad(doc, keys, known, mapping, inner)
