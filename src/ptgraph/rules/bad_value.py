"""A value outside its allowed words: a CMOC ``status`` other than ``new``,
``confirmed``, ``refined`` or ``refuted``; an evidence ``wave`` other than
``interview``, ``follow-up`` or ``observation``.

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
from ._common import at, entries, nearest

CODE, NAME, LEVEL = "E107", "bad-value", ERROR


def check(ctx):
    for section, doc, key, raw, fields in entries(ctx):
        for name, f in section.fields.items():
            value = fields.get(name)
            if f.kind == "enum" and isinstance(value, str) and value not in f.enum:
                allowed = ", ".join(f.enum)
                yield at(doc, section.name, key, name), (
                    f"'{value}' is not a valid {name} of {section.noun} '{key}' "
                    f"(one of: {allowed}){nearest(value, f.enum)}")
