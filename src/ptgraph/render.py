"""Figures of a programme theory: Graphviz DOT built from the theory, drawn by ``dot``.

Building DOT and running Graphviz are kept apart. Each view is a function
returning DOT source (:func:`overview_dot`, :func:`area_dot`, :func:`cmoc_dot`,
:func:`pathway_dot`, :func:`pathways_dot`, :func:`chains_dot`,
:func:`conflicts_dot`, :func:`contrasts_dot`); :func:`figure` picks one by its name on the command line
(``area:enrolment``), and :func:`render` writes figures to files, each
atomically (a temporary file, then :func:`os.replace`).

The DOT is deterministic: node ids come from theory ids (``c_<concept>``),
nodes and edges are sorted, and nothing depends on time or on the machine, so
the same YAML always gives byte-identical DOT and a changed figure in a pull
request is a real change.

Conventions shared by every figure:

* context, mechanism and outcome concepts differ by shape *and* colour (the
  Okabe-Ito palette, safe for colour-blind readers, and still apart in grey):
  context a rectangle in sky blue, mechanism an ellipse in orange, outcome an
  octagon in bluish green; where a theory has them, a resource is a yellow
  hexagon, an intervention a reddish-purple arrow shape (``cds``) and an actor
  a blue house. The key shows the roles the theory uses. A concept with
  several roles is a rectangle striped in its roles' colours, with the roles
  written under its label.
* arrows follow each CMOC's causal order: context -> mechanism -> outcome, or
  with a resource, context -> resource -> reasoning -> outcome; an
  intervention points at what its CMOC's contexts trigger, an actor at the
  reasoning that is theirs.
* an arrow is labelled with the CMOCs that draw it; where a view shows
  evidence, it is wider the more quotes support those CMOCs, and dashed when
  none does.
* the overview stacks the areas as boxes in the order they are declared; a
  concept several areas use is drawn once, with a heavy outline, and arrows
  between boxes are blue.
* every text is drawn exactly as written, whatever characters it holds
  (:func:`label_text`); what Graphviz cannot draw, ``check`` refuses (E109).
* with ``href`` (a :data:`Href`), every concept, CMOC and area drawn links to
  its page, with a tooltip (``URL``/``HREF``, ``tooltip``, ``target``): the
  figures of ``ptgraph site``. Without it the DOT is as it always was.
* above :data:`LARGE_THEORY` CMOCs the overview (and a view of one such area)
  is a summary, since Graphviz would take many minutes over the full figure.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

import graphviz

from .errors import GraphvizError, PtgraphError, UsageError
from .model import CAUSAL_ROLES, CMOC, REQUIRED_ROLES, ROLES, Theory, causal_steps
from .rules._common import nearest
from .rules.undrawable_text import LINE_BREAK, UNDRAWABLE

#: Output formats; ``dot`` is the DOT source itself and needs no Graphviz.
FORMATS = ("svg", "png", "pdf", "dot")
#: What ``ptgraph render`` writes when no ``--format`` is given.
DEFAULT_FORMATS = ("dot", "svg", "png")
#: Resolution of PNG figures: enough for print, files of a few hundred kB.
PNG_DPI = 200
#: A PNG drawing larger than this (inches, either side) is scaled down to fit: a
#: figure that big is shrunk to a page anyway, so it keeps ~300 dpi where printed.
PNG_MAX_INCHES = 15
#: Above this many CMOCs a view of the whole theory (or of one area) is summarised.
LARGE_THEORY = 500
#: How many concepts a summarised view keeps: those the most CMOCs use.
SUMMARY_HUBS = 20
#: Seconds one Graphviz run may take before it is stopped.
DOT_TIMEOUT = 300
#: Views with no id; the others take one (``area:ID``, ``cmoc:ID``, ``pathway:ID``).
PLAIN_VIEWS = ("overview", "pathways", "chains", "conflicts", "contrasts")
ID_VIEWS = ("area", "cmoc", "pathway")
#: Views that draw the rows of the query of the same name (``--param`` goes to the query).
QUERY_VIEWS = ("chains", "conflicts", "contrasts")

# Okabe & Ito (2008), "Color universal design": distinct for every common colour-vision deficiency.
OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7", "black": "#000000",
}
# Helvetica resolves to a metric-compatible face (Arial, Liberation Sans) almost
# everywhere, so text measured at layout fits its box in SVG viewers as in PNG.
FONT = "Helvetica"
INK = "#333333"
GREY = "#777777"
MUTED = "#BBBBBB"
HIGHLIGHT = OKABE_ITO["vermillion"]
BETWEEN = OKABE_ITO["blue"]  # arrows between area boxes
WRAP = 16  # characters per line of a concept label


def _tint(hex_colour: str, amount: float = 0.5) -> str:
    """``hex_colour`` mixed with white: light fills keep black text readable.

    >>> _tint("#000000"), _tint("#56B4E9")
    ('#808080', '#AADAF4')
    """
    rgb = [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02X}" for c in rgb)


ROLE_COLOUR = {"context": OKABE_ITO["sky_blue"], "mechanism": OKABE_ITO["orange"],
               "outcome": OKABE_ITO["bluish_green"], "resource": OKABE_ITO["yellow"],
               "intervention": OKABE_ITO["reddish_purple"], "actor": OKABE_ITO["blue"]}
ROLE_FILL = {role: _tint(colour) for role, colour in ROLE_COLOUR.items()}
ROLE_SHAPE = {"context": "box", "mechanism": "ellipse", "outcome": "octagon",
              "resource": "hexagon", "intervention": "cds", "actor": "house"}


def key_roles(theory: Theory) -> tuple[str, ...]:
    """The roles a figure's key shows: context, mechanism and outcome, and those of the
    optional parts (resource, intervention, actor) that some CMOC of the theory has."""
    used = {role for m in theory.cmocs.values() for role in ROLES if m.concepts(role)}
    return tuple(r for r in ROLES if r in REQUIRED_ROLES or r in used)


def part_edges(m: CMOC) -> list[tuple[str, str, str, str]]:
    """Every arrow a figure draws for CMOC ``m``, as ``(tail role, tail, head role, head)``:
    its causal order (:meth:`CMOC.causal_edges`), then each intervention to what the
    contexts trigger and each actor to the reasoning."""
    first = "resource" if m.resource else "mechanism"
    return (m.causal_edges()
            + [("intervention", i, first, t) for i in m.intervention for t in m.triggered]
            + [("actor", a, "mechanism", x) for a in m.actor for x in m.mechanism])


# --- labels -------------------------------------------------------------------------

def label_text(text: object, width: int | None = None, align: str = "", *, end: bool = True) -> str:
    r"""Text as the content of an HTML-like label, drawn by Graphviz exactly as written.

    Every piece of text in every figure goes through here. Graphviz reads the
    label as XML, then expands backslash escapes in the text (``\N`` is the
    node's name, ``\G`` the graph's, ``\\`` one backslash), so ``&<>"'`` become
    entities and each backslash is doubled. A line break (:data:`LINE_BREAK`)
    becomes ``<BR/>``: Graphviz would drop it. Spaces, runs of spaces and all
    other characters are kept; the few Graphviz cannot draw (:data:`UNDRAWABLE`,
    which ``check`` refuses as E109) become U+FFFD, so a figure still draws.

    With ``width``, lines are wrapped at spaces to at most ``width`` characters
    (see :func:`_wrap`); with ``align`` (``LEFT``), every line is aligned so,
    the last one too unless ``end`` is false (the caller then ends it).

    >>> label_text('a < b & "c" \\N')
    'a &lt; b &amp; &quot;c&quot; \\\\N'
    >>> label_text("one two\nthree", 3, "LEFT")
    'one<BR ALIGN="LEFT"/>two<BR ALIGN="LEFT"/>three<BR ALIGN="LEFT"/>'
    """
    brk = f'<BR ALIGN="{align}"/>' if align else "<BR/>"
    lines = [part for line in LINE_BREAK.split(str(text))
             for part in (_wrap(line, width) if width else [line])]
    body = brk.join(html.escape(UNDRAWABLE.sub("\ufffd", line).replace("\\", "\\\\"), quote=True)
                    for line in lines)
    return body + brk if align and end else body  # a trailing aligned break aligns the last line


def _wrap(line: str, width: int) -> list[str]:
    """One line broken into lines of at most ``width`` characters, each break in place of
    one space, so the lines joined with spaces are ``line`` again. A break comes at the
    last space that fits; a word longer than ``width`` stays whole, and spaces at the end
    do not count. Lines are broken by Graphviz itself (``<BR/>``), so it measures every
    line and the box always fits: nothing is clipped.

    >>> _wrap("a very  long word", 6)
    ['a very', ' long', 'word']
    >>> _wrap("unbreakable words", 4)
    ['unbreakable', 'words']
    """
    out = []
    while len(line.rstrip(" ")) > width:
        cut = line.rfind(" ", 1, width + 1)  # never at 0: that would draw an empty line
        if cut < 0:
            cut = line.find(" ", width + 1)
            if cut < 0:
                break
        out.append(line[:cut])
        line = line[cut + 1:]
    return out + [line]


def _font(body: str, size: float | None = None, colour: str | None = None, *,
          bold: bool = False, italic: bool = False) -> str:
    if bold:
        body = f"<B>{body}</B>"
    if italic:
        body = f"<I>{body}</I>"
    attrs = "".join(f' {k}="{v}"' for k, v in (("POINT-SIZE", size), ("COLOR", colour)) if v)
    return f"<FONT{attrs}>{body}</FONT>" if attrs else body


def _html(body: str) -> str:
    """An HTML-like label: the graphviz package writes ``<...>`` unquoted."""
    return f"<{body}>"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


# --- links (the figures of ``ptgraph site``) ---------------------------------------

#: ``href(kind, id)``: the address of the page of a ``concept``, ``cmoc`` or ``area``
#: (relative to the page the figure is drawn in), or None for no link.
Href = Callable[[str, str], "str | None"]


def _tooltip(theory: Theory, kind: str, ident: str) -> str:
    """What a linked item says on hover: a concept's label, a CMOC's id and statement,
    an area's label; on one line (the page itself says it as written)."""
    if kind == "cmoc" and ident in theory.cmocs:
        text = f"{ident}: {theory.cmocs[ident].statement}"
    else:
        entry = {"concept": theory.concepts, "area": theory.areas}.get(kind, {}).get(ident)
        text = entry.label if entry is not None else ident
    return " ".join(LINE_BREAK.split(UNDRAWABLE.sub("\ufffd", text)))


