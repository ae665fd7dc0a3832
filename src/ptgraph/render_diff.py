"""Before/after figures for a pull request: a view with what changed marked.

:func:`diff_figure` draws a view (``overview``, ``area:ID``, ``cmoc:ID``,
``pathway:ID``, ``pathways``) of the *union* of two theories, the new one
plus what only the old one had, with :func:`ptgraph.render.figure`, then marks
the DOT: added elements in bluish green with solid bold lines, removed ones in
vermillion, dotted, and changed ones in reddish purple, dashed (Okabe-Ito
colours, told apart by line style too, so the marks survive greyscale). An
arrow's CMOC label gets ``+`` (new), ``−`` (gone) or ``~`` (changed) before
each id, and unchanged arrows are greyed. A key explains the marks and the
graph label gains a line naming both sides and summing up the changes.

A removed causal link of a CMOC that is still there (its mechanism replaced,
say) is drawn through a stand-in CMOC holding that link alone; the stand-in's
id never shows.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from pathlib import Path
from typing import Mapping, Sequence

import graphviz

from .diff import TheoryDiff, diff_theories
from .errors import UsageError
from .model import CMOC, ROLES, Theory
from .render import (DEFAULT_FORMATS, GREY, MUTED, OKABE_ITO, Figure, Rendered, check_formats,
                     figure, label_text, part_edges, write_figures)

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
#: Colour, line style and label mark of each kind of change.
MARKS = {
    ADDED: (OKABE_ITO["bluish_green"], "bold", "+"),
    REMOVED: (OKABE_ITO["vermillion"], "dotted", "−"),
    CHANGED: (OKABE_ITO["reddish_purple"], "dashed", "~"),
}
#: Views a diff can be drawn for (chains and conflicts: ``ptgraph diff`` lists their changes).
DIFF_VIEWS = ("overview", "area", "cmoc", "pathway", "pathways")
#: Suffix of stand-in CMOC ids (never shown: arrow labels are rewritten, footer rows dropped).
STAND_IN = "~before~"

Link = tuple[str, str]

_ID = r'(?:"(?:[^"\\]|\\.)*"|[A-Za-z0-9_.]+)'
_NODE = re.compile(rf"^(\t+)({_ID}) \[(.*)\]$")
_EDGE = re.compile(rf"^(\t+)({_ID}) -> ({_ID}) \[(.*)\]$")
#: An arrow's label: ``xlabel`` in the overview and area figures, ``label`` in pathway
#: figures (where dot makes room for it between the steps).
_ARROW_LABEL = re.compile(r"(?<=[\[ ])x?label=(?=<)")


def _unquote(token: str) -> str:
    return token[1:-1].replace('\\"', '"') if token.startswith('"') else token


def links(m: CMOC | None) -> set[Link]:
    """The arrows a CMOC draws (:func:`ptgraph.render.part_edges`): its causal order,
    context -> mechanism -> outcome or context -> resource -> reasoning -> outcome,
    and its interventions and actors."""
    return set() if m is None else {(a, b) for _, a, _, b in part_edges(m)}


def _drawn_by(theory: Theory) -> dict[Link, set[str]]:
    out: dict[Link, set[str]] = {}
    for mid, m in theory.cmocs.items():
        for link in links(m):
            out.setdefault(link, set()).add(mid)
    return out


def _stand_ins(old: Theory, new: Theory) -> dict[str, CMOC]:
    """One stand-in CMOC per causal link a CMOC on both sides lost."""
    out = {}
    for mid, before in old.cmocs.items():
        after = new.cmocs.get(mid)
        if after is None:
            continue
        lost = links(before) - links(after)
        roles = {(a, b): (ra, rb) for ra, a, rb, b in part_edges(before)}
        for i, (a, b) in enumerate(sorted(lost)):
            # the stand-in draws that one arrow, its ends in the roles they had
            parts: dict[str, tuple[str, ...]] = {role: () for role in ROLES}
            ra, rb = roles[a, b]
            parts[ra], parts[rb] = (a,), parts[rb] + (b,)
            out[f"{mid}{STAND_IN}{i}"] = CMOC(f"{mid}{STAND_IN}{i}", before.area, before.statement,
                                              **parts)
    return out


def union_theory(old: Theory, new: Theory, *, merge_cmoc: str | None = None) -> Theory:
    """The new theory plus the entries only the old one has, and stand-ins for lost links.

    ``merge_cmoc`` gives that one CMOC the concepts of both versions in each
    role (new first), for its card; it then gets no stand-ins.
    """
    def both(section: str) -> dict:
        merged = dict(getattr(new, section))
        merged.update((k, v) for k, v in getattr(old, section).items() if k not in merged)
        return merged

    u = Theory(new.id, new.title, new.description, dict(new.source),
               **{name: both(name) for name in ("areas", "sites", "concepts", "cmocs", "evidence",
                                                "pathways")})
    for pid, p in new.pathways.items():
        if pid in old.pathways:
            u.pathways[pid] = replace(p, steps=tuple(_merged_steps(old.pathways[pid].steps, p.steps)))
    stand_ins = _stand_ins(old, new)
    if merge_cmoc is not None:
        stand_ins = {}
        if merge_cmoc in old.cmocs and merge_cmoc in new.cmocs:
            a, b = old.cmocs[merge_cmoc], new.cmocs[merge_cmoc]
            u.cmocs[merge_cmoc] = replace(b, **{r: tuple(dict.fromkeys(b.concepts(r) + a.concepts(r)))
                                                for r in ROLES})
    u.cmocs.update(stand_ins)
    return u


def _merged_steps(old: tuple[str, ...], new: tuple[str, ...]) -> list[str]:
    """Both step lists in one order: kept steps once, removed ones where they were."""
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        out += list(old[i1:i2]) if op == "equal" else list(old[i1:i2]) + list(new[j1:j2])
    return out


class Marks:
    """What changed, by concept and by CMOC, as the views need it."""

    def __init__(self, old: Theory, new: Theory, d: TheoryDiff) -> None:
        self.old, self.new = old, new
        ro, rn = old.roles(), new.roles()
        changed = {m.id for m in d.sections["concepts"].modified}
        self.concepts: dict[str, str] = {}
        for cid in set(ro) | set(rn):
            if cid not in ro:
                self.concepts[cid] = ADDED
            elif cid not in rn:
                self.concepts[cid] = REMOVED
            elif cid in changed or ro[cid] != rn[cid]:
                self.concepts[cid] = CHANGED
        self.cmocs = {**{r["id"]: ADDED for r in d.sections["cmocs"].added},
                      **{r["id"]: REMOVED for r in d.sections["cmocs"].removed},
                      **{m.id: CHANGED for m in d.sections["cmocs"].modified}}
        self.before, self.after = _drawn_by(old), _drawn_by(new)

    def link(self, link: Link) -> tuple[str | None, list[str]]:
        """The change of one arrow and its label ids with marks (``+X5``, ``−X3``, ``~X1``)."""
        before, after = self.before.get(link, set()), self.after.get(link, set())
        label = []
        for m in sorted(before | after):
            kind = ADDED if m not in before else REMOVED if m not in after else self.cmocs.get(m)
            label.append(MARKS[kind][2] + m if kind else m)
        if not after:
            return REMOVED, label
        if not before:
            return ADDED, label
        return (CHANGED if before != after or any(self.cmocs.get(m) for m in after) else None), label


def _attrs(attrs: Mapping[str, str]) -> str:
    return " ".join(f'{k}="{v}"' if not v.startswith("<") else f"{k}={v}" for k, v in attrs.items())


def _style_of(attr_text: str) -> list[str]:
    """A node's styles other than its line style (``filled``, ``striped``, ``rounded``)."""
    m = re.search(r'(?:^| )style=("[^"]*"|\S+)', attr_text)
    styles = m.group(1).strip('"').split(",") if m else []
    return [s for s in styles if s not in ("dashed", "dotted", "bold", "solid")]


