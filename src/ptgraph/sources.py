"""``ptgraph sources import``: a bibliography (BibTeX or CSL-JSON) as a draft ``sources:`` file.

A realist review cites its included studies; their reference manager already
holds them. This module reads a BibTeX file (with :mod:`bibtexparser`, LaTeX
accents decoded) or CSL-JSON (Zotero's and most managers' JSON export, a list
of items) and turns each entry into a source of the theory format::

    sources:
      smith2019:
        type: study
        citation: Smith, J.; Jones, K. (2019). Link workers in practice. J Health.
        doi: 10.1000/xyz
        year: 2019

The ids are the entries' keys (made into valid ids where they are not), the
``type`` a guess from the entry type, and the ``citation`` a plain draft to
edit. Entries that cannot be read are reported with their line; the rest are
written.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import UsageError
from .schema import ID_RE

#: BibTeX entry type -> source type.
BIBTEX_TYPES = {
    "article": "study", "inproceedings": "study", "conference": "study", "phdthesis": "study",
    "mastersthesis": "study", "thesis": "study",
    "techreport": "report", "report": "report",
    "book": "document", "inbook": "document", "incollection": "document", "booklet": "document",
    "manual": "document", "online": "document", "electronic": "document",
}
#: CSL type -> source type.
CSL_TYPES = {
    "article-journal": "study", "article": "study", "paper-conference": "study", "thesis": "study",
    "dataset": "study", "report": "report", "book": "document", "chapter": "document",
    "webpage": "document", "post-weblog": "document", "document": "document",
    "legislation": "document", "bill": "document", "regulation": "document",
    "interview": "interview",
}


@dataclass
class Imported:
    """What an import found: ``sources`` (id -> fields, in file order), ``problems``
    (``(line, col, message)`` of the entries left out) and ``notes`` (ids changed)."""

    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[tuple[int, int, str]] = field(default_factory=list)
    notes: list[tuple[int, int, str]] = field(default_factory=list)


def _id(key: str) -> str:
    """A valid source id from an entry key.

    >>> _id("Smith:2019"), _id("smith2019"), _id("_x y")
    ('Smith-2019', 'smith2019', 'x-y')
    """
    text = re.sub(r"[^A-Za-z0-9_.-]+", "-", key.strip())
    return re.sub(r"^[^A-Za-z0-9]+", "", text)


def _year(text: str | None) -> int | None:
    return int(text) if text and re.fullmatch(r"\d{1,4}", text.strip()) else None


def citation(authors: str, year: Any, title: str, container: str) -> str:
    """A plain draft citation: ``Authors (Year). Title. Container.``

    >>> citation("Smith, J.; Jones, K.", 2019, "Link workers", "J Health")
    'Smith, J.; Jones, K. (2019). Link workers. J Health.'
    >>> citation("", None, "Annual report", "")
    'Annual report.'
    """
    parts = []
    head = " ".join(p for p in (authors, f"({year})" if year not in (None, "") else "") if p)
    for text in (head, title, container):
        text = " ".join(str(text).split()).rstrip(".")
        if text:
            parts.append(text + ".")
    return " ".join(parts)


def _add(out: Imported, key: str, line: int, fields: dict[str, Any]) -> None:
    ident = _id(key)
    if not ident or not ID_RE.match(ident):
        out.problems.append((line, 1, f"entry '{key}' has no key that can be an id; give it one"))
        return
    base, n = ident, 1
    while ident in out.sources:
        n += 1
        ident = f"{base}-{n}"
    if ident != key:
        out.notes.append((line, 1, f"entry '{key}' is source '{ident}' (an id takes letters, "
                                   "digits, '_', '.' and '-', and is unique)"))
    out.sources[ident] = {k: v for k, v in fields.items() if v not in (None, "")}


def read_bibtex(text: str) -> Imported:
    """Sources from BibTeX text.

    >>> r = read_bibtex('@article{smith2019, author={Smith, J. and Jones, K.}, '
    ...                 'title={Link {W}orkers}, journal={J Health}, year={2019}, doi={10.1/x}}')
    >>> r.sources["smith2019"]["citation"], r.sources["smith2019"]["year"]
    ('Smith, J.; Jones, K. (2019). Link Workers. J Health.', 2019)
    """
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware

    quiet = logging.getLogger("bibtexparser")  # it logs each failed block: reported below instead
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    finally:
        quiet.setLevel(level)
    out = Imported()
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        out.problems.append((line, 1, f"could not read this entry ({_first_line(block)}); "
                                      "fix its braces, quotes and commas"))
    for entry in library.entries:
        def get(name: str) -> str:
            f = entry.fields_dict.get(name)
            return " ".join(str(f.value).split()) if f is not None else ""

        authors = "; ".join(a.strip() for a in re.split(r"\s+and\s+", get("author") or get("editor"))
                            if a.strip())
        year = _year(get("year")) or _year(get("date")[:4])
        container = get("journal") or get("journaltitle") or get("booktitle") or \
            get("institution") or get("publisher") or get("school")
        _add(out, entry.key, entry.start_line + 1, {
            "type": BIBTEX_TYPES.get(entry.entry_type.lower(), "other"),
            "citation": citation(authors, year or get("year"), get("title"), container)
            or entry.key,
            "doi": get("doi"), "url": get("url"), "year": year,
        })
    return out


def _first_line(block: Any) -> str:
    raw = str(getattr(block, "raw", "") or "").strip().splitlines()
    return raw[0][:60] if raw else "an entry"


def _csl_names(names: Any) -> str:
    if not isinstance(names, list):
        return ""
    out = []
    for n in names:
        if isinstance(n, dict):
            name = n.get("literal") or ", ".join(
                str(n[k]) for k in ("family", "given") if isinstance(n.get(k), str) and n[k])
            if name:
                out.append(str(name))
    return "; ".join(out)


def _csl_year(item: dict) -> int | None:
    for key in ("issued", "published-print", "published-online"):
        date = item.get(key)
        if isinstance(date, dict):
            parts = date.get("date-parts")
            if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
                first = parts[0][0]
                if isinstance(first, int) and not isinstance(first, bool):
                    return first
                if isinstance(first, str):
                    return _year(first)
            return _year(str(date.get("raw", ""))[:4])
    return None


def read_csl_json(text: str) -> Imported:
    """Sources from CSL-JSON text: a list of items (or one item).

    >>> r = read_csl_json('[{"id": "a1", "type": "report", "title": "Annual report", '
    ...                   '"issued": {"date-parts": [[2020]]}}, 7]')
    >>> r.sources, r.problems
    ({'a1': {'type': 'report', 'citation': '(2020). Annual report.', 'year': 2020}}, [(1, 96, 'item 2 is not an entry (a JSON object); leave it out or export again')])
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Imported(problems=[(exc.lineno, exc.colno, f"not JSON: {exc.msg}; export the "
                                                          "bibliography again as CSL JSON")])
    items = data if isinstance(data, list) else [data]
    starts = _item_starts(text) if isinstance(data, list) else [(1, 1)]
    out = Imported()
    for index, item in enumerate(items):
        line, col = starts[index] if index < len(starts) else (1, 1)
        if not isinstance(item, dict):
            out.problems.append((line, col, f"item {index + 1} is not an entry (a JSON object); "
                                            "leave it out or export again"))
            continue
        key = item.get("id", item.get("citation-key"))
        if isinstance(key, bool) or not isinstance(key, (str, int)):
            out.problems.append((line, col, f"item {index + 1} has no 'id'; give it one"))
            continue
        year = _csl_year(item)

        def text_of(name: str) -> str:
            value = item.get(name)
            return " ".join(str(value).split()) if isinstance(value, (str, int)) else ""

        authors = _csl_names(item.get("author")) or _csl_names(item.get("editor"))
        _add(out, str(key), line, {
            "type": CSL_TYPES.get(text_of("type"), "other"),
            "citation": citation(authors, year, text_of("title"),
                                 text_of("container-title") or text_of("publisher")) or str(key),
            "doi": text_of("DOI") or text_of("doi"), "url": text_of("URL") or text_of("url"),
            "year": year,
        })
    return out