def _target(theory: Theory, href: Href | None, kind: str, ident: str) -> dict[str, str]:
    """Node attributes that make it a link to the page of ``ident`` (none without ``href``).

    Both values are escString to Graphviz (``\\N`` would expand), so backslashes
    are doubled (:func:`graphviz.escape`); ``target`` opens the page in the whole
    window, not in a frame the figure may be shown in.

    >>> t = Theory("t", "T")
    >>> _target(t, lambda kind, i: f"{kind}/{i}.html", "concept", "x")
    {'URL': 'concept/x.html', 'tooltip': 'x', 'target': '_top'}
    >>> _target(t, None, "concept", "x")
    {}
    """
    url = href(kind, ident) if href is not None else None
    if not url:
        return {}
    return {"URL": graphviz.escape(url), "tooltip": graphviz.escape(_tooltip(theory, kind, ident)),
            "target": "_top"}


def _cell_target(theory: Theory, href: Href | None, kind: str, ident: str) -> str:
    """The same link as attributes of a table cell of an HTML-like label (``HREF``, ...)."""
    attrs = _target(theory, href, kind, ident)
    if not attrs:
        return ""
    return (f' HREF="{html.escape(attrs["URL"], quote=True)}"'
            f' TOOLTIP="{html.escape(attrs["tooltip"], quote=True)}" TARGET="_top"')


# --- facts about the theory -----------------------------------------------------------

def evidence_counts(theory: Theory) -> dict[str, tuple[int, int]]:
    """CMOC id -> (supporting, refuting) evidence items.

    >>> from ptgraph.model import Evidence
    >>> t = Theory("t", "T", evidence={"q1": Evidence("q1", "...", supports=("X",)),
    ...                                "q2": Evidence("q2", "...", supports=("X",), refutes=("Y",))})
    >>> counts = evidence_counts(t)
    >>> counts["X"], counts["Y"]
    ((2, 0), (0, 1))
    """
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for ev in theory.evidence.values():
        for cid in ev.supports:
            counts[cid][0] += 1
        for cid in ev.refutes:
            counts[cid][1] += 1
    return {cid: (counts[cid][0], counts[cid][1]) for cid in sorted(set(theory.cmocs) | set(counts))}