def _node_marks(kind: str, attr_text: str) -> dict[str, str]:
    colour, line, _ = MARKS[kind]
    style = _style_of(attr_text) + [line]
    out = {"color": colour, "penwidth": "3", "style": ",".join(style)}
    if kind == REMOVED:
        out["fontcolor"] = GREY
    return out


def _edge_marks(kind: str | None, label: list[str] | None) -> dict[str, str]:
    out = {} if label is None else {"xlabel": f"<{label_text(', '.join(label))}>"}
    if kind is None:
        return {**out, "color": MUTED, "fontcolor": GREY}
    colour, line, _ = MARKS[kind]
    return {**out, "color": colour, "fontcolor": colour, "penwidth": "3", "style": line}


def _html_span(text: str, start: int) -> int:
    """End (exclusive) of the ``<...>`` value starting at ``start``, nesting counted."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "<":
            depth += 1
        elif text[i] == ">":
            depth -= 1
            if depth == 0:
                return i + 1
    raise ValueError("unbalanced HTML label")  # pragma: no cover - render writes balanced labels


def _graph_label(source: str) -> str:
    """The HTML body of the top-level graph label of a DOT source from :mod:`ptgraph.render`."""
    line = next((s for s in source.splitlines() if s.startswith("\tgraph [")), "")
    if "label=<" not in line:
        return ""
    at = line.index("label=<") + len("label=")
    return line[at + 1:_html_span(line, at) - 1]


def _key(old_label: str, new_label: str) -> list[str]:
    """DOT lines of the key to the marks."""
    g = graphviz.Digraph()
    with g.subgraph(name="cluster_diff_key") as key:
        key.attr(label=f"<<B>Changes</B><BR/>{label_text(old_label)} → {label_text(new_label)}>",
                 style="rounded", color=MUTED, labeljust="l", margin="6", fontsize="11", rank="same")
        names = []
        for kind, (colour, line, mark) in MARKS.items():
            names.append(f"diff_key_{kind}")
            key.node(names[-1], f"{mark} {kind}", shape="box", color=colour, penwidth="3",
                     style=f"filled,{line}", fillcolor="white", fontsize="10")
        names.append("diff_key_same")
        left = '<BR ALIGN="LEFT"/>'
        key.node(names[-1], f"<Arrow labels: +X now drawn by CMOC X,{left}−X no longer, "
                 f"~X CMOC X changed;{left}grey: unchanged{left}>",
                 shape="plaintext", fontsize="9", fontcolor=GREY)
        for a, b in zip(names, names[1:]):
            key.edge(a, b, style="invis")
    return g.body


def _cluster_heads(source: str) -> dict[str, str]:
    """Cluster name -> its attribute line (the line after ``subgraph cluster_X {``)."""
    lines = source.splitlines()
    return {line.strip()[len("subgraph "):-2]: nxt for line, nxt in zip(lines, lines[1:])
            if line.lstrip().startswith("subgraph cluster_")}


def _mark(source: str, node_kind: Mapping[str, str], edge_kind, heading: str,
          key: list[str], reference: str, cmocs: Mapping[str, str]) -> str:
    """Append diff attributes to node and edge statements (the last value of an attribute
    wins in DOT), take the graph and box labels from the side that has the view (so
    counts are not of the union), drop stand-ins' footer rows and add the key."""
    heads = _cluster_heads(reference)
    out: list[str] = []
    for line in source.splitlines():
        if out and out[-1].lstrip().startswith("subgraph cluster_"):
            line = heads.get(out[-1].strip()[len("subgraph "):-2], line)
        if line.startswith("\tgraph [") and "label=<" in line:
            at = line.index("label=<") + len("label=")
            line = line[:at] + f"<{heading}>" + line[_html_span(line, at):]
        elif (m := _EDGE.match(line)) and "style=invis" not in m.group(4):
            extra = edge_kind(_unquote(m.group(2)), _unquote(m.group(3)))
            label = _ARROW_LABEL.search(line)
            if extra and "xlabel" in extra and label:  # replaced, not overridden:
                at = label.end()  # stand-in ids must not show
                line = line[:at] + extra.pop("xlabel") + line[_html_span(line, at):]
            if extra:
                line = f"{line[:-1]} {_attrs(extra)}]"
        elif (m := _NODE.match(line)) and _unquote(m.group(2)) in node_kind:
            line = f"{line[:-1]} {_attrs(_node_marks(node_kind[_unquote(m.group(2))], m.group(3)))}]"
        if "<B>" in line:  # CMOC ids in a footer table get their mark
            line = re.sub(r"<B>([^<]+)</B></TD>", lambda m: f"<B>{MARKS[cmocs[m.group(1)]][2]}"
                          f"{m.group(1)}</B></TD>" if m.group(1) in cmocs else m.group(0), line)
        if STAND_IN in line:  # a stand-in's row in a footer table, its id in an arrow label
            line = re.sub(rf'<TR><TD[^>]*><B>[^<]*{STAND_IN}\d+</B></TD>.*?</TR>', "", line)
            label = _ARROW_LABEL.search(line) if _EDGE.match(line) else None
            if label:  # only in arrow labels: a statement may spell STAND_IN too
                at = label.end()
                end = _html_span(line, at)
                ids = re.sub(rf'(, )?[^\s<>,]*{STAND_IN}\d+', "", line[at:end]).replace("<, ", "<")
                line = line[:at] + ids + line[end:]
        out.append(line)
    body = "\n".join(out)
    close = body.rindex("}")
    return body[:close] + "".join(key) + body[close:]


def diff_figure(old: Theory, new: Theory, view: str, *, old_label: str = "old",
                new_label: str = "new") -> Figure:
    """The figure of ``view`` with the changes from ``old`` to ``new`` marked.

    Raises :class:`UsageError` for a view a diff cannot be drawn for
    (``chains``, ``conflicts``) or a view in neither theory.
    """
    kind, _, ident = view.partition(":")
    if kind not in DIFF_VIEWS:
        listed = ("`ptgraph diff` lists what appears and disappears" if kind in ("chains", "conflicts")
                  else "render it without --diff, once for each version")
        raise UsageError(f"render --diff draws {', '.join(DIFF_VIEWS[:-1])} and {DIFF_VIEWS[-1]} "
                         f"views; for {kind}, {listed}")
    d = diff_theories(old, new, old_label=old_label, new_label=new_label, with_queries=False)
    marks = Marks(old, new, d)
    u = union_theory(old, new, merge_cmoc=ident if kind == "cmoc" else None)
    fig = figure(u, view)
    # the heading of the side that has the view, so counts are not of the union
    reference = figure(new if _has(new, kind, ident) else old, view)
    heading = (_graph_label(reference.source) + f'<FONT POINT-SIZE="11"><B>Changes</B> '
               f"{label_text(old_label)} → {label_text(new_label)}: "
               f'{label_text(d.summary())}</FONT><BR ALIGN="LEFT"/>')
    key = _key(old_label, new_label)
    if kind == "cmoc":
        nodes, edge_kind = _card_marks(old.cmocs.get(ident), new.cmocs.get(ident), marks)
    elif kind in ("pathway", "pathways"):
        nodes, edge_kind = _pathway_marks(old, new, u, ident or None)
    else:
        nodes = {f"c_{c}": k for c, k in marks.concepts.items()}

        def edge_kind(tail: str, head: str) -> dict[str, str] | None:
            if not (tail.startswith("c_") and head.startswith("c_")):
                return None
            change, label = marks.link((tail[2:], head[2:]))
            return _edge_marks(change, label)
    return Figure(f"{fig.name}-diff", _mark(fig.source, nodes, edge_kind, heading, key,
                                            reference.source, marks.cmocs), fig.notes)


def _has(theory: Theory, kind: str, ident: str) -> bool:
    section = {"area": "areas", "cmoc": "cmocs", "pathway": "pathways"}.get(kind)
    return section is None or ident in getattr(theory, section)


def _card_marks(before: CMOC | None, after: CMOC | None, marks: Marks):
    """Marks for one CMOC's card (nodes ``c_``, ``m_``, ``o_`` + concept id): its concepts
    and arrows added or removed per role."""
    nodes = {}
    for role in ROLES:
        was = set(before.concepts(role)) if before else set()
        now = set(after.concepts(role)) if after else set()
        for cid in was | now:
            kind = ADDED if cid not in was else REMOVED if cid not in now else marks.concepts.get(cid)
            if kind:
                nodes[f"{role[0]}_{cid}"] = kind
    old_links, new_links = links(before), links(after)

    def edge_kind(tail: str, head: str) -> dict[str, str] | None:
        link = (tail[2:], head[2:])
        kind = ADDED if link not in old_links else REMOVED if link not in new_links else None
        return _edge_marks(kind, None) if kind else None
    return nodes, edge_kind


def _pathway_marks(old: Theory, new: Theory, u: Theory, only: str | None):
    """Marks for pathway views: steps added or removed (nodes ``p_[ID_]NN``), and the arrows
    touching them; a pathway added or removed as a whole is marked throughout."""
    nodes: dict[str, str] = {}
    for pid, p in u.pathways.items():
        if only is not None and pid != only:
            continue
        prefix = "p_" if only is not None else f"p_{pid}_"
        was = old.pathways[pid].steps if pid in old.pathways else ()
        now = new.pathways[pid].steps if pid in new.pathways else ()
        for i, step in enumerate(p.steps):
            kind = ADDED if step not in was else REMOVED if step not in now else None
            if kind:
                nodes[f"{prefix}{i:02d}"] = kind

    def edge_kind(tail: str, head: str) -> dict[str, str] | None:
        ends = {nodes.get(tail), nodes.get(head)} - {None}
        if not ends:
            return None
        return _edge_marks(REMOVED if REMOVED in ends else ADDED, None)
    return nodes, edge_kind


def diff_views(old: Theory, new: Theory) -> list[str]:
    """The views ``ptgraph render --diff`` draws by default: the overview, and each area,
    CMOC and pathway that changed, was added or was removed."""
    d = diff_theories(old, new, with_queries=False)
    marks = Marks(old, new, d)
    areas = {m.area for mid in marks.cmocs for m in (old.cmocs.get(mid), new.cmocs.get(mid)) if m}
    areas |= {m.area for t in (old, new) for m in t.cmocs.values()
              if any(c in marks.concepts for r in ROLES for c in m.concepts(r))}
    paths = [r["id"] for r in d.sections["pathways"].added + d.sections["pathways"].removed]
    paths += [m.id for m in d.sections["pathways"].modified]
    union = union_theory(old, new)
    return (["overview"] + [f"area:{a}" for a in union.areas if a in areas]
            + [f"cmoc:{m}" for m in union.cmocs if m in marks.cmocs]
            + [f"pathway:{p}" for p in union.pathways if p in paths])


def render_diff(old: Theory, new: Theory, views: Sequence[str] | None = None,
                outdir: str | Path = "diagrams", formats: Sequence[str] = DEFAULT_FORMATS, *,
                old_label: str = "old", new_label: str = "new") -> Rendered:
    """Write each view's diff figure in each format as ``OUTDIR/NAME-diff.FORMAT``.

    ``views`` default to :func:`diff_views`. As :func:`ptgraph.render.render`
    does, every figure is built and Graphviz looked for before anything is
    written, and each file is written atomically.
    """
    check_formats(formats)
    figures = [diff_figure(old, new, v, old_label=old_label, new_label=new_label)
               for v in dict.fromkeys(views or diff_views(old, new))]
    return write_figures(figures, outdir, formats)
