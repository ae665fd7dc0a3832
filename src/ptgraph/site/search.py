"""The site's search: a lunr index built here, searched in the browser by lunr.js.

The index (Python ``lunr``, the port of lunr.js) covers CMOC statements,
concept labels and descriptions, quotes, areas, pathways, sites and sources;
a result shows the text of its page, each field apart as the page has it.
It is written as a script, ``search-index.js``, that sets
``window.PTGRAPH_SEARCH``: a page opened from ``file://`` may load a script
beside it but not fetch a JSON file.
"""

from __future__ import annotations

import json
from typing import Any

from lunr import lunr

from ..model import ROLES
from .facts import Facts
from .pages import cmoc_parts, path_of

#: Fields of a search document, with their weight in the score.
FIELDS = ({"field_name": "title", "boost": 5}, {"field_name": "body", "boost": 1})


def _lines(*blocks: str | None) -> str:
    """Blocks of text one to a line, as a page shows them one under another; empty ones left out."""
    return "\n".join(b for b in blocks if b)


def attribute_text(value: Any) -> str:
    """A site's attribute as its page's table shows it: ``true``, ``a, b``, ``3``.

    >>> attribute_text(True), attribute_text(["a", "b"]), attribute_text(3), attribute_text("High")
    ('true', 'a, b', '3', 'High')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, set, dict)):
        return ", ".join(str(v) for v in value)
    return str(value)


def documents(f: Facts) -> list[dict[str, Any]]:
    """One search document per CMOC, concept, quote, area, pathway, site and source.

    Each has ``id`` (``kind:id``), ``kind``, ``title``, ``body`` (the words searched),
    ``text`` (what a result shows: the text of its page, each field on a line or named as
    the page names it, so no two fields run together), ``url`` (from the top of the site)
    and, for a quote, ``links``: the page of each CMOC it supports or refutes, at the quote.
    """
    t = f.theory
    roles = t.roles()
    docs: list[dict[str, Any]] = []
    for mid, m in t.cmocs.items():
        parts = cmoc_parts(f, m)
        docs.append({"id": f"cmoc:{mid}", "kind": "CMOC", "title": mid,
                     "body": _lines(m.statement, *(text for part in parts for _, text in part["items"]),
                                    m.notes),
                     "text": _lines(m.statement, *(f"{part['heading']}: "
                                                   + "; ".join(text for _, text in part["items"])
                                                   for part in parts),
                                    f"Notes: {m.notes}" if m.notes else None),
                     "url": path_of("cmoc", mid)})
    for cid, c in t.concepts.items():
        used = [r for r in ROLES if r in roles.get(cid, ())]
        meta = " · ".join([f"Id: {cid}",
                           f"Role{'s' if len(used) != 1 else ''}: {', '.join(used)}" if used
                           else "used by no CMOC",
                           *([f"Tags: {', '.join(c.tags)}"] if c.tags else [])])
        docs.append({"id": f"concept:{cid}", "kind": "Concept", "title": c.label,
                     "body": _lines(cid, c.description, *c.tags), "text": _lines(meta, c.description),
                     "url": path_of("concept", cid)})
    for eid, e in t.evidence.items():
        cmocs = list(dict.fromkeys(e.supports + e.refutes))
        links = [{"text": m, "url": f"{path_of('cmoc', m)}#quote-{eid}"} for m in cmocs if m in t.cmocs]
        who = f.attribution(e)
        where = t.sites[who.site].label if who.site in t.sites else who.site
        docs.append({"id": f"quote:{eid}", "kind": "Quote",
                     "title": ", ".join(x for x in (who.participant, where) if x) or eid,
                     "body": e.quote, "text": e.quote,
                     "url": links[0]["url"] if links else path_of("evidence"), "links": links})
    for aid, a in t.areas.items():
        docs.append({"id": f"area:{aid}", "kind": "Area", "title": a.label,
                     "body": a.description or "", "text": a.description or "",
                     "url": path_of("area", aid)})
    for pid, p in t.pathways.items():
        docs.append({"id": f"pathway:{pid}", "kind": "Pathway", "title": p.label,
                     "body": p.description or "", "text": p.description or "",
                     "url": path_of("pathway", pid)})
    for sid, s in t.sites.items():
        values = {key: attribute_text(v) for key, v in s.attributes.items()}
        docs.append({"id": f"site:{sid}", "kind": "Site", "title": s.label,
                     "body": _lines(*values.values()),
                     "text": _lines(*(f"{key.replace('_', ' ')}: {v}" for key, v in values.items())),
                     "url": path_of("site", sid)})
    for sid, s in t.sources.items():
        docs.append({"id": f"source:{sid}", "kind": "Source", "title": sid,
                     "body": s.citation, "text": s.citation, "url": path_of("source", sid)})
    return docs


def index_script(f: Facts) -> str:
    """``search-index.js``: the serialised lunr index and the documents, as one script.

    The same theory gives the same text: documents in theory order, keys sorted.
    """
    docs = documents(f)
    index = lunr(ref="id", fields=list(FIELDS), documents=docs)
    shown = {d["id"]: {k: v for k, v in d.items() if k not in ("id", "body")} for d in docs}
    payload = json.dumps({"index": index.serialize(), "docs": shown}, sort_keys=True,
                         ensure_ascii=True, separators=(",", ":"))
    return ("// The search index of this site, written by ptgraph site (lunr).\n"
            f"window.PTGRAPH_SEARCH = {payload};\n")


__all__ = ["FIELDS", "attribute_text", "documents", "index_script"]