def _concept_areas(theory: Theory, cmoc_ids: Iterable[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for mid in cmoc_ids:
        m = theory.cmocs[mid]
        for role in ROLES:
            for cid in m.concepts(role):
                out[cid].add(m.area)
    return out


def _roles(theory: Theory, cmoc_ids: Iterable[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for mid in cmoc_ids:
        for role in ROLES:
            for cid in theory.cmocs[mid].concepts(role):
                out[cid].add(role)
    return out


Link = tuple[str, str]


def _links(theory: Theory, cmoc_ids: Iterable[str]) -> dict[Link, list[str]]:
    """(tail concept, head concept) -> sorted ids of the CMOCs drawing that arrow.

    The arrows of :func:`part_edges`: the causal order as in the graph model
    (TRIGGERS, PRODUCES), then interventions and actors; sorted by tail, then head.
    """
    links: dict[Link, set[str]] = defaultdict(set)
    for mid in cmoc_ids:
        for _, a, _, b in part_edges(theory.cmocs[mid]):
            links[a, b].add(mid)
    return {k: sorted(v) for k, v in sorted(links.items())}


def _cmoc_list(mids: Iterable[str], either: Iterable[str] = ()) -> str:
    """CMOC ids for an arrow's label, those in ``either`` as ``X1 (any)``: for them the
    context at the arrow's tail is one alternative of several."""
    either = set(either)
    return ", ".join(f"{m} (any)" if m in either else m for m in mids)


def _linked_list(theory: Theory, mids: Sequence[str], either: Iterable[str], href: Href) -> str:
    """:func:`_cmoc_list` as a row of cells, each CMOC id a link to its page."""
    either = set(either)
    return _confidence_cells([(f"{m} (any)" if m in either else m, None) for m in mids], "",
                             [_cell_target(theory, href, "cmoc", m) for m in mids])


def _alternatives(theory: Theory, cmoc_ids: Iterable[str]) -> dict[Link, set[str]]:
    """Arrows from a context of CMOCs any one of whose contexts will do
    (``context: {any: [...]}``): link -> those CMOCs, drawn as ``X1 (any)``."""
    out: dict[Link, set[str]] = defaultdict(set)
    for mid in cmoc_ids:
        m = theory.cmocs[mid]
        if m.context_any:
            for c in m.context:
                for x in m.triggered:
                    out[c, x].add(mid)
    return dict(out)


def _home_areas(theory: Theory, cmoc_ids: Sequence[str]) -> dict[str, str]:
    """Concept id -> the one area box a figure draws it in.

    A concept used by one area lives there. A concept shared by several areas
    goes to the one of them that leaves the fewest arrows between boxes, and
    fewest of all running back up the page (boxes are stacked in the order the
    areas are declared); ties go to the area declared first.
    """
    order = {a: i for i, a in enumerate(theory.areas)}
    areas_of = _concept_areas(theory, cmoc_ids)
    home = {c: min(areas, key=lambda a: (order.get(a, len(order)), a))
            for c, areas in sorted(areas_of.items())}
    touching: dict[str, list[Link]] = defaultdict(list)
    for t, h in _links(theory, cmoc_ids):
        touching[t].append((t, h))
        touching[h].append((t, h))

    def cost(cid: str, area: str) -> tuple:
        def row(c: str) -> int:
            return order.get(area if c == cid else home[c], len(order))
        up = sum(1 for t, h in touching[cid] if row(t) > row(h))
        across = sum(1 for t, h in touching[cid] if row(t) != row(h))
        return (3 * up + across, order.get(area, len(order)), area)

    shared = [c for c, areas in sorted(areas_of.items()) if len(areas) > 1]
    for _ in range(3):  # a few rounds settle neighbours that are both shared
        for cid in shared:
            home[cid] = min(sorted(areas_of[cid]), key=lambda a: cost(cid, a))
    return home


# --- drawing helpers ----------------------------------------------------------------

def _digraph(name: str, label: str | None = None, **graph_attr: str) -> graphviz.Digraph:
    attrs = {"rankdir": "TB", "newrank": "true", "fontname": FONT, "fontsize": "12",
             "nodesep": "0.15", "ranksep": "0.3", "pad": "0.2", "labelloc": "t",
             "labeljust": "l", "outputorder": "edgesfirst"}
    attrs.update(graph_attr)
    if label:
        attrs["label"] = label
    return graphviz.Digraph(
        name, graph_attr=attrs,
        node_attr={"fontname": FONT, "fontsize": "11", "color": INK, "margin": "0.06,0.03"},
        edge_attr={"fontname": FONT, "fontsize": "9", "color": INK, "arrowsize": "0.7"})


def _heading(theory: Theory, heading: str | None = None, note: str | None = None, *,
             width: int = 90, citation: bool = True) -> str:
    """Graph label: the theory's title, the view's heading, a note, then the citation."""
    parts = [_font(label_text(theory.title or theory.id, width, "LEFT"), 15, bold=True)]
    if heading:
        parts.append(_font(label_text(heading, width, "LEFT"), 13, bold=True))
    if note:
        parts.append(_font(label_text(note, int(width * 1.15), "LEFT"), 11))
    cite = theory.source.get("citation") if citation else None
    if cite:
        doi = theory.source.get("doi")
        text = cite + (f" doi:{doi}" if doi and doi not in cite else "")
        parts.append(_font(label_text(text, int(width * 1.3), "LEFT"), 9, GREY))
    return _html("".join(parts))


def _concept_attrs(roles: Iterable[str]) -> tuple[dict[str, str], str]:
    """Node attributes for a concept with these roles, and the line to add under its label."""
    ordered = [r for r in ROLES if r in roles] or ["context"]
    if len(ordered) == 1:
        role = ordered[0]
        return {"shape": ROLE_SHAPE[role], "style": "filled", "fillcolor": ROLE_FILL[role]}, ""
    return ({"shape": "box", "style": "striped", "fillcolor": ":".join(ROLE_FILL[r] for r in ordered)},
            _font(label_text(" + ".join(ordered)), 8, italic=True))


def _concept_node(g: graphviz.Digraph, theory: Theory, cid: str, roles: Iterable[str], *,
                  node_id: str | None = None, shared: bool = False, muted: bool = False,
                  highlight: bool = False, width: int = WRAP, href: Href | None = None) -> None:
    concept = theory.concepts.get(cid)
    attrs, extra = _concept_attrs(roles)
    body = label_text(concept.label if concept else cid, width) + (f"<BR/>{extra}" if extra else "")
    if shared:
        attrs["penwidth"] = "2.5"
    if muted:
        attrs.update(color=MUTED, fontcolor=GREY,
                     fillcolor=":".join("#F4F4F4" for _ in attrs["fillcolor"].split(":")))
    if highlight:
        attrs.update(color=HIGHLIGHT, penwidth="3")
    attrs.update(_target(theory, href, "concept", cid))
    g.node(node_id or f"c_{cid}", _html(body), **attrs)


def _penwidth(n: int) -> str:
    """Arrow width for ``n`` supporting quotes: 1 for one, 0.75 more for each further, at most 6.

    >>> _penwidth(1), _penwidth(3), _penwidth(20)
    ('1.00', '2.50', '6.00')
    """
    return f"{min(6.0, 1.0 + 0.75 * max(n - 1, 0)):.2f}"


def _evidence_style(support: int) -> dict[str, str]:
    return {"penwidth": _penwidth(support), **({"style": "dashed"} if support == 0 else {})}


def _link_edges(g: graphviz.Digraph, links: Mapping[Link, list[str]],
                counts: Mapping[str, tuple[int, int]] | None, *,
                free: set[Link] = frozenset(), loose: set[Link] = frozenset(),
                highlight: Mapping[str, list[int]] | None = None,
                alternatives: Mapping[Link, set[str]] | None = None,
                confidence: Mapping[str, str] | None = None,
                theory: Theory | None = None, href: Href | None = None) -> None:
    """One arrow per causal link, labelled with its CMOCs (and conflict numbers); a CMOC
    for which this context is one alternative of several (``alternatives``) as ``X1 (any)``;
    a CMOC with a ``confidence`` level has its id outlined (:data:`CONFIDENCE_OUTLINE`);
    with ``href`` each CMOC id links to its page."""
    for (tail, head), mids in links.items():
        attrs: dict[str, str] = {}
        if counts is not None:
            attrs.update(_evidence_style(sum(counts.get(m, (0, 0))[0] for m in mids)))
        if (tail, head) in free:  # an arrow back up the page must not reorder the rows
            attrs["constraint"] = "false"
        if (tail, head) in loose:  # an arrow between boxes: easy to follow, and no drag sideways
            attrs.update(weight="0", color=BETWEEN, fontcolor=BETWEEN)
        either = (alternatives or {}).get((tail, head), set())
        names = [f"{m} (any)" if m in either else m for m in mids]
        label = _cmoc_list(mids, either)
        suffix = ""
        if highlight is not None:
            hot = sorted({n for m in mids for n in highlight.get(m, ())})
            if hot:
                suffix = " [" + ", ".join(map(str, hot)) + "]"
                attrs.update(color=HIGHLIGHT, fontcolor=HIGHLIGHT,
                             penwidth=f"{max(3.0, float(attrs.get('penwidth', '1'))):.2f}")
            else:
                attrs.update(color=MUTED, fontcolor=GREY)
        rated = confidence or {}
        if href is not None and theory is not None:  # one cell, one link, per CMOC
            text = _confidence_cells([(n, rated.get(m)) for n, m in zip(names, mids)], suffix,
                                     [_cell_target(theory, href, "cmoc", m) for m in mids])
        elif any(m in rated for m in mids):  # each CMOC's id outlined by its confidence
            text = _confidence_cells([(n, rated.get(m)) for n, m in zip(names, mids)], suffix)
        else:  # as before issue 15: plain text
            text = label_text(label + suffix)
        g.edge(f"c_{tail}", f"c_{head}", xlabel=_html(text), **attrs)


#: Confidence level -> (border width, TD style) of a CMOC id's outline: heavier is surer,
#: told apart by line, not colour (colour-blind safe).
CONFIDENCE_OUTLINE = {"high": ("2", ""), "moderate": ("1", ""), "low": ("1", "dashed"),
                      "very-low": ("1", "dotted")}


def _outlined(text: str, level: str | None, link: str = "") -> str:
    """One table cell with ``text``, outlined by a confidence ``level`` (or none); ``link``
    adds the cell's link attributes (:func:`_cell_target`).

    >>> _outlined("X1", "low")
    '<TD BORDER="1" STYLE="dashed" CELLPADDING="1">X1</TD>'
    >>> _outlined("X2", None)
    '<TD BORDER="0" CELLPADDING="1">X2</TD>'
    """
    border, style = CONFIDENCE_OUTLINE.get(level or "", ("0", ""))
    style = f' STYLE="{style}"' if style else ""
    return f'<TD BORDER="{border}"{style} CELLPADDING="1"{link}>{label_text(text)}</TD>'


def _confidence_cells(items: Sequence[tuple[str, str | None]], suffix: str = "",
                      links: Sequence[str] = ()) -> str:
    links = list(links) or [""] * len(items)
    cells = "".join(_outlined(text + ("," if i < len(items) - 1 else ""), level, link)
                    for i, ((text, level), link) in enumerate(zip(items, links)))
    if suffix:
        cells += f'<TD BORDER="0" CELLPADDING="1">{label_text(suffix.strip())}</TD>'
    return f'<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="0"><TR>{cells}</TR></TABLE>'


def _confidence_of(theory: Theory, cmoc_ids: Iterable[str]) -> dict[str, str]:
    return {m: theory.cmocs[m].confidence.level for m in cmoc_ids
            if theory.cmocs[m].confidence is not None}


def _bar(width_pt: float, *, dashed: bool = False, colour: str = INK) -> str:
    """A horizontal line of the given thickness made of table cells (HTML labels draw no lines)."""
    height = max(1, round(width_pt))
    if dashed:
        cells = "".join(f'<TD WIDTH="5" HEIGHT="{height}" FIXEDSIZE="TRUE"'
                        + (f' BGCOLOR="{colour}"' if i % 2 == 0 else "") + "></TD>" for i in range(7))
    else:
        cells = f'<TD WIDTH="35" HEIGHT="{height}" FIXEDSIZE="TRUE" BGCOLOR="{colour}"></TD>'
    return f'<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>{cells}</TR></TABLE>'


def _legend(g: graphviz.Digraph, *, evidence: bool = True, shared: bool = False,
            between: bool = False, conflict: bool = False, opposing: bool = False,
            several: bool = True, steps: bool = False, alternatives: bool = False,
            arrows: str | None = "Arrow: a causal link, labelled with its CMOCs",
            across: bool = False, stacked: bool = False, confidence: bool = False,
            roles: Sequence[str] = REQUIRED_ROLES) -> list[str]:
    """A boxed key, its samples side by side in one row.

    In a top-to-bottom figure the samples share a rank; in a left-to-right one
    (``across``) they are chained rank after rank, and with ``stacked`` the
    arrows' key goes under the last sample instead of in a rank of its own
    (the figure is no wider than its columns). Returns the ids of its nodes
    so the caller can place them. ``roles``: the roles shown (:func:`key_roles`).
    """
    rows: list[tuple[str, str]] = []
    if evidence:
        rows += [(_bar(float(_penwidth(n))), f"{_plural(n, 'supporting quote')}") for n in (1, 3, 5)]
        rows.append((_bar(1, dashed=True), "no supporting quote"))
    if between:
        rows.append((_bar(2, colour=BETWEEN), "between two areas"))
    if conflict:
        rows += [(_bar(3, colour=HIGHLIGHT), "a CMOC in conflict [finding number]"),
                 (_bar(1, colour=MUTED), "not in conflict")]
    if opposing:
        rows.append((_bar(2, dashed=True, colour=HIGHLIGHT), OPPOSING_KEY))
    if alternatives:  # words, not a colour or a dash: the arrow's label says it
        rows.append((label_text("X1 (any)"), ALTERNATIVES_KEY))
    if confidence:
        rows += [(_confidence_cells([("X1", level)]), f"confidence {level}")
                 for level in CONFIDENCE_OUTLINE]
    if steps:
        rows += [(_bar(1.5), "a step a CMOC makes"),
                 (_bar(1.5, dashed=True, colour=MUTED), UNMADE_STEP_KEY)]
    names = []
    with g.subgraph(name="cluster_legend") as key:
        key.attr(label=_html(_font("Key", 11, bold=True)), style="rounded", color=MUTED,
                 labeljust="l", margin="6")
        if not across:
            key.attr(rank="same")
        for role in roles:
            attrs, _ = _concept_attrs([role])
            names.append(f"key_{role}")
            key.node(names[-1], _html(label_text(role.capitalize())), fontsize="10", **attrs)
        if several:
            attrs, _ = _concept_attrs(["context", "outcome"])
            names.append("key_several")
            key.node(names[-1], _html(label_text("Several roles")), fontsize="10", **attrs)
        if shared:
            names.append("key_shared")
            key.node(names[-1], _html(label_text("Heavy outline: used by several areas", 18)),
                     shape="box", style="filled", fillcolor="white", penwidth="2.5", fontsize="10")
        if rows or arrows:
            cells = "".join(f'<TR><TD ALIGN="LEFT">{bar}</TD>'
                            f'<TD ALIGN="LEFT">{label_text(text)}</TD></TR>' for bar, text in rows)
            title = (f'<TR><TD COLSPAN="2" ALIGN="LEFT">{label_text(arrows, 30, "LEFT")}</TD></TR>'
                     if arrows else "")
            names.append("key_arrows")
            key.node(names[-1], _html(f'<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="1">'
                                      f"{title}{cells}</TABLE>"), shape="plaintext", fontsize="9")
        pairs = list(zip(names, names[1:]))
        if stacked and across and names[-1] == "key_arrows":
            # one rank; in a left-to-right figure a flat edge runs upwards: the table below
            pairs[-1] = ("key_arrows", names[-2])
            with key.subgraph() as column:
                column.attr(rank="same")
                column.node(names[-2])
                column.node("key_arrows")
        for a, b in pairs:  # keep the samples in this order
            key.edge(a, b, style="invis")
    return names


def _place_after(g: graphviz.Digraph, name: str, before: Iterable[str], after: Iterable[str],
                 **attrs: str) -> None:
    """Invisible edges through a spacer so every node of ``after`` comes after all of ``before``."""
    g.node(name, "", shape="point", style="invis", width="0", **attrs)
    for n in before:
        g.edge(n, name, style="invis")
    for n in after:
        g.edge(name, n, style="invis")


def _sinks(nodes: Iterable[str], links: Iterable[Link]) -> list[str]:
    tails = {t for t, _ in links}
    return sorted(n for n in nodes if n not in tails)


def _sources(nodes: Iterable[str], links: Iterable[Link]) -> list[str]:
    heads = {h for _, h in links}
    return sorted(n for n in nodes if n not in heads)


def _table(rows: Sequence[tuple[str, str]], title: str | None = None, width: int = 80,
           links: Mapping[str, str] | None = None) -> str:
    """A two-column key (bold id, wrapped text) as an HTML-like label; ``links`` maps a
    key to its cell's link attributes (:func:`_cell_target`)."""
    links = links or {}
    head = (f'<TR><TD COLSPAN="2" ALIGN="LEFT">{_font(label_text(title), 11, bold=True)}</TD></TR>'
            if title else "")
    body = "".join(f'<TR><TD ALIGN="LEFT" VALIGN="TOP"{links.get(key, "")}>'
                   f'{f"<B>{label_text(key)}</B>" if key else ""}</TD>'
                   f'<TD ALIGN="LEFT" BALIGN="LEFT">{label_text(text, width)}</TD></TR>'
                   for key, text in rows)  # Graphviz rejects an empty <B></B>
    return _html(f'<TABLE BORDER="0" CELLSPACING="1" CELLPADDING="2">{head}{body}</TABLE>')


# --- the concept graph: overview, area and conflicts views ----------------------------

def _concept_graph(theory: Theory, name: str, cmoc_ids: Sequence[str], heading: str, *,
                   note: str | None = None, boxes: bool = True,
                   highlight: Mapping[str, list[int]] | None = None,
                   hot_concepts: Iterable[str] = (), footer: str | None = None,
                   href: Href | None = None) -> str:
    """Concepts of ``cmoc_ids`` joined by their causal arrows, read top to bottom.

    With ``boxes`` each area is a box, stacked in declared order: context above
    mechanism above outcome inside each box, and a concept shared by areas is
    drawn once, in the box :func:`_home_areas` picks. ``highlight`` maps CMOC
    ids to finding numbers: their arrows are drawn in vermillion, the rest muted.
    With ``href`` concepts, CMOC ids and area boxes' titles link to their pages.
    """
    cmoc_ids = sorted(cmoc_ids)
    roles = _roles(theory, cmoc_ids)
    areas_of = _concept_areas(theory, theory.cmocs)  # shared across the whole theory
    links = _links(theory, cmoc_ids)
    counts = evidence_counts(theory)
    hot = set(hot_concepts)
    g = _digraph(name, _heading(theory, heading, note))
    in_view = {theory.cmocs[m].area for m in cmoc_ids}
    home = _home_areas(theory, cmoc_ids) if boxes else {c: "" for c in roles}
    rows = [a for a in theory.areas if a in in_view] if boxes else [""]

    def draw(sub: graphviz.Digraph, cid: str) -> None:
        _concept_node(sub, theory, cid, roles[cid], shared=len(areas_of[cid]) > 1,
                      muted=highlight is not None and cid not in hot
                      and not any(m in highlight for m in _cmocs_of(theory, cid, cmoc_ids)),
                      highlight=cid in hot, href=href)

    for area in rows:
        members = sorted(c for c, a in home.items() if a == area)
        if not area:
            for cid in members:
                draw(g, cid)
            continue
        n = sum(1 for m in cmoc_ids if theory.cmocs[m].area == area)
        with g.subgraph(name=f"cluster_{area}") as box:
            title = _font(label_text(f"{theory.areas[area].label} ({_plural(n, 'CMOC')})"), 12, bold=True)
            link = _cell_target(theory, href, "area", area)
            if link:  # the title alone links: a click beside a concept in the box does not
                title = f'<TABLE BORDER="0" CELLPADDING="0" CELLSPACING="0"><TR><TD{link}>{title}</TD></TR></TABLE>'
            box.attr(label=_html(title),
                     style="rounded,filled", fillcolor="#F7F7F7", color=MUTED, labeljust="l")
            for cid in members:
                draw(box, cid)
    row_of = {a: i for i, a in enumerate(rows)}
    inner = [(t, h) for t, h in links if home[t] == home[h]]
    for i, (upper, lower) in enumerate(zip(rows, rows[1:]), start=1):
        _place_after(g, f"row_{i}",
                     [f"c_{c}" for c in _sinks([c for c, a in home.items() if a == upper], inner)],
                     [f"c_{c}" for c in _sources([c for c, a in home.items() if a == lower], inner)])
    free = {(t, h) for t, h in links if row_of[home[t]] > row_of[home[h]]}
    loose = {(t, h) for t, h in links if home[t] != home[h]}
    alternatives = _alternatives(theory, cmoc_ids)
    rated = _confidence_of(theory, cmoc_ids)
    _link_edges(g, links, counts, free=free, loose=loose, highlight=highlight,
                alternatives=alternatives, confidence=rated, theory=theory, href=href)
    drawn_shared = any(len(areas_of[c]) > 1 for c in roles) and len(theory.areas) > 1
    key = _legend(g, shared=drawn_shared, between=bool(loose) and highlight is None,
                  conflict=highlight is not None, alternatives=bool(alternatives),
                  confidence=bool(rated), roles=key_roles(theory))
    middle = key[len(key) // 2]  # hang the key and the footer from their middle: centred
    _place_after(g, "bottom", [f"c_{c}" for c in _sinks(roles, links)], [middle])
    if footer:
        g.node("footer", footer, shape="plaintext")
        _place_after(g, "below_key", [middle], ["footer"])
    return g.source


def _cmocs_of(theory: Theory, cid: str, cmoc_ids: Iterable[str]) -> list[str]:
    return [m for m in cmoc_ids if any(cid in theory.cmocs[m].concepts(r) for r in ROLES)]


def overview_dot(theory: Theory, *, large: int = LARGE_THEORY, href: Href | None = None) -> str:
    """The whole theory: concepts by role, causal arrows labelled by CMOC, areas as boxes.

    Above ``large`` CMOCs the figure would take Graphviz minutes and be
    unreadable anyway; it becomes :func:`summary_dot` instead (see :func:`figure`).
    """
    if len(theory.cmocs) > large:
        return summary_dot(theory, list(theory.cmocs), "Programme theory: summary", href=href)
    n = len(theory.cmocs)
    return _concept_graph(theory, "overview", list(theory.cmocs),
                          f"Programme theory: {_plural(n, 'CMOC')} in "
                          f"{_plural(len(theory.areas), 'area')}", href=href)


def area_dot(theory: Theory, area_id: str, *, large: int = LARGE_THEORY,
             href: Href | None = None) -> str:
    """One area: its CMOCs' concepts and arrows, with each CMOC's statement below."""
    area = theory.areas[area_id]
    mids = sorted(m for m, c in theory.cmocs.items() if c.area == area_id)
    heading = f"{area.label} ({_plural(len(mids), 'CMOC')})"
    if len(mids) > large:
        return summary_dot(theory, mids, heading, href=href)
    counts = evidence_counts(theory)
    statements = [(m, f"{theory.cmocs[m].statement} ({_plural(counts[m][0], 'supporting quote')}"
                      + (f", {counts[m][1]} refuting" if counts[m][1] else "") + ")")
                  for m in mids]
    return _concept_graph(theory, f"area-{area_id}", mids, heading, note=area.description,
                          boxes=False, href=href,
                          footer=_table(statements, "CMOCs", 90,
                                        {m: _cell_target(theory, href, "cmoc", m) for m in mids}))


def summary_dot(theory: Theory, cmoc_ids: Sequence[str], heading: str, *,
                href: Href | None = None) -> str:
    """A large theory in brief: each area one box, arrows where one area's outcomes
    (or mechanisms) are another's contexts, and a table of the most used concepts.

    An arrow is labelled with the number of concepts linking the two areas and
    is wider the more there are; only the strongest ``2 x areas`` arrows are drawn.
    """
    n_cmocs: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    made: dict[str, set[str]] = defaultdict(set)  # concept -> areas where it is an outcome or mechanism
    used: dict[str, set[str]] = defaultdict(set)  # concept -> areas where it is a context
    for mid in cmoc_ids:
        m = theory.cmocs[mid]
        n_cmocs[m.area] += 1
        for cid in {c for r in ROLES for c in m.concepts(r)}:
            uses[cid] += 1
        for cid in m.context:
            used[cid].add(m.area)
        for cid in m.mechanism + m.outcome:
            made[cid].add(m.area)
    links: Counter[tuple[str, str]] = Counter(
        (a, b) for cid in made for a in made[cid] for b in used.get(cid, ()) if a != b)
    shown = sorted(sorted(links, key=lambda k: (-links[k], k))[:2 * len(n_cmocs)])
    roles = _roles(theory, cmoc_ids)
    areas_of = _concept_areas(theory, cmoc_ids)
    hubs = sorted(uses, key=lambda c: (-uses[c], c))[:SUMMARY_HUBS]
    note = (f"Summary of {_plural(len(cmoc_ids), 'CMOC')} and {_plural(len(uses), 'concept')}. "
            f"Each box is an area; an arrow from one to another gives how many concepts are "
            f"outcomes or mechanisms there and contexts here (the {len(shown)} strongest of "
            f"{len(links)} links). Draw area:ID views for detail.")
    g = _digraph("summary", _heading(theory, heading, note))
    for area in sorted(n_cmocs):
        label = theory.areas[area].label if area in theory.areas else area
        g.node(f"a_{area}", _html(_font(label_text(label, 24), bold=True) + "<BR/>"
                                  + label_text(_plural(n_cmocs[area], "CMOC"))),
               shape="box", style="rounded,filled", fillcolor="#F7F7F7",
               **_target(theory, href, "area", area))
    top = max(links.values(), default=1)
    for a, b in shown:
        g.edge(f"a_{a}", f"a_{b}", xlabel=_html(label_text(links[a, b])),
               penwidth=f"{0.5 + 4.5 * links[a, b] / top:.2f}", color=GREY)
    rows = [(f"{uses[c]} CMOCs", f"{theory.concepts[c].label if c in theory.concepts else c} "
             f"({' + '.join(r for r in ROLES if r in roles[c])}; {_plural(len(areas_of[c]), 'area')})")
            for c in hubs]
    g.node("hubs", _table(rows, f"The {len(hubs)} concepts most CMOCs use", 70), shape="plaintext")
    _place_after(g, "bottom", [f"a_{a}" for a in sorted(n_cmocs)], ["hubs"])
    return g.source


# --- one CMOC as a card ---------------------------------------------------------------

def cmoc_dot(theory: Theory, cmoc_id: str, *, href: Href | None = None) -> str:
    """One configuration as a card: context above mechanism above outcome, each row
    named at its left, under the published statement and its evidence.

    The parts a CMOC has of the optional ones get rows of their own in the order
    of :data:`ptgraph.model.ROLES`: intervention above context, the resource
    between context and reasoning, the actor above the reasoning that is theirs;
    the arrows are those of :func:`part_edges`.
    """
    m = theory.cmocs[cmoc_id]
    area = theory.areas.get(m.area)
    support, refute = evidence_counts(theory).get(cmoc_id, (0, 0))
    quotes = [e for e in theory.evidence.values() if cmoc_id in e.supports]
    who = sorted({e.participant for e in quotes if e.participant})
    sites = sorted({e.site for e in quotes if e.site})
    evidence = f"Evidence: {_plural(support, 'supporting quote')}"
    if who:
        evidence += f" from {_plural(len(who), 'participant')} ({', '.join(who)})"
    if sites:
        evidence += f" at {_plural(len(sites), 'site')}"
    cited = sorted({e.source_ref for e in quotes if e.source_ref in theory.sources})
    if cited:  # a theory with sources: (issue 15)
        evidence += f" in {_plural(len(cited), 'source')} ({', '.join(cited)})"
    evidence += f"; {refute} refuting." if refute else "."
    extra = [f"Status: {m.status}."] if m.status != "new" else []
    if m.refines:
        extra.append(f"Refines {', '.join(m.refines)}.")
    # every line of the heading to the left (an area label may hold line breaks)
    label = (_font(label_text(f"{cmoc_id} · {area.label if area else m.area}", align="LEFT",
                              end=False), 14, bold=True)
             + '<BR ALIGN="LEFT"/>' + _font(label_text(f"“{m.statement}”", 52, "LEFT"), 11, italic=True)
             + _font(label_text(" ".join([evidence] + extra), 60, "LEFT"), 10))
    if m.confidence is not None:  # the id outlined as in the area figures, and the key in words
        c = m.confidence
        words = f"Confidence: {c.level}." + (f" {c.rationale}" if c.rationale else "")
        words += "".join(f" {name.capitalize().replace('-', ' ')}: {text}"
                         for name, text in c.components)
        outline = ", ".join(f"{'heavy' if b == '2' else st or 'solid'} {lvl}"
                            for lvl, (b, st) in CONFIDENCE_OUTLINE.items())
        text = (label + _font(label_text(words, 60, "LEFT"), 10)
                + _font(label_text(f"Key: the outline of {cmoc_id} above shows its confidence "
                                   f"({outline}).", 60, "LEFT"), 9, GREY))
        label = (f'<TABLE BORDER="0" CELLSPACING="4" CELLPADDING="0">'
                 # fixed size: a nested table would stretch to the width of the card
                 f'<TR><TD ALIGN="LEFT"><TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0" '
                 f'ALIGN="LEFT" FIXEDSIZE="TRUE" WIDTH="{14 + 10 * len(cmoc_id)}" HEIGHT="22"><TR>'
                 f'{_outlined(cmoc_id, c.level)}</TR></TABLE></TD></TR>'
                 f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{text}</TD></TR></TABLE>')
    g = _digraph(f"cmoc-{cmoc_id}", _html(label), ranksep="0.3", nodesep="0.2")
    rows = card_rows(m)
    heads = [f"h_{role}" for role, _ in rows]
    for (role, name), head in zip(rows, heads):
        with g.subgraph() as row:
            row.attr(rank="same")
            row.node(head, _html(_font(label_text(name, 12), 10, GREY, bold=True)),
                     shape="plaintext", width="1")
            ids = [head] + [f"{role[0]}_{cid}" for cid in m.concepts(role)]
            for cid, nid in zip(m.concepts(role), ids[1:]):
                _concept_node(row, theory, cid, [role], node_id=nid, width=20, href=href)
            for left, right in zip(ids, ids[1:]):  # the row's name first, then its concepts
                row.edge(left, right, style="invis")
    for upper, lower in zip(heads, heads[1:]):
        g.edge(upper, lower, style="invis", weight="10")
    style = _evidence_style(support)
    for a_role, a, b_role, b in part_edges(m):
        g.edge(f"{a_role[0]}_{a}", f"{b_role[0]}_{b}", **style)
    return g.source


#: A card's row names where a CMOC splits its mechanism: (role, has a resource) -> name.
CARD_ROW_NAMES = {("resource", True): "Mechanism (resource)",
              ("mechanism", True): "Mechanism (reasoning)"}


def card_rows(m: CMOC) -> list[tuple[str, str]]:
    """The rows of CMOC ``m``'s card from top to bottom, as ``(role, name drawn at its left)``:
    the parts it has, in the order of :data:`ptgraph.model.ROLES` (context, mechanism and
    outcome always).

    >>> card_rows(CMOC("X", "a", "...", ("c", "d"), ("m",), ("o",), context_any=True,
    ...                resource=("r",), actor=("p",)))  # doctest: +NORMALIZE_WHITESPACE
    [('context', 'Context (any one of)'), ('resource', 'Mechanism (resource)'),
     ('actor', 'Actor'), ('mechanism', 'Mechanism (reasoning)'), ('outcome', 'Outcome')]
    """
    return [(role, "Context (any one of)" if role == "context" and m.context_any
             else CARD_ROW_NAMES.get((role, bool(m.resource)), role.capitalize()))
            for role in ROLES if role in REQUIRED_ROLES or m.concepts(role)]


# --- pathways ---------------------------------------------------------------------------

def _letter_label(pathway_id: str, label: str) -> str:
    """``(a) Label`` for the one-letter ids of a paper's figure panels, else ``id: Label``."""
    return f"({pathway_id}) {label}" if len(pathway_id) <= 2 else f"{pathway_id}: {label}"


def _pathway_nodes(g: graphviz.Digraph, theory: Theory, pathway_id: str, prefix: str,
                   href: Href | None = None) -> list[str]:
    """The steps of a pathway left to right; each arrow names the CMOCs that make that step."""
    roles = theory.roles()
    steps = theory.pathways[pathway_id].steps
    ids = [f"{prefix}{i:02d}" for i in range(len(steps))]
    for nid, step in zip(ids, steps):
        if step in theory.cmocs:
            m = theory.cmocs[step]
            g.node(nid, _html(_font(label_text(step), bold=True) + "<BR/>" + label_text(m.statement, 28)),
                   shape="note", style="filled", fillcolor="white", fontsize="9",
                   **_target(theory, href, "cmoc", step))
        else:
            _concept_node(g, theory, step, roles.get(step, ()), node_id=nid, href=href)
    for (a, sa), (b, sb) in zip(zip(ids, steps), list(zip(ids, steps))[1:]):
        making = step_makers(theory, sa, sb)
        if making:
            either = _alternative_of(theory, sa, making)
            text = (_linked_list(theory, making, either, href) if href is not None
                    else label_text(_cmoc_list(making, either)))
            g.edge(a, b, label=_html(text), penwidth="1.5", arrowsize="0.8")
        else:  # the pathway's own claim: drawn apart from what a configuration asserts
            g.edge(a, b, penwidth="1.5", arrowsize="0.8", style="dashed", color=MUTED)
    return ids


#: What a CMOC produces: a step out of it, or to the next CMOC, leaves from one of these
#: (not its resources: the programme introduces those).
_PRODUCED = ("mechanism", "outcome")


def _alternative_of(theory: Theory, step: str, making: Iterable[str]) -> list[str]:
    """Those of ``making`` for which ``step`` is one of several alternative contexts."""
    return [m for m in making if theory.cmocs[m].context_any and step in theory.cmocs[m].context]


def _pathway_alternatives(theory: Theory, pathway_ids: Iterable[str]) -> bool:
    """Does a step of these pathways start from one of a CMOC's alternative contexts?"""
    return any(_alternative_of(theory, a, step_makers(theory, a, b))
               for pid in pathway_ids
               for a, b in zip(theory.pathways[pid].steps, theory.pathways[pid].steps[1:]))


def step_makers(theory: Theory, a: str, b: str) -> list[str]:
    """The CMOCs that make the pathway step ``a -> b`` (sorted ids; [] when none does).

    A concept step is made by a CMOC that claims it: ``a`` comes before ``b``
    in its causal order (context, resource, mechanism, outcome), as
    :func:`ptgraph.model.causal_steps` says. A step into a CMOC is made by it
    when ``a`` is one of its contexts; a step out of a CMOC, when ``b`` is its
    mechanism or outcome; a step from CMOC ``a`` to CMOC ``b``, by both when
    an outcome or mechanism of ``a`` is a context of ``b`` (the chain link of
    ``ptgraph query chains``).
    """
    cmocs = theory.cmocs
    if a in cmocs and b in cmocs:
        produced = {c for r in _PRODUCED for c in cmocs[a].concepts(r)}
        return sorted({a, b}) if produced & set(cmocs[b].context) else []
    if b in cmocs:
        return [b] if a in cmocs[b].context else []
    if a in cmocs:
        return [a] if any(b in cmocs[a].concepts(r) for r in _PRODUCED) else []
    return sorted(mid for mid, m in cmocs.items()
                  if (a, b) in causal_steps([m.concepts(r) for r in CAUSAL_ROLES]))


def _column(g: graphviz.Digraph, nodes: Sequence[str]) -> None:
    """Put ``nodes`` in one rank: in a left-to-right figure, one column.

    Their order in it is the order they were declared in, the first at the
    bottom; declaring panels last to first stacks them (a), (b), (c) down the page.
    """
    with g.subgraph() as col:
        col.attr(rank="same")
        for n in nodes:
            col.node(n)


STEP_ARROWS = "Arrow: the next step, labelled with the CMOCs that make it"
UNMADE_STEP_KEY = "no CMOC makes it: the pathway's own claim, to test"


def pathway_dot(theory: Theory, pathway_id: str, *, href: Href | None = None) -> str:
    """One pathway as a left-to-right sequence of its steps, with its description."""
    p = theory.pathways[pathway_id]
    g = _digraph(f"pathway-{pathway_id}", _heading(theory, _letter_label(pathway_id, p.label),
                                                   p.description, width=100),
                 rankdir="LR", ranksep="0.35")
    key = _legend(g, evidence=False, steps=True, arrows=STEP_ARROWS, across=True,
                  alternatives=_pathway_alternatives(theory, [pathway_id]), roles=key_roles(theory))
    ids = _pathway_nodes(g, theory, pathway_id, "p_", href)
    _column(g, key[:1] + ids[:1])
    return g.source


def pathways_dot(theory: Theory, *, href: Href | None = None) -> str:
    """Every pathway as one panel of a figure, (a), (b), (c) top to bottom."""
    g = _digraph("pathways", _heading(theory, "Pathways", width=100), rankdir="LR",
                 ranksep="0.35", nodesep="0.3")
    key = _legend(g, evidence=False, steps=True, arrows=STEP_ARROWS, across=True,
                  alternatives=_pathway_alternatives(theory, theory.pathways), roles=key_roles(theory))
    firsts = []
    for pid, p in reversed(theory.pathways.items()):  # see _column
        with g.subgraph(name=f"cluster_p_{pid}") as panel:
            panel.attr(label=_html(_font(label_text(_letter_label(pid, p.label), 90, "LEFT"), 12, bold=True)),
                       style="rounded", color=MUTED, labeljust="l", margin="10")
            firsts.extend(_pathway_nodes(panel, theory, pid, f"p_{pid}_", href)[:1])
    _column(g, key[:1] + firsts)
    return g.source


# --- query views: chains, conflicts and contrasts ----------------------------------------------

def chains_dot(theory: Theory, rows: Sequence[Mapping], heading: str = "Chains of CMOCs",
               notes: Sequence[str] = (), *, href: Href | None = None) -> str:
    """Rows of the ``chains`` query, one panel each, left to right: a CMOC, the concept
    linking it to the next, the next CMOC, and so on."""
    counts = evidence_counts(theory)
    roles = theory.roles()
    note = " ".join(list(notes) + ([] if rows else ["No chains found."])) or None
    g = _digraph("chains", _heading(theory, heading, note), rankdir="LR", ranksep="0.3",
                 nodesep="0.25")
    key = _legend(g, arrows="Arrow from a CMOC: its outcome or mechanism, a context of the next",
                  across=True, roles=key_roles(theory))
    firsts = []
    for i, row in reversed(list(enumerate(rows, start=1))):  # see _column
        mids, links = list(row["cmocs"]), list(row["concepts"])
        title = f"Chain {i}: " + " → ".join(mids)
        if row.get("cycle"):
            title += f" (links back to {row['cycle']})"
        if row.get("truncated"):
            title += " (cut at max_length)"
        with g.subgraph(name=f"cluster_chain_{i}") as panel:
            panel.attr(label=_html(_font(label_text(title), 11, bold=True)), style="rounded",
                       color=MUTED, labeljust="l")
            ids = []
            for j, mid in enumerate(mids):
                m = theory.cmocs[mid]
                area = theory.areas.get(m.area)
                ids.append(f"ch{i}_m{j}")
                panel.node(ids[-1], _html(_font(label_text(mid), 11, bold=True) + "<BR/>"
                                          + _font(label_text(area.label if area else m.area, 18), 9)
                                          + "<BR/>" + _font(label_text(_plural(counts[mid][0], "quote")),
                                                            9, GREY)),
                           shape="box", style="rounded,filled", fillcolor="white",
                           **_target(theory, href, "cmoc", mid))
                if j < len(links):
                    ids.append(f"ch{i}_c{j}")
                    _concept_node(panel, theory, links[j], roles.get(links[j], ()), node_id=ids[-1],
                                  href=href)
            for k, (a, b) in enumerate(zip(ids, ids[1:])):
                # CMOC -> concept arrows carry that CMOC's evidence; concept -> CMOC are plain.
                panel.edge(a, b, **(_evidence_style(counts[mids[k // 2]][0]) if k % 2 == 0 else {}))
            firsts.append(ids[0])
    _column(g, key[:1] + firsts)
    return g.source


def conflicts_dot(theory: Theory, rows: Sequence[Mapping], notes: Sequence[str] = (), *,
                  large: int = LARGE_THEORY, href: Href | None = None) -> str:
    """The overview with the CMOCs of each ``conflicts`` finding in vermillion, numbered,
    and the findings' reasons listed below. Above ``large`` CMOCs only the CMOCs
    in conflict are drawn."""
    highlight: dict[str, list[int]] = defaultdict(list)
    hot: set[str] = set()
    for i, row in enumerate(rows, start=1):
        for mid in row["cmocs"]:
            highlight[mid].append(i)
        hot.update(row["concepts"])
    reasons = [(f"[{i}] {row['level']}", f"{row['kind']}: {row['reason']}")
               for i, row in enumerate(rows, start=1)]
    note = " ".join(notes) or None
    mids = list(theory.cmocs)
    if len(mids) > large:
        mids = sorted(highlight)
        note = (note + " " if note else "") + (f"Only the {len(mids)} CMOCs in conflict are drawn "
                                               f"(the theory has more than {large}).")
    footer = _table(reasons, "Conflicts", 100) if reasons else _table(
        [("", "No conflicts found.")], "Conflicts")
    return _concept_graph(theory, "conflicts", mids,
                          f"Conflicts: {_plural(len(rows), 'finding')}", note=note,
                          highlight=highlight, hot_concepts=hot, footer=footer, href=href)


PATTERN_WORDS_MECHANISM = {
    ("mechanism", "opposing"): "opposing outcomes in different contexts",
    ("mechanism", "context-dependent"): "different outcomes in different contexts",
    ("mechanism", "demi-regularity"): "the same outcome in different contexts",
}
#: What each ``contrasts`` pattern means, under the panel's title (by resource and by
#: intervention as by mechanism: one part across contexts).
PATTERN_WORDS = {
    **PATTERN_WORDS_MECHANISM,
    ("context", "opposing"): "different mechanisms, opposing outcomes",
    ("context", "mechanism-dependent"): "different mechanisms, different outcomes",
    ("context", "equifinality"): "different mechanisms, the same outcome",
    **{(by, pattern): words for by in ("resource", "intervention")
       for (role, pattern), words in list(PATTERN_WORDS_MECHANISM.items())},
}
OPPOSING_KEY = "outcomes that oppose each other (heavy outline)"
#: The key's line for an arrow from a context that is one of a CMOC's alternatives.
ALTERNATIVES_KEY = "any one of the CMOC's contexts will do"


def contrasts_heading(by: str) -> str:
    """The title of a contrasts figure grouped ``by`` a role.

    >>> contrasts_heading("resource")
    'Contrasts: one resource across contexts'
    """
    return ("Contrasts by context: the mechanisms one context triggers" if by == "context"
            else f"Contrasts: one {by} across contexts")


def contrasts_dot(theory: Theory, rows: Sequence[Mapping], by: str = "mechanism",
                  heading: str | None = None, notes: Sequence[str] = (),
                  why: str | None = None, *, href: Href | None = None) -> str:
    """Rows of the ``contrasts`` query, one panel each, top to bottom.

    A panel reads left to right: the contexts, the shared mechanism, the
    outcomes (with ``by="context"``: the shared context, the mechanisms, the
    outcomes). Each arrow is a claim of the CMOCs that label it, as wide as
    their supporting quotes; outcomes that oppose each other have a heavy
    vermillion outline and a dashed vermillion line between them. What a CMOC
    also names in the shared role (another mechanism, another context) is said
    under the panel's title, not drawn. With no rows, ``why`` says why.
    """
    counts = evidence_counts(theory)
    opposes = {frozenset((c.id, o)) for c in theory.concepts.values() for o in c.opposes}
    heading = heading or contrasts_heading(by)
    empty = [] if rows else [f"No contrasts found: {why}." if why else "No contrasts found."]
    note = " ".join(empty + list(notes)) or None
    # ordering: a node's arrows leave it in the order drawn (the CMOCs' order), so the
    # outcomes line up with the contexts they follow
    g = _digraph("contrasts", _heading(theory, heading, note), rankdir="LR", ranksep="0.5",
                 nodesep="0.2", ordering="out")
    any_opposing = any_alternatives = False
    firsts = []
    for i, row in reversed(list(enumerate(rows, start=1))):  # see _column
        k = row["concept"]
        mids = list(row["cmocs"])
        cmocs = [theory.cmocs[m] for m in mids]
        name = theory.concepts[k].label if k in theory.concepts else k
        also = []
        for m in cmocs:
            more = [c for c in m.concepts(by) if c != k]
            if more:
                from .queries.contrasts import ALSO_WORDS  # not at the top: see cli.py

                word = ALSO_WORDS.get(by, "also given")
                also.append(f"{m.id} {word} " + " + ".join(
                    f"‘{theory.concepts[c].label if c in theory.concepts else c}’" for c in more))
        sub = PATTERN_WORDS.get((by, row["pattern"]), "") + (f"; {'; '.join(also)}" if also else "")
        title = (_font(label_text(f"{i}. {name}"), 12, bold=True)
                 + _font(label_text(f"  {row['pattern']}"), 11, HIGHLIGHT if row["pattern"] == "opposing"
                         else INK, italic=True)
                 + '<BR ALIGN="LEFT"/>' + _font(label_text(sub, 90, "LEFT"), 10, GREY))
        # the concepts of each column, in the order the CMOCs name them; the shared one alone
        columns: dict[str, list[str]] = {role: [] for role in ROLES}
        for m in cmocs:
            for role in ROLES:
                for c in ([k] if role == by else sorted(m.concepts(role))):
                    if c not in columns[role]:
                        columns[role].append(c)
        links: dict[Link, list[str]] = defaultdict(list)
        for m in cmocs:
            # sorted, as the columns; what a CMOC also names in the shared role is not drawn
            for a_role, a, b_role, b in sorted(part_edges(m), key=_edge_order):
                if (a_role != by or a == k) and (b_role != by or b == k):
                    links[a_role[0] + ":" + a, b_role[0] + ":" + b].append(m.id)
        outcomes = columns["outcome"]
        clash = sorted((x, y) for j, x in enumerate(outcomes) for y in outcomes[j + 1:]
                       if frozenset((x, y)) in opposes)
        hot = {c for pair in clash for c in pair}
        any_opposing = any_opposing or bool(clash)

        def node_id(role: str, cid: str) -> str:
            return f"k{i}_{role[0]}_{cid}"

        with g.subgraph(name=f"cluster_contrast_{i}") as panel:
            panel.attr(label=_html(title), style="rounded", color=MUTED, labeljust="l", margin="10")
            for role in ROLES:
                for cid in columns[role]:
                    _concept_node(panel, theory, cid, [role], node_id=node_id(role, cid), width=22,
                                  highlight=cid in hot and role == "outcome", href=href)
                    if cid == k and role == by:
                        panel.node(node_id(role, cid), penwidth="2")
            # Graphviz stacks a node's arrows bottom to top in the order drawn, and the
            # first column top to bottom: drawn last to first, the rows read as the CMOCs
            for (a, b), ms in reversed(links.items()):
                support = sum(counts.get(m, (0, 0))[0] for m in ms)
                either = _alternative_of(theory, a[2:], ms) if a[0] == "c" else []
                any_alternatives = any_alternatives or bool(either)
                text = (_linked_list(theory, sorted(ms), either, href) if href is not None
                        else label_text(_cmoc_list(sorted(ms), either)))
                panel.edge(node_id(_ROLE_INITIAL[a[0]], a[2:]), node_id(_ROLE_INITIAL[b[0]], b[2:]),
                           label=_html(text),
                           **_evidence_style(support))
            for x, y in clash:
                panel.edge(node_id("outcome", x), node_id("outcome", y), dir="none",
                           style="dashed", color=HIGHLIGHT, penwidth="2", constraint="false")
            first = next(role for role in ROLES if columns[role])  # the left-most column
            firsts.append(node_id(first, columns[first][0]))
    key = _legend(g, several=False, opposing=any_opposing, alternatives=any_alternatives,
                  across=True, stacked=True, roles=key_roles(theory))
    _column(g, key[:1] + firsts)
    return g.source


_ROLE_INITIAL = {role[0]: role for role in ROLES}


def _edge_order(edge: tuple[str, str, str, str]) -> tuple:
    """Arrows in column order, left to right, then by tail and head id."""
    a_role, a, b_role, b = edge
    return (ROLES.index(a_role), ROLES.index(b_role), a, b)


# --- views by name, and writing files --------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    """One view, ready to write: its file stem, its DOT source, and notes for people."""

    name: str
    source: str
    notes: tuple[str, ...] = ()


def standard_views(theory: Theory) -> list[str]:
    """What ``ptgraph render`` draws by default: the overview, every area, every CMOC,
    every pathway, and all pathways as one figure."""
    return (["overview"] + [f"area:{a}" for a in theory.areas] + [f"cmoc:{m}" for m in theory.cmocs]
            + [f"pathway:{p}" for p in theory.pathways] + (["pathways"] if theory.pathways else []))


def _choices(theory: Theory) -> dict[str, dict]:
    return {"area": theory.areas, "cmoc": theory.cmocs, "pathway": theory.pathways}


def _valid_views() -> str:
    return ", ".join(list(PLAIN_VIEWS) + [f"{k}:ID" for k in ID_VIEWS])


def figure(theory: Theory, view: str, params: Mapping[str, str] | None = None, *,
           href: Href | None = None) -> Figure:
    """The figure for one view name.

    Parameters
    ----------
    theory : Theory
        A theory that passes ``check``.
    view : str
        ``overview``, ``area:ID``, ``cmoc:ID``, ``pathway:ID``, ``pathways``,
        ``chains``, ``conflicts`` or ``contrasts``.
    params : dict of str to str, optional
        Parameters of the query behind ``chains``, ``conflicts`` and
        ``contrasts``, as text (``ptgraph query --param`` takes the same).
    href : callable, optional
        ``href(kind, id)``: the address of the page of a concept, CMOC or area
        (:data:`Href`); every one drawn links to it, with a tooltip. Without
        it, the figure has no links and its DOT is as ``ptgraph render`` writes it.

    Returns
    -------
    Figure
        Its file name stem (``cmoc-EN1``), DOT source and notes.

    Raises
    ------
    UsageError
        For an unknown view or id (naming the valid ones) or a bad parameter.

    Examples
    --------
    >>> from ptgraph.model import Area, CMOC, Concept
    >>> t = Theory("t", "Tiny", areas={"a": Area("a", "A")},
    ...            concepts={i: Concept(i, i.upper()) for i in "cmo"},
    ...            cmocs={"X": CMOC("X", "a", "c -> m -> o", ("c",), ("m",), ("o",))})
    >>> fig = figure(t, "cmoc:X")
    >>> fig.name, "c_c -> m_m" in fig.source
    ('cmoc-X', True)
    >>> figure(t, "cmoc:Y")
    Traceback (most recent call last):
    ptgraph.errors.UsageError: no cmoc 'Y'; the cmocs: X
    """
    kind, sep, ident = view.partition(":")
    if params and kind not in QUERY_VIEWS:
        raise UsageError(f"view {view} takes no --param (only chains, conflicts and contrasts do)")
    if not sep and kind in PLAIN_VIEWS:
        if kind == "overview":
            big = len(theory.cmocs) > LARGE_THEORY
            notes = ((f"overview: {len(theory.cmocs)} CMOCs is more than {LARGE_THEORY}; drawing "
                      "a summary (areas and the most used concepts); see area:ID views for detail",)
                     if big else ())
            return Figure("overview", overview_dot(theory, href=href), notes=notes)
        if kind == "pathways":
            return Figure("pathways", pathways_dot(theory, href=href))
        return _query_figure(theory, kind, params or {}, href)
    if sep and kind in ID_VIEWS:
        choices = _choices(theory)[kind]
        if ident not in choices:
            listed = ", ".join(list(choices)[:30]) + (", ..." if len(choices) > 30 else "")
            raise UsageError(f"no {kind} '{ident}'{nearest(ident, choices)}; "
                             f"the {kind}s: {listed or 'none'}")
        if kind == "area":
            n = sum(1 for m in theory.cmocs.values() if m.area == ident)
            notes = ((f"area:{ident}: {n} CMOCs is more than {LARGE_THEORY}; drawing a summary",)
                     if n > LARGE_THEORY else ())
            return Figure(f"area-{ident}", area_dot(theory, ident, href=href), notes=notes)
        if kind == "cmoc":
            return Figure(f"cmoc-{ident}", cmoc_dot(theory, ident, href=href))
        return Figure(f"pathway-{ident}", pathway_dot(theory, ident, href=href))
    hint = nearest(kind, PLAIN_VIEWS + ID_VIEWS)
    if kind in ID_VIEWS:
        hint = f" ({kind} needs an id: {kind}:ID)"
    elif kind in PLAIN_VIEWS:
        hint = f" ({kind} takes no id)"
    raise UsageError(f"no view '{view}'{hint}; the views: {_valid_views()}")


def _query_figure(theory: Theory, kind: str, params: Mapping[str, str],
                  href: Href | None = None) -> Figure:
    from .graph import build_graph
    from .queries import run_query

    G = build_graph(theory)
    rows = run_query(kind, G, dict(params))
    notes = tuple(f"{kind}: {n}" for n in rows.notes)
    if kind == "chains":
        shown = ", ".join(f"{k}={v}" for k, v in sorted(params.items()))
        return Figure("chains", chains_dot(theory, rows, "Chains of CMOCs" + (f" ({shown})" if shown else ""),
                                           rows.notes, href=href), notes=notes)
    if kind == "contrasts":
        from .queries import QUERIES

        query = QUERIES["contrasts"]
        parsed = query.parse(dict(params))
        shown = ", ".join(f"{k}={v}" for k, v in sorted(params.items()) if k != "by")
        heading = contrasts_heading(parsed["by"])
        # an empty figure says why, in the words of the command line
        why = None if rows else query.explain(G, **query.kwargs(parsed)).removeprefix(
            "contrasts: none: ")
        return Figure("contrasts", contrasts_dot(theory, rows, parsed["by"], heading
                                                 + (f" ({shown})" if shown else ""),
                                                 rows.notes, why, href=href), notes=notes)
    big = len(theory.cmocs) > LARGE_THEORY
    notes += ((f"conflicts: more than {LARGE_THEORY} CMOCs; drawing only those in conflict",)
              if big else ())
    return Figure("conflicts", conflicts_dot(theory, rows, rows.notes, href=href), notes=notes)


@dataclass
class Rendered:
    """What :func:`render` did: the files written, in order, and notes for people."""

    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def dot_program() -> str:
    """Path of the Graphviz ``dot`` program, or :class:`GraphvizError` saying how to install it."""
    found = shutil.which("dot")
    if not found:
        raise GraphvizError("the Graphviz program 'dot' is not on PATH: install Graphviz "
                            "(apt-get install graphviz / brew install graphviz), or use --format dot")
    return found


def run_graphviz(source: str, fmt: str) -> bytes:
    """Lay out and draw DOT ``source`` as ``fmt`` (svg, png, pdf) with Graphviz ``dot``."""
    args = [dot_program(), f"-T{fmt}"]
    if fmt == "png":
        args += [f"-Gdpi={PNG_DPI}", f"-Gsize={PNG_MAX_INCHES},{PNG_MAX_INCHES}"]
    try:
        done = subprocess.run(args, input=source.encode("utf-8"), capture_output=True,
                              timeout=DOT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise GraphvizError(f"Graphviz took more than {DOT_TIMEOUT} s; draw a smaller view "
                            "(area:ID) or --format dot") from None
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GraphvizError(f"Graphviz failed (dot -T{fmt}): "
                            f"{message[0] if message else f'exit {done.returncode}'}")
    return done.stdout


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a
    rename, so ``path`` is either the old file or the whole new one, never half.

    The folder is made if missing. Raises :class:`PtgraphError` (exit 2) when the
    file cannot be written: no permission, a full disk, a file where a folder
    should be.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_through_rename(path, data)
    except OSError as exc:
        blocking = next((p for p in path.parents if p.is_file()), None)
        why = f"{blocking} is a file, not a folder" if blocking else exc.strerror or exc
        raise PtgraphError(f"cannot write {path}: {why}") from None


def _write_through_rename(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes the file private; a figure is not
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def render(theory: Theory, views: Sequence[str] | None = None, outdir: str | Path = "diagrams",
           formats: Sequence[str] = DEFAULT_FORMATS, params: Mapping[str, str] | None = None
           ) -> Rendered:
    """Write each view in each format to ``outdir`` as ``<name>.<format>``.

    Parameters
    ----------
    theory : Theory
        A theory that passes ``check`` (see :func:`ptgraph.check.load_theory`).
    views : list of str, optional
        View names as :func:`figure` takes them; default :func:`standard_views`.
    outdir : str or Path
        Folder for the files, made if missing.
    formats : list of str
        Any of :data:`FORMATS`; ``dot`` is written without running Graphviz.
    params : dict of str to str, optional
        Parameters of the query behind the ``chains``, ``conflicts`` and ``contrasts`` views.

    Returns
    -------
    Rendered
        The files written, in view order then format order, and notes (such
        as a large theory's overview being summarised).

    Every view is built (so every name checked) and Graphviz is looked for
    before anything is written: a bad view name or a missing ``dot`` leaves
    ``outdir`` untouched. Each file is written atomically. Graphviz runs for
    several figures at once, one per processor.
    """
    check_formats(formats)
    figures = [figure(theory, v, params) for v in dict.fromkeys(views or standard_views(theory))]
    return write_figures(figures, outdir, formats)


def check_formats(formats: Sequence[str]) -> None:
    """:class:`UsageError` for an unknown format."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(f"no format '{unknown[0]}'; the formats: {', '.join(FORMATS)}")


def write_figures(figures: Sequence[Figure], outdir: str | Path, formats: Sequence[str]) -> Rendered:
    """Write built figures as ``OUTDIR/<name>.<format>``, each file atomically.

    Graphviz is looked for before anything is written, so a missing ``dot``
    leaves ``outdir`` untouched; it runs for several figures at once, one per
    processor.
    """
    check_formats(formats)
    if any(f != "dot" for f in formats):
        dot_program()
    out = Path(outdir)
    jobs = [(fig, fmt) for fig in figures for fmt in formats]

    def draw(job: tuple[Figure, str]) -> bytes:
        fig, fmt = job
        return fig.source.encode("utf-8") if fmt == "dot" else run_graphviz(fig.source, fmt)

    done = Rendered(notes=[n for fig in figures for n in fig.notes])
    try:
        out.mkdir(parents=True, exist_ok=True)
        # Graphviz runs in child processes, so threads are enough to use every processor.
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            for (fig, fmt), data in zip(jobs, pool.map(draw, jobs)):
                path = out / f"{fig.name}.{fmt}"
                write_atomic(path, data)
                done.files.append(path)
    except OSError as exc:
        raise PtgraphError(f"cannot write figures to {out}: {exc.strerror or exc}") from None
    return done
