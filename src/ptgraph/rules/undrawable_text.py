"""Text a figure cannot draw as written: a control character, or U+FFFE / U+FFFF.

``ptgraph render`` draws every label, statement and title exactly as
written: backslashes, ``<``, ``&``, quotes, runs of spaces, right-to-left
text, combining marks and emoji included, and a line break as a line break.
A few characters cannot be drawn. Graphviz reads labels as XML, which cannot
hold the control characters U+0000 to U+001F other than tab and line
breaks, nor the noncharacters U+FFFE and U+FFFF: Graphviz fails on them.
It silently drops a tab (U+0009). In the YAML such characters arrive through
double-quoted escapes (``"\\a"``, ``"\\x07"``, ``"\\uFFFE"``) or a pasted tab.
The fields checked are those the figures draw: the theory's title,
citation and DOI, the labels and descriptions of areas and pathways, concept
labels, CMOC statements and the participants of evidence.

Passing::

    concepts:
      ctx: 'Carer\\Nurse visits at home'      # drawn with its backslash
      mech: "Feels heard\\nand valued"        # drawn on two lines

Failing (a bell character; a tab)::

    concepts:
      ctx: "Carer visits at home\\a"
      mech: "Feels\\theard"
"""

from __future__ import annotations

import re
from typing import Iterator

from ..chars import char_name
from ..problems import ERROR
from ..schema import CONFIDENCE_COMPONENTS
from ._common import entries, manifest_doc

CODE, NAME, LEVEL = "E109", "undrawable-text", ERROR

#: Line breaks, drawn as line breaks: the mandatory breaks of Unicode's line breaking
#: algorithm (UAX #14: CR LF, LF, CR, VT, FF, NEL, U+2028, U+2029). Graphviz itself would
#: drop the C0 ones and draw U+2028 past the edge of its box.
LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")
#: What Graphviz cannot draw (found with Graphviz 2.43's ``dot``): C0 controls other than the
#: line breaks (its XML parser refuses them, even as ``&#7;``, and a tab is dropped), U+FFFE
#: and U+FFFF (refused by the parser), and lone surrogates (not UTF-8 at all; YAML's own
#: reader refuses them first). DEL, C1 controls and the other noncharacters pass through
#: to SVG as written, and PNG shows them as a boxed code, as for any character without a glyph.
UNDRAWABLE = re.compile("[\x00-\x09\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: Section -> its text fields that figures draw (:mod:`ptgraph.render`).
DRAWN = {
    "areas": ("label", "description"),
    "concepts": ("label",),
    "cmocs": ("statement",),
    "evidence": ("participant",),
    "pathways": ("label", "description"),
}
#: Section -> keys of nested text that figures draw (a CMOC card says its confidence).
DRAWN_NESTED = {
    "cmocs": (("confidence", "rationale"),
              *(("confidence", "components", c) for c in CONFIDENCE_COMPONENTS)),
}
#: Keys, below ``theory``, of the manifest's text that figures draw.
DRAWN_MANIFEST = (("title",), ("source", "citation"), ("source", "doi"))

def undrawable(text: str) -> Iterator[tuple[int, str]]:
    """``(index, character)`` of each character of ``text`` a figure cannot draw.

    >>> list(undrawable("a\\tb\\nc\\x07"))
    [(1, '\\t'), (5, '\\x07')]
    """
    for m in UNDRAWABLE.finditer(text):
        yield m.start(), m.group()


def _advice(char: str) -> str:
    if char == "\t":
        return "Graphviz drops tabs; write spaces instead"
    return "Graphviz cannot draw it (its XML cannot hold the character); remove it"


def _problems(doc, keys: tuple, value, what: str):
    if not isinstance(value, str) or not UNDRAWABLE.search(value):
        return  # drawable, or not text (wrong-type, E104, says so)
    found = list(undrawable(value))
    index, char = found[0]
    more = f" (and {len(found) - 1} more such character{'s' * (len(found) > 2)})" \
        if len(found) > 1 else ""
    yield (doc.path, *doc.mark(*keys)), (
        f"{what} holds {char_name(char)} at character {index + 1}{more}; {_advice(char)}")


def check(ctx):
    doc = manifest_doc(ctx)
    if doc is not None and isinstance(doc.data, dict) and isinstance(doc.data.get("theory"), dict):
        for keys in DRAWN_MANIFEST:
            value = doc.data["theory"]
            for key in keys:
                value = value.get(key) if isinstance(value, dict) else None
            yield from _problems(doc, ("theory", *keys), value, f"the theory's {' '.join(keys)}")
    for section, doc, key, raw, fields in entries(ctx):
        for name in DRAWN.get(section.name, ()):
            # the shorthand `id: label` has its value at the entry's own key
            keys = (section.name, key) if isinstance(raw, str) else (section.name, key, name)
            yield from _problems(doc, keys, fields.get(name), f"{name} of {section.noun} '{key}'")
        for path in DRAWN_NESTED.get(section.name, ()):
            value = fields
            for name in path:
                value = value.get(name) if isinstance(value, dict) else None
            yield from _problems(doc, (section.name, key, *path), value,
                                 f"{'.'.join(path)} of {section.noun} '{key}'")
