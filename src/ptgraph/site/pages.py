"""The pages of a site, one function per kind of page, in the registry :data:`PAGE_KINDS`.

Each function takes the :class:`~ptgraph.site.facts.Facts` and yields
:class:`Page` objects: where the page goes, its template, its title, what the
template shows, and the figures drawn for it. Addresses come from
:func:`path_of`, and every link a page or its figures hold is relative to the
page (:meth:`Page.href`), so the site works from ``file://`` and from any
folder of a web server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator
from urllib.parse import quote

from ..model import ROLES
from ..render import CARD_ROW_NAMES
from .facts import CMOC_PARTS, Facts

#: Folder of each kind of page with an id; the page of ``ID`` is ``FOLDER/ID.html``.
FOLDERS = {"area": "area", "cmoc": "cmoc", "concept": "concept", "pathway": "pathway",
           "site": "site", "source": "source"}
#: Pages of the whole theory, by name: their file names at the top of the site.
TOP = {"home": "index.html", "concepts": "concepts.html", "evidence": "evidence.html",
       "contrasts": "contrasts.html", "conflicts": "conflicts.html", "chains": "chains.html",
       "report": "report.html", "search": "search.html"}
#: The navigation bar: (page name, text).
NAV = (("home", "Home"), ("concepts", "Concepts"), ("evidence", "Evidence"),
       ("contrasts", "Contrasts"), ("conflicts", "Conflicts"), ("chains", "Chains"),
       ("report", "Whole theory"))


def path_of(kind: str, ident: str | None = None) -> str:
    """A page's path from the top of the site.

    >>> path_of("cmoc", "EN4"), path_of("evidence")
    ('cmoc/EN4.html', 'evidence.html')
    """
    if ident is None:
        return TOP[kind]
    return f"{FOLDERS[kind]}/{ident}.html"  # ids are [A-Za-z0-9][A-Za-z0-9_.-]*: safe in both


@dataclass
class Page:
    """One page: path from the top of the site, template, title, template variables,
    and figures (``(key, view)`` pairs, drawn linked for this page)."""

    path: str
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    figures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def nav(self) -> str | None:
        """The entry of the navigation bar that is this page, or None: a page of one CMOC,
        concept, area, pathway, site or source has none (its crumbs say where it belongs).

        >>> Page("evidence.html", "evidence.html", "Evidence").nav, Page("cmoc/X.html", "", "X").nav
        ('evidence', None)
        """
        return next((name for name, _ in NAV if path_of(name) == self.path), None)

    @property
    def root(self) -> str:
        """The way back to the top of the site: ``""`` or ``"../"``."""
        return "../" * self.path.count("/")

    def href(self, kind: str, ident: str | None = None) -> str:
        """The address of another page, relative to this one (figures link with it too)."""
        return self.root + quote(path_of(kind, ident))


def _home(f: Facts) -> Iterator[Page]:
    t = f.theory
    by_area = {a: [m for m in t.cmocs.values() if m.area == a] for a in t.areas}
    figures = [("overview", "overview")] + ([("pathways", "pathways")] if t.pathways else [])
    yield Page(path_of("home"), "home.html", t.title or t.id, {"by_area": by_area}, figures)


def _areas(f: Facts) -> Iterator[Page]:
    for aid, area in f.theory.areas.items():
        cmocs = [m for m in f.theory.cmocs.values() if m.area == aid]
        yield Page(path_of("area", aid), "area.html", area.label, {"area": area, "cmocs": cmocs},
                   [("area", f"area:{aid}")])


def cmoc_parts(f: Facts, cmoc) -> list[dict[str, Any]]:
    """The parts of a CMOC as its page lists them, from :data:`CMOC_PARTS`: heading, and
    each item as ``(concept id or None, text)``; empty parts are left out."""
    out = []
    for name, heading in CMOC_PARTS:
        value = getattr(cmoc, name, None)
        if value in (None, "", (), []):
            continue
        values = [value] if isinstance(value, str) else list(value)
        items = [(v, f.label(v)) if v in f.theory.concepts else (None, str(v)) for v in values]
        # a split mechanism: "Mechanism (resource)", "Mechanism (reasoning)", as on the card
        heading = CARD_ROW_NAMES.get((name, bool(cmoc.resource)), heading)
        if name == "context" and cmoc.context_any and len(items) > 1:
            heading += " (any one of)"
        out.append({"field": name, "heading": heading, "items": items})
    return out


def _cmocs(f: Facts) -> Iterator[Page]:
    ids = list(f.theory.cmocs)
    for i, (mid, m) in enumerate(f.theory.cmocs.items()):
        yield Page(path_of("cmoc", mid), "cmoc.html", f"{mid}: {m.statement}", {
            "m": m, "prev": ids[i - 1] if i else None, "next": ids[i + 1] if i + 1 < len(ids) else None,
        }, [("card", f"cmoc:{mid}")])


def _concepts(f: Facts) -> Iterator[Page]:
    roles = f.theory.roles()
    yield Page(path_of("concepts"), "concepts.html", "Concepts", {"roles": roles})
    for cid, c in f.theory.concepts.items():
        uses = f.uses.get(cid, [])
        by_role = {role: [m for r, m in uses if r == role] for role in ROLES}
        opposed_by = [o for o, other in f.theory.concepts.items() if cid in other.opposes]
        yield Page(path_of("concept", cid), "concept.html", c.label, {
            "c": c, "roles": [r for r in ROLES if r in roles.get(cid, ())], "by_role": by_role,
            "opposed_by": opposed_by, "pathways": f.pathways_of(cid),
            "contrasts": [(key, row) for key in ("contrasts", "contrasts_by_context")
                          for row in f.rows[key] if row["concept"] == cid],
        })


def _pathways(f: Facts) -> Iterator[Page]:
    for pid, p in f.theory.pathways.items():
        yield Page(path_of("pathway", pid), "pathway.html", p.label, {"p": p},
                   [("pathway", f"pathway:{pid}")])


def _sites(f: Facts) -> Iterator[Page]:
    for sid, s in f.theory.sites.items():
        quotes = f.quotes_at(sid)
        yield Page(path_of("site", sid), "site.html", s.label, {"s": s, "quotes": quotes})


def _sources(f: Facts) -> Iterator[Page]:
    for sid, s in f.theory.sources.items():
        yield Page(path_of("source", sid), "source.html", s.citation,
                   {"s": s, "quotes": f.quotes_from(sid)})


def _evidence(f: Facts) -> Iterator[Page]:
    yield Page(path_of("evidence"), "evidence.html", "Evidence")


def _contrasts(f: Facts) -> Iterator[Page]:
    figures = [("contrasts", "contrasts")] if f.rows["contrasts"] else []
    yield Page(path_of("contrasts"), "contrasts.html", "Contrasts", figures=figures)


def _conflicts(f: Facts) -> Iterator[Page]:
    figures = [("conflicts", "conflicts")] if f.rows["conflicts"] else []
    yield Page(path_of("conflicts"), "conflicts.html", "Conflicts", figures=figures)


def _chains(f: Facts) -> Iterator[Page]:
    yield Page(path_of("chains"), "chains.html", "Chains")


def _report(f: Facts) -> Iterator[Page]:
    yield Page(path_of("report"), "report.html", f"{f.theory.title or f.theory.id}: the whole theory",
               figures=[("overview", "overview")])


def _search(f: Facts) -> Iterator[Page]:
    yield Page(path_of("search"), "search.html", "Search")


#: Every kind of page, in the order they are built.
PAGE_KINDS: dict[str, Callable[[Facts], Iterator[Page]]] = {
    "home": _home, "area": _areas, "cmoc": _cmocs, "concept": _concepts, "pathway": _pathways,
    "site": _sites, "source": _sources, "evidence": _evidence, "contrasts": _contrasts,
    "conflicts": _conflicts, "chains": _chains, "report": _report, "search": _search,
}


def pages(f: Facts) -> list[Page]:
    """Every page of the site, in :data:`PAGE_KINDS` order."""
    return [page for kind in PAGE_KINDS.values() for page in kind(f)]


__all__ = ["FOLDERS", "NAV", "PAGE_KINDS", "Page", "TOP", "cmoc_parts", "pages", "path_of"]
