"""A reference to an id that is not defined: a CMOC's area or concepts, an
opposed concept, a refined CMOC, the CMOCs a quote supports or refutes, a
quote's site, or a pathway step. The nearest defined id is suggested.

Passing::

    concepts:
      gp-referral: Referred by a GP
    cmocs:
      EN4: {area: enrolment, statement: ..., context: gp-referral, ...}

Failing (``gp-refferal``)::

    cmocs:
      EN4: {area: enrolment, statement: ..., context: gp-refferal, ...}
"""

from ..model import iter_entries
from ..problems import ERROR
from ..schema import ANY, is_any
from ._common import at, entries, nearest

CODE, NAME, LEVEL = "E201", "unknown-reference", ERROR
KINDS = ("theory", "vocabulary")


def check(ctx):
    # Every id written down counts as defined, even an entry of the wrong type: that entry
    # gets its own wrong-type problem, and "not defined" on top of it would mislead.
    sections = ctx.format.sections
    declared = {name: {key for _doc, key, _raw in iter_entries(ctx.documents, name)}
                for name in sections}
    for section, doc, key, raw, fields in entries(ctx):
        for name, f in section.fields.items():
            if not f.ref or name not in fields:
                continue
            value = fields[name]
            pools = [declared[ref] for ref in f.ref]
            nouns = " or ".join(sections[ref].noun for ref in f.ref)
            where: tuple = (section.name, key, name)
            if is_any(value):  # context: {any: [...]}: each alternative at its own place
                value, where = value[ANY], where + (ANY,)
            single = isinstance(value, str)
            if not single and not isinstance(value, list):
                continue  # wrong-type (E104) reports it
            for index, ref in enumerate([value] if single else value):
                if not isinstance(ref, str) or not ref:
                    continue  # wrong-type (E104) reports it
                if not any(ref in pool for pool in pools):
                    keys = where + (() if single else (index,))
                    known = [i for pool in pools for i in pool]
                    yield at(doc, *keys), (f"{section.noun} '{key}' refers to {nouns} '{ref}' "
                                           f"in '{name}', which is not defined{nearest(ref, known)}")
