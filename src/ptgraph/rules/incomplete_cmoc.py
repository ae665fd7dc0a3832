"""A CMOC lacks its context, its mechanism or its outcome.

A configuration needs all three parts; write ``context: [a, b]`` for several.

Passing::

    cmocs:
      IS3: {area: interpersonal-skills, statement: ..., context: space-to-offload,
            mechanism: feel-less-alone, outcome: able-to-cope}

Failing::

    cmocs:
      IS3: {area: interpersonal-skills, statement: ..., context: space-to-offload,
            outcome: able-to-cope}
"""

from ..model import REQUIRED_ROLES
from ..problems import ERROR
from ..schema import SECTIONS, as_ids
from ._common import at, entries

CODE, NAME, LEVEL = "E202", "incomplete-cmoc", ERROR


def check(ctx):
    for _section, doc, key, raw, fields in entries(ctx, SECTIONS["cmocs"]):
        if not isinstance(raw, dict):
            continue
        for role in REQUIRED_ROLES:
            if role not in fields:
                yield at(doc, "cmocs", key), f"CMOC '{key}' has no {role}"
            elif not as_ids(fields[role]) and fields[role] in ("", [], None):
                yield at(doc, "cmocs", key, role), f"CMOC '{key}' has an empty {role}"
