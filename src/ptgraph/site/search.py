"""The site's search: a lunr index built here, searched in the browser by lunr.js.

The index (Python ``lunr``, the port of lunr.js) covers CMOC statements,
concept labels and descriptions, quotes, areas, pathways, sites and sources.
It is written as a script, ``search-index.js``, that sets
``window.PTGRAPH_SEARCH``: a page opened from ``file://`` may load a script
beside it but not fetch a JSON file.
"""

from __future__ import annotations

import json
from typing import Any

from lunr import lunr

from .facts import Facts
from .pages import path_of

#: Fields of a search document, with their weight in the score.
FIELDS = ({"field_name": "title", "boost": 5}, {"field_name": "body", "boost": 1})


def documents(f: Facts) -> list[dict[str, Any]]:
    """One search document per CMOC, concept, quote, area, pathway, site and source.

    Each has ``id`` (``kind:id``), ``kind``, ``title``, ``body`` (the text searched),
    ``url`` (from the top of the site) and, for a quote, ``links``: the page of each
    CMOC it supports or refutes, at the quote.
    """
    t = f.theory
    docs: list[dict[str, Any]] = []
    for mid, m in t.cmocs.items():
        words = [f.label(c) for role in ("context", "mechanism", "outcome") for c in m.concepts(role)]
        docs.append({"id": f"cmoc:{mid}", "kind": "CMOC", "title": mid,
                     "body": " ".join([m.statement, *words, m.notes or ""]).strip(),
                     "url": path_of("cmoc", mid)})
    for cid, c in t.concepts.items():
        docs.append({"id": f"concept:{cid}", "kind": "Concept", "title": c.label,
                     "body": " ".join([cid, c.description or "", *c.tags]).strip(),
                     "url": path_of("concept", cid)})
    for eid, e in t.evidence.items():
        cmocs = list(dict.fromkeys(e.supports + e.refutes))
        links = [{"text": m, "url": f"{path_of('cmoc', m)}#quote-{eid}"} for m in cmocs if m in t.cmocs]
        who = f.attribution(e)
        where = t.sites[who.site].label if who.site in t.sites else who.site
        docs.append({"id": f"quote:{eid}", "kind": "Quote",
                     "title": ", ".join(x for x in (who.participant, where) if x) or eid,
                     "body": e.quote, "url": links[0]["url"] if links else path_of("evidence"),
                     "links": links})
    for aid, a in t.areas.items():
        docs.append({"id": f"area:{aid}", "kind": "Area", "title": a.label,
                     "body": a.description or "", "url": path_of("area", aid)})
    for pid, p in t.pathways.items():
        docs.append({"id": f"pathway:{pid}", "kind": "Pathway", "title": p.label,
                     "body": p.description or "", "url": path_of("pathway", pid)})
    for sid, s in t.sites.items():
        docs.append({"id": f"site:{sid}", "kind": "Site", "title": s.label,
                     "body": " ".join(str(v) for v in s.attributes.values()),
                     "url": path_of("site", sid)})
    for sid, s in t.sources.items():
        docs.append({"id": f"source:{sid}", "kind": "Source", "title": sid,
                     "body": s.citation, "url": path_of("source", sid)})
    return docs


def index_script(f: Facts) -> str:
    """``search-index.js``: the serialised lunr index and the documents, as one script.

    The same theory gives the same text: documents in theory order, keys sorted.
    """
    docs = documents(f)
    index = lunr(ref="id", fields=list(FIELDS), documents=docs)
    shown = {d["id"]: {k: v for k, v in d.items() if k != "id"} for d in docs}
    payload = json.dumps({"index": index.serialize(), "docs": shown}, sort_keys=True,
                         ensure_ascii=True, separators=(",", ":"))
    return ("// The search index of this site, written by ptgraph site (lunr).\n"
            f"window.PTGRAPH_SEARCH = {payload};\n")


__all__ = ["FIELDS", "documents", "index_script"]
