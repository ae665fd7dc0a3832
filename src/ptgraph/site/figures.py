"""The site's figures: the views of :mod:`ptgraph.render`, linked, drawn as SVG to inline.

A figure is drawn for the page that shows it, so its links (Graphviz ``URL``
and ``HREF``) are relative to that page; the SVG is then made fit to sit
inside the HTML: no XML prolog or comments, ids prefixed so that several
figures on one page never share one, Graphviz's ``<title>`` elements (the DOT
node names, shown on hover) left out, and every link named for screen
readers by its tooltip.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Mapping, Sequence

from ..model import Theory
from ..render import Href, card_rows, figure, run_graphviz

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"


@dataclass
class Drawing:
    """One figure on one page: an id unique on the page, its view, and its link function."""

    key: str
    view: str
    href: Href
    params: Mapping[str, str] | None = None


def card_alt(theory: Theory, cmoc_id: str) -> str:
    """What the card of a CMOC shows: each of its rows from top to bottom, named as drawn
    (:func:`ptgraph.render.card_rows`), with the labels of its concepts.

    >>> from ptgraph.model import CMOC, Concept
    >>> t = Theory("t", "T", concepts={"c": Concept("c", "Trust"), "o": Concept("o", "Attends")},
    ...            cmocs={"X": CMOC("X", "a", "...", ("c",), ("m",), ("o",), resource=("r",))})
    >>> card_alt(t, "X")
    'Figure: CMOC X as a card, under its statement and evidence, its parts from top to bottom: Context: Trust; Mechanism (resource): r; Mechanism (reasoning): m; Outcome: Attends; each concept a link to its page'
    """
    m = theory.cmocs[cmoc_id]
    rows = []
    for role, name in card_rows(m):
        labels = [theory.concepts[c].label if c in theory.concepts else c for c in m.concepts(role)]
        rows.append(f"{name}: {(' or ' if role == 'context' and m.context_any else ' and ').join(labels)}")
    return (f"Figure: CMOC {cmoc_id} as a card, under its statement and evidence, its parts from "
            f"top to bottom: {'; '.join(rows)}; each concept a link to its page")


def alt_text(theory: Theory, view: str) -> str:
    """What a figure shows, in words, for people who cannot see it.

    >>> alt_text(Theory("t", "T"), "pathways")
    'Figure: every pathway as one panel, its steps from left to right; every step is a link to its page. The text of this page says the same.'
    """
    kind, _, ident = view.partition(":")
    if kind == "cmoc":
        return card_alt(theory, ident) + ". The text of this page says the same."
    words = {
        "overview": (f"Figure: the whole programme theory, {len(theory.cmocs)} CMOCs in "
                     f"{len(theory.areas)} area boxes. Concepts are drawn by role (context a "
                     "rectangle, mechanism an ellipse, outcome an octagon) and joined by arrows "
                     "labelled with the CMOCs that make them; every concept, CMOC and area is a "
                     "link to its page"),
        "area": (f"Figure: the CMOCs of the area {ident}, their concepts joined by arrows labelled "
                 "with the CMOCs that make them, and the statements below; every concept and "
                 "CMOC is a link to its page"),
        "pathway": (f"Figure: pathway {ident}, its steps from left to right, each arrow labelled "
                    "with the CMOCs that make the step; every step is a link to its page"),
        "pathways": ("Figure: every pathway as one panel, its steps from left to right; every "
                     "step is a link to its page"),
        "contrasts": ("Figure: each shared concept as a panel, contexts on the left, outcomes on "
                      "the right, arrows labelled by CMOC; every concept and CMOC is a link to "
                      "its page"),
        "conflicts": ("Figure: the whole theory with the CMOCs in conflict in vermillion and "
                      "numbered; every concept and CMOC is a link to its page"),
        "chains": ("Figure: each chain as a row of CMOCs and the concepts linking them; every "
                   "CMOC and concept is a link to its page"),
    }[kind]
    return words + ". The text of this page says the same."


def inline_svg(svg: bytes, key: str, label: str) -> str:
    """Graphviz SVG made ready to sit inside an HTML page.

    Ids become ``KEY-id``; ``<title>`` elements and comments go; the root
    gets ``role="group"``, ``aria-label`` (``label``) and a class for the
    stylesheet; each link gets SVG 2's ``href`` beside ``xlink:href`` and an
    ``aria-label`` from its tooltip. Deterministic: the same SVG gives the same text.

    >>> svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    ...        b'width="10pt" height="10pt" viewBox="0 0 10 10"><g id="node1"><title>c_x</title>'
    ...        b'<a xlink:href="x.html" xlink:title="X &lt;1&gt;"><text>X</text></a></g></svg>')
    >>> print(inline_svg(svg, "f", "A figure"))  # doctest: +NORMALIZE_WHITESPACE
    <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
      width="10pt" height="10pt" viewBox="0 0 10 10" role="group" aria-label="A figure"
      class="graph"><g id="f-node1"><a xlink:href="x.html" xlink:title="X &lt;1&gt;"
      href="x.html" aria-label="X &lt;1&gt;"><text>X</text></a></g></svg>
    """
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    root = ET.fromstring(svg)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{{{SVG}}}title":
                parent.remove(child)
    for el in root.iter():
        if "id" in el.attrib:
            el.set("id", f"{key}-{el.get('id')}")
        if el.tag == f"{{{SVG}}}a":
            # SVG 2's href beside Graphviz's xlink:href: what browsers and their
            # accessibility trees read today; the older attribute for older viewers
            if el.get(f"{{{XLINK}}}href") is not None:
                el.set("href", el.get(f"{{{XLINK}}}href"))
            title = el.get(f"{{{XLINK}}}title")
            if title:
                el.set("aria-label", _link_name(el, title))
    root.set("role", "group")
    root.set("aria-label", label)
    root.set("class", "graph")
    return ET.tostring(root, encoding="unicode")


def _link_name(link: ET.Element, tooltip: str) -> str:
    """A figure link's name for screen readers: its tooltip, with the words drawn in it
    first when the tooltip does not hold them (a concept's roles, under its label), so
    that what is seen is what is heard (WCAG 2.5.3)."""
    drawn = " ".join(" ".join("".join(t.itertext()) for t in link.iter(f"{{{SVG}}}text")).split())
    if not drawn or drawn.rstrip(",") in tooltip:
        return tooltip
    return drawn if tooltip in drawn else f"{drawn}: {tooltip}"


def draw(theory: Theory, drawings: Sequence[Drawing]) -> list[str]:
    """Each drawing as inline SVG, in order; Graphviz runs for several at once, one per processor.

    Raises
    ------
    GraphvizError
        When ``dot`` is missing or fails.
    """
    sources = [figure(theory, d.view, d.params, href=d.href).source for d in drawings]
    # Graphviz runs in child processes, so threads are enough to use every processor.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        svgs = list(pool.map(lambda source: run_graphviz(source, "svg"), sources))
    return [inline_svg(svg, d.key, alt_text(theory, d.view)) for d, svg in zip(drawings, svgs)]


__all__ = ["Drawing", "alt_text", "card_alt", "draw", "inline_svg"]
