"""A free attribute that Neo4j cannot store, or would give back changed.

The value types are those of :mod:`ptgraph.values`: text, a 64-bit
integer, a finite decimal, ``true``/``false``, or a list of one of these
kinds. Everything ``check`` accepts loads unchanged and gives the same rows
on both query engines; everything else is reported here, at the value.

Passing::

    sites:
      s1:
        label: Riverside practice
        population: 12000
        wards: [Riverside, Hillside]
        practice_code: 0123        # text as written

Failing (an integer beyond 64 bits, a list mixing kinds, an empty value, no name)::

    sites:
      s1:
        label: Riverside practice
        population: 99999999999999999999
        wards: [12, Riverside]
        region:
        "": unnamed

A source's ``year`` too must fit in 64 bits.
"""

from ..problems import ERROR
from ..schema import ATTRIBUTE, type_ok
from ..values import INT_MAX, INT_MIN, attribute_problems
from ._common import entries

CODE, NAME, LEVEL = "E108", "unstorable-value", ERROR
KINDS = ("theory", "vocabulary")


def check(ctx):
    for section, doc, key, raw, fields in entries(ctx):
        for name, f in section.fields.items():  # a whole-number field (a source's year)
            value = fields.get(name)
            if f.kind == "int" and type_ok(f, value) and not INT_MIN <= value <= INT_MAX:
                yield (doc.path, *doc.value_mark(section.name, key, name)), (
                    f"'{name}' of {section.noun} '{key}' is the whole number {value}, beyond what "
                    "Neo4j stores (-2**63 to 2**63-1); write it as a year such as 2019")
        if not section.free or not isinstance(raw, dict):
            continue
        for name, value in fields.items():
            if name in section.fields:
                continue
            where = (section.name, key, name)
            what = f"attribute '{name}' of {section.noun} '{key}'"
            if name == "":
                yield (doc.path, *doc.mark(*where)), (
                    f"an attribute of {section.noun} '{key}' has no name; name it "
                    "(Neo4j cannot store a property without one)")
                continue
            if not type_ok(ATTRIBUTE, value):
                continue  # not a value at all (a mapping, null): wrong-type (E104) says so
            for index, message in attribute_problems(value):
                if index is not None:
                    line, col = doc.mark(*where, index)
                    what = f"item {index + 1} of attribute '{name}' of {section.noun} '{key}'"
                else:  # an empty value has no place of its own: point at its key
                    line, col = doc.mark(*where) if value is None else doc.value_mark(*where)
                yield (doc.path, line, col), f"{what} {message}"
