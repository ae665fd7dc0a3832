"""Mermaid flowcharts of a theory, which GitHub draws wherever Markdown is shown.

Building a view and writing it are kept apart. A :class:`View` is concepts and the
arrows between them, each arrow labelled by the CMOCs that draw it; :func:`theory_view`
makes one of a theory (all of it, one area, or some CMOCs), :func:`diff_view` the part
of a theory that changed between two versions, for ``ptgraph diff --format markdown``;
:func:`flowchart` writes any view as Mermaid ``flowchart`` text.

The conventions of the Graphviz figures (:mod:`ptgraph.render`) carry over as far as
Mermaid's shapes allow, shape *and* colour apart (Okabe-Ito): a context is a rectangle
(sky blue), a mechanism a stadium (orange), an outcome a hexagon (bluish green), a
resource a parallelogram (yellow), an intervention a flag (reddish purple), an actor a
trapezoid (blue); a concept with several roles is a white rectangle with its roles
written under its label. Arrows follow each CMOC's causal order (:func:`ptgraph.render.part_edges`).

In a diff view, added concepts and arrows are bold and bluish green, removed ones dotted
and vermillion, changed ones dashed and reddish purple; unchanged ones, kept for context,
are grey. An arrow's label marks each CMOC id ``+`` (now draws it), ``−`` (no longer) or
``~`` (the CMOC changed), as ``ptgraph render --diff`` does.

Every label is written exactly as the researcher wrote it (:func:`label`): Mermaid,
the Markdown it may apply to labels, and the HTML it draws them with see only plain
words, and everything else as Mermaid's entity codes (``#35;``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .errors import UsageError
from .model import ROLES, Theory
from .render import GREY, INK, MUTED, OKABE_ITO, ROLE_COLOUR, ROLE_FILL, part_edges
from .rules.undrawable_text import LINE_BREAK, UNDRAWABLE

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
#: Role -> the opening and closing of its Mermaid node shape (classic syntax, which every
#: Mermaid since 9 reads, GitHub's included).
SHAPES = {
    "context": ("[", "]"),           # rectangle, as the figures' box
    "mechanism": ("([", "])"),       # stadium: Mermaid's nearest to an ellipse
    "outcome": ("{{", "}}"),         # hexagon: its nearest to an octagon
    "resource": ("[/", "/]"),        # parallelogram (the figures' hexagon is taken here)
    "intervention": (">", "]"),      # flag, as the figures' arrow shape
    "actor": ("[/", "\\]"),          # trapezoid, as the figures' house
}
#: Several roles: a plain rectangle, the roles written under the label.
MULTI_SHAPE = ("[", "]")
#: Mark -> node style, arrow (Mermaid's link kind) and arrow style; ``None`` is unchanged.
MARKS = {
    ADDED: ("stroke:{c},stroke-width:3px", "==>", "stroke:{c},stroke-width:3px",
            OKABE_ITO["bluish_green"]),
    REMOVED: ("stroke:{c},stroke-width:3px,stroke-dasharray:2 3,color:" + GREY, "-.->",
              "stroke:{c},stroke-width:2px,stroke-dasharray:2 3", OKABE_ITO["vermillion"]),
    CHANGED: ("stroke:{c},stroke-width:3px,stroke-dasharray:7 3", "-->",
              "stroke:{c},stroke-width:2px,stroke-dasharray:7 3", OKABE_ITO["reddish_purple"]),
    None: ("stroke:{c},stroke-width:1px", "-->", "stroke:{c},stroke-width:1px", MUTED),
}
#: A diff view with more arrows than this is not drawn (a pull-request comment must stay
#: readable); the report says so and points at ``ptgraph render --diff``.
MAX_DIFF_ARROWS = 40
#: ASCII punctuation written as itself: no meaning to Mermaid, Markdown or HTML mid-line.
PLAIN_PUNCTUATION = frozenset(",.'()/?%@-+")
#: Characters written as entity codes although neither ASCII nor spaces: the byte-order
#: mark (JavaScript trims it) and two that Mermaid uses to stand for entity codes while it
#: parses (``ﬂ°°35¶ß``). Mermaid 10 and 11 still read the sequences ``ﬂ°°``, ``ﬂ°`` and
#: ``¶ß`` of the drawn text as stand-ins, so those three (a ligature before a degree sign, a
#: pilcrow before an eszett) are the one text not drawn as written.
RESERVED = frozenset("\ufeff\ufb02\u00b6")
#: Markdown starts a list (``1. x``, ``2) x``, ``- x``, ``+ x``) or draws a rule (``---``) with
#: these at the start of a line.
_LINE_START = re.compile(r"^(\d{1,9})([.)])(?= |$)|^()([-+])")


@dataclass(frozen=True, slots=True)
class Node:
    """A concept in a view: its roles in the theory, and its change in a diff view."""

    id: str
    label: str
    roles: tuple[str, ...]
    mark: str | None = None


@dataclass(frozen=True, slots=True)
class Arrow:
    """An arrow between two concepts, labelled by CMOC ids (with their marks in a diff)."""

    tail: str
    head: str
    cmocs: tuple[str, ...]
    mark: str | None = None


@dataclass(slots=True)
class View:
    """Concepts and arrows to draw; ``marked`` when it shows changes (a diff view)."""

    nodes: list[Node] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    marked: bool = False


# --- text ---------------------------------------------------------------------------------------

def _entity(char: str) -> str:
    return f"#{ord(char)};"


def _line(text: str) -> str:
    out = []
    for i, char in enumerate(text):
        code = ord(char)
        if char == " ":
            # HTML folds a run of spaces into one and trims a line's ends
            inner = 0 < i < len(text) - 1 and text[i - 1] != " "
            out.append(" " if inner else "#160;")
        elif (code < 128 and char.isalnum()) or char in PLAIN_PUNCTUATION:
            out.append(char)
        elif code < 128 or char in RESERVED or unicodedata.category(char) == "Zs":
            # punctuation, DEL, Mermaid's own stand-ins, and spaces JavaScript would trim
            out.append(_entity(char))
        else:
            out.append(char)
    line = "".join(out)
    m = _LINE_START.match(line)
    if m:  # "1. x", "- x", "+ x" would be a Markdown list
        digits, sign = (m.group(1), m.group(2)) if m.group(2) else (m.group(3), m.group(4))
        line = digits + _entity(sign) + line[m.end():]
    return line


def label(text: str) -> str:
    r"""``text`` as the inside of a Mermaid ``"..."`` label, drawn exactly as written.

    Letters, digits, spaces and ``, . ' ( ) / ? % @ -`` stay as they are; every other
    ASCII character (``"``, ``#``, ``&``, ``<``, ``*``, a backtick, ...) becomes an entity
    code, which Mermaid turns into the character only after it has parsed the diagram and
    any Markdown in it. A line break becomes ``<br>``; runs of spaces and spaces at either
    end of a line become no-break spaces, which HTML neither folds nor trims. Characters
    no figure can draw (``check`` refuses them, E109) become U+FFFD, as in the figures.

    >>> label('Feels "heard" & <valued> #1')
    'Feels #34;heard#34; #38; #60;valued#62; #35;1'
    >>> label("1. first\nsecond  line")
    '1#46; first<br>second #160;line'
    """
    text = UNDRAWABLE.sub("\ufffd", text)
    return "<br>".join(_line(part) for part in LINE_BREAK.split(text))


# --- views --------------------------------------------------------------------------------------

def _arrows(theory: Theory, cmoc_ids: Iterable[str]) -> dict[tuple[str, str], set[str]]:
    drawn: dict[tuple[str, str], set[str]] = {}
    for mid in cmoc_ids:
        for _, tail, _, head in part_edges(theory.cmocs[mid]):
            drawn.setdefault((tail, head), set()).add(mid)
    return drawn


def _nodes(theories: Sequence[Theory], ids: Iterable[str],
           marks: dict[str, str] | None = None) -> list[Node]:
    """The concepts ``ids`` as the first of ``theories`` that uses each names it."""
    roles = [t.roles() for t in theories]
    out = []
    for cid in ids:
        t, used = next((t, r[cid]) for t, r in zip(theories, roles) if cid in r)
        concept = t.concepts.get(cid)
        out.append(Node(cid, concept.label if concept else cid,
                        tuple(r for r in ROLES if r in used), (marks or {}).get(cid)))
    return out


def theory_view(theory: Theory, *, area: str | None = None,
                cmocs: Sequence[str] = ()) -> View:
    """The concepts and arrows of a theory's CMOCs: all of them, one area's, or those named.

    Raises
    ------
    UsageError
        An area or CMOC the theory does not have.
    """
    if area is not None and area not in theory.areas:
        raise UsageError(f"no area '{area}' in theory '{theory.id}'; one of {', '.join(theory.areas)}")
    unknown = [m for m in cmocs if m not in theory.cmocs]
    if unknown:
        raise UsageError(f"no CMOC '{unknown[0]}' in theory '{theory.id}'")
    chosen = [m for m, c in theory.cmocs.items()
              if (area is None or c.area == area) and (not cmocs or m in cmocs)]
    drawn = _arrows(theory, chosen)
    ends = dict.fromkeys(c for link in drawn for c in link)
    return View(_nodes([theory], ends),
                [Arrow(t, h, tuple(sorted(ms))) for (t, h), ms in drawn.items()])


def diff_view(old: Theory, new: Theory, diff) -> View:
    """The changed part of a theory: the CMOCs that changed and those that use a concept
    that changed (added, removed, relabelled, given other roles, or merged into), their
    concepts and arrows, marked (see the module docstring).

    Parameters
    ----------
    old, new : Theory
        The two versions.
    diff : ptgraph.diff.TheoryDiff
        Their difference, as :func:`ptgraph.diff.diff_theories` found it.
    """
    from .render_diff import Marks  # render_diff needs ptgraph.diff, which calls this

    marks = Marks(old, new, diff)
    concepts = dict(marks.concepts)
    for r in diff.replacements:  # a concept others were merged into changed too
        concepts.update((cid, CHANGED) for cid in r.new if cid not in concepts)
    shown = set(marks.cmocs)
    for t in (old, new):  # and the CMOCs around a changed concept, for context
        shown |= {mid for mid, m in t.cmocs.items()
                  if any(c in concepts for r in ROLES for c in m.concepts(r))}
    links: dict[tuple[str, str], None] = {}
    for t in (new, old):  # new order first; what only the old one drew after it
        links.update(dict.fromkeys(_arrows(t, [m for m in t.cmocs if m in shown])))
    arrows = []
    for link in links:
        kind, ids = marks.link(link)
        arrows.append(Arrow(*link, tuple(ids), kind))
    ends = dict.fromkeys(c for link in links for c in link)
    return View(_nodes([new, old], ends, concepts), arrows, marked=True)


# --- Mermaid text -------------------------------------------------------------------------------

def _class(node: Node, marked: bool) -> str:
    role = node.roles[0] if len(node.roles) == 1 else "multi"
    return f"{role}_{node.mark}" if node.mark else role


def _class_def(name: str, marked: bool) -> str:
    role, _, mark = name.partition("_")
    fill = ROLE_FILL.get(role, "#FFFFFF")
    stroke = ROLE_COLOUR.get(role, INK)
    if marked:  # the line tells the change; the fill, the role
        style = MARKS[mark or None][0].format(c=MARKS[mark or None][3] if mark else stroke)
    else:
        style = f"stroke:{stroke},stroke-width:1px"
    if "color:" not in style:
        style += ",color:#000000"
    return f"classDef {name} fill:{fill},{style}"


def flowchart(view: View, direction: str = "LR") -> str:
    """``view`` as Mermaid ``flowchart`` text (no code fence), deterministic.

    Nodes are ``c1``, ``c2``, ... in the view's order (concept ids are not safe as
    Mermaid ids: ``end`` breaks a flowchart), each with its concept label; arrows are
    labelled with their CMOC ids.

    >>> print(flowchart(View([Node("a", "A", ("context",)), Node("b", "B", ("mechanism",))],
    ...                      [Arrow("a", "b", ("X1",))])))
    flowchart LR
        c1["A"]
        c2(["B"])
        c1 -->|"X1"| c2
        classDef context fill:#AADAF4,stroke:#56B4E9,stroke-width:1px,color:#000000
        classDef mechanism fill:#F2CF80,stroke:#E69F00,stroke-width:1px,color:#000000
        class c1 context
        class c2 mechanism
    <BLANKLINE>
    """
    ids = {n.id: f"c{i}" for i, n in enumerate(view.nodes, 1)}
    lines = [f"flowchart {direction}"]
    for n in view.nodes:
        opening, closing = SHAPES[n.roles[0]] if len(n.roles) == 1 else MULTI_SHAPE
        text = label(n.label)
        if len(n.roles) != 1:
            text += "<br>(" + ", ".join(n.roles or ("no role",)) + ")"
        lines.append(f'    {ids[n.id]}{opening}"{text}"{closing}')
    for a in view.arrows:
        link = MARKS[a.mark][1] if view.marked else "-->"
        lines.append(f'    {ids[a.tail]} {link}|"{label(", ".join(a.cmocs))}"| {ids[a.head]}')
    classes: dict[str, list[str]] = {}
    for n in view.nodes:
        classes.setdefault(_class(n, view.marked), []).append(ids[n.id])
    lines += [f"    {_class_def(name, view.marked)}" for name in sorted(classes)]
    lines += [f"    class {','.join(members)} {name}" for name, members in sorted(classes.items())]
    if view.marked:
        styles: dict[str, list[str]] = {}
        for i, a in enumerate(view.arrows):
            styles.setdefault(MARKS[a.mark][2].format(c=MARKS[a.mark][3]), []).append(str(i))
        lines += [f"    linkStyle {','.join(idx)} {style}" for style, idx in styles.items()]
    return "\n".join(lines) + "\n"


#: What the marks of a diff view mean, for a line under the figure.
DIFF_KEY = ("Bold green: added; dotted vermillion: removed; dashed purple: changed; grey: "
            "unchanged, for context. Arrow labels: +X now drawn by CMOC X, −X no longer, "
            "~X CMOC X changed.")


def export_mermaid(theory: Theory, *, area: str | None = None, cmocs: Sequence[str] = ()) -> bytes:
    """The theory (or one area, or some CMOCs) as a Mermaid flowchart, UTF-8 text.

    Parameters
    ----------
    theory : Theory
        A theory that passes ``check``.
    area : str, optional
        Only this area's CMOCs.
    cmocs : sequence of str
        Only these CMOCs.

    Raises
    ------
    UsageError
        An unknown area or CMOC.
    """
    return flowchart(theory_view(theory, area=area, cmocs=cmocs)).encode("utf-8")