def _item_starts(text: str) -> list[tuple[int, int]]:
    """``(line, col)`` of each item of a JSON list, for messages."""
    decoder = json.JSONDecoder()
    starts = []
    i = text.index("[") + 1
    while True:
        while i < len(text) and text[i] in " \t\r\n,":
            i += 1
        if i >= len(text) or text[i] == "]":
            return starts
        line = text.count("\n", 0, i) + 1
        starts.append((line, i - (text.rfind("\n", 0, i) + 1) + 1))
        _, i = decoder.raw_decode(text, i)


def read_bibliography(path: str | Path) -> Imported:
    """Sources from a ``.bib`` (BibTeX) or ``.json`` (CSL-JSON) file; other names are sniffed."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file; give a BibTeX (.bib) or CSL-JSON (.json) file")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read it as UTF-8 text ({exc}); export it again as "
                         "UTF-8") from None
    suffix = path.suffix.lower()
    if suffix in (".json", ".csljson") or (suffix != ".bib" and text.lstrip()[:1] in "[{"):
        return read_csl_json(text)
    return read_bibtex(text)


def sources_yaml(found: Imported, origin: str) -> str:
    """The draft file: a header saying where it came from, then ``sources:``.

    Text stays text (quoted where YAML would read it otherwise); ``year`` is a whole number.

    >>> print(sources_yaml(Imported({"a": {"type": "report", "citation": "yes", "doi": "10.10"}}),
    ...                    "refs.bib"), end="")
    # Sources imported from refs.bib by `ptgraph sources import`: a draft.
    # Check each type (interview, observation, document, study, report, other) and citation.
    sources:
      a:
        type: report
        citation: 'yes'
        doi: '10.10'
    """
    header = (f"# Sources imported from {origin} by `ptgraph sources import`: a draft.\n"
              "# Check each type (interview, observation, document, study, report, other) "
              "and citation.\n")
    body = yaml.safe_dump({"sources": found.sources}, sort_keys=False, allow_unicode=True,
                          width=100, default_flow_style=False)
    return header + body
