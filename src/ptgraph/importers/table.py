"""``ptgraph import table``: a team's CMOC table (markdown, CSV, Excel, Word) as a draft theory.

Two layouts are recognised from a table's header row:

* **statement** — one column of statements with inline markers, each closing
  the span it marks (``... through a GP (C) provides credibility ... (M)``;
  see :mod:`ptgraph.importers.markers`);
* **columns** — separate context, mechanism and outcome columns (a statement
  column beside them is kept as the statement).

Areas come from an area column (a blank cell continues the area above) or
from section rows: a row whose only text is in its first cell, a merged cell
spanning the whole row (Word, Excel), or, in a one-column table, a bold row.
A leading "CMOCs on" is dropped from a section's label ("CMOCs on enrolment"
is the area "Enrolment"). CMOC ids come from an id column, or are made from
the area ("Knowledge sharing" gives KS1, KS2, ...).

Each marked span (or column cell) becomes a concept: labels equal after
folding case, spaces and punctuation are one concept; near-duplicates are
left apart, each with a comment naming its likely twin and the similarity,
for the researcher to merge. Rows that cannot be read are reported with
their place and reason; the rest is written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, PtgraphError, UsageError
from ..schema import CONFIDENCE_LEVELS, ID_RE
from . import TABLE_READERS
from ._cells import RawRow, RawTable
from ..model import REQUIRED_ROLES
from ..model import ROLES as ALL_ROLES
from .markers import (MARKER_RE, MARKER_ROLES, ROLE_LETTERS, MarkerError, Span, has_marker,
                      split_statement)

#: Words of a header cell (folded: lower case, punctuation as spaces) -> the column's role.
#: The resource, reasoning, intervention and actor forms go through MARKER_ROLES.
HEADER_ROLES: dict[str, str] = {
    **{w: "id" for w in ("id", "cmoc id", "no", "number", "ref", "code", "cmoc no", "cmoc number")},
    **{w: "area" for w in ("area", "areas", "section", "theme", "domain", "topic", "category",
                           "programme theory area", "program theory area", "cmoc area")},
    **{w: "context" for w in ("context", "contexts", "c")},
    **{w: MARKER_ROLES["M"] for w in ("mechanism", "mechanisms", "m")},
    **{w: MARKER_ROLES["Mreasoning"] for w in ("reasoning", "mechanism reasoning", "response",
                                               "mechanism response", "m reasoning")},
    **{w: MARKER_ROLES["Mresource"] for w in ("resource", "resources", "mechanism resource",
                                              "mechanism resources", "m resource")},
    **{w: "outcome" for w in ("outcome", "outcomes", "o", "result", "results")},
    **{w: MARKER_ROLES["I"] for w in ("intervention", "interventions", "i")},
    **{w: MARKER_ROLES["A"] for w in ("actor", "actors", "a")},
    **{w: "evidence" for w in ("evidence", "quotes", "evidence count", "quote count")},
    **{w: "sources" for w in ("sources", "source count", "studies")},
    **{w: "confidence" for w in ("confidence", "confidence level", "cerqual", "certainty")},
}
#: A header holding one of these words is the statement column.
STATEMENT_WORDS = ("cmoc", "cmocs", "configuration", "configurations", "statement", "statements",
                   "programme theory", "program theory")
ROLES = REQUIRED_ROLES  # every CMOC needs these; resource, intervention, actor are optional
_SECTION_PREFIX = re.compile(r"^\s*(?:CMOCs?|configurations?)\s+(?:on|about|for|of|relating to|"
                             r"related to|concerning)\s+", re.IGNORECASE)
_STOP = {"a", "an", "the", "of", "on", "to", "in", "for", "and", "or", "as", "with", "by", "at",
         "cmoc", "cmocs", "their", "its", "is", "are", "be", "this", "that", "they", "them"}
#: Longest concept id made from a label, in words.
ID_WORDS = 6
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class RowProblem:
    """A row, or a whole table, that could not be imported: where and why."""

    place: str
    message: str


@dataclass
class Twin:
    """Two concepts whose labels may say one idea (see :mod:`ptgraph.importers.similar`).

    ``similarity`` is 0-100, ``sure`` ``"likely"`` or ``"possible"``, ``shared`` the
    word stems the labels share.
    """

    concept: str
    other: str
    similarity: float
    sure: str = "likely"
    shared: tuple[str, ...] = ()


@dataclass
class Draft:
    """What an import found.

    ``areas``: id -> label; ``concepts``: id -> label; ``cmocs``: id -> fields as
    written to YAML; ``origin``: id -> place of the row or section row it came
    from; ``twins``: near-duplicate concept pairs (each pair once); ``problems``
    and ``notes`` as ``(place, message)``.
    """

    path: Path
    areas: dict[str, str] = field(default_factory=dict)
    concepts: dict[str, str] = field(default_factory=dict)
    cmocs: dict[str, dict[str, Any]] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)
    twins: list[Twin] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[RowProblem] = field(default_factory=list)

    def where(self, place: str, name_only: bool = False) -> str:
        """``FILE:LINE`` for a line number, ``FILE: sheet 'x', row 5`` otherwise (``name_only``:
        the file's name without its folder, for comments in the draft)."""
        path = self.path.name if name_only else str(self.path)
        return f"{path}:{place}" if place.isdigit() else f"{path}: {place}" if place else path


def fold(text: str) -> str:
    """Text for comparing labels: case, accents, spaces and punctuation folded.

    >>> fold("  Feel less-alone! "), fold("FEEL LESS ALONE")
    ('feel less alone', 'feel less alone')
    """
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch if ch.isalnum() else " " for ch in text if not unicodedata.combining(ch))
    return " ".join(text.split())


def slug(text: str, words: int = ID_WORDS, drop: set[str] = _STOP) -> str:
    """An id from a label: the first ``words`` words that say something, joined by '-'.

    >>> slug("Being referred through a GP"), slug("Link workers' advocacy role")
    ('being-referred-through-gp', 'link-workers-advocacy-role')
    """
    parts = [w for w in fold(text.replace("'", "").replace("’", "")).split() if w not in drop]
    parts = parts or fold(text).split()
    return "-".join(parts[:words]) or "x"


def _unique(base: str, taken) -> str:
    ident, n = base, 1
    while ident in taken:
        n += 1
        ident = f"{base}-{n}"
    return ident


def header_role(text: str) -> str | None:
    """The role of a header cell, or None.

    >>> header_role("Context (C)"), header_role("CMOC statement"), header_role("Notes")
    ('context', 'statement', None)
    """
    words = fold(text)
    if words in HEADER_ROLES:
        return HEADER_ROLES[words]
    trimmed = re.sub(r"\s+(?:c|m|o)$", "", words)  # "Context (C)"
    if trimmed in HEADER_ROLES:
        return HEADER_ROLES[trimmed]
    if any(re.search(rf"\b{w}\b", words) for w in STATEMENT_WORDS):
        return "statement"
    return None


@dataclass
class Layout:
    """Which column holds what, for one table. ``header`` is False for a table without one;
    ``start`` is the index of the header row (a table's title may sit in the rows above)."""

    columns: dict[str, list[int]]
    header: bool = True
    start: int = 0

    def first(self, role: str) -> int | None:
        found = self.columns.get(role)
        return found[0] if found else None

    @property
    def by_columns(self) -> bool:
        return any(role in self.columns for role in ROLES)


#: How many rows above its header a table may have (a title, a note, a blank row).
HEADER_SEARCH = 5


def detect_layout(table: RawTable) -> Layout | None:
    """The layout of a table from its header row, or None when it is no CMOC table.

    The header is the first row, or one of the next :data:`HEADER_SEARCH` when
    the rows above it hold no marker ("Table 2. Refined programme theory" in the
    first cell of a spreadsheet). A first row that already holds marked
    statements is no header: the statement column is then the one with the
    most markers.
    """
    if not table.rows:
        return None
    best: Layout | None = None  # the row naming the most columns: a title may name one
    for start, row in enumerate(table.rows[:HEADER_SEARCH + 1]):
        if start and any(has_marker(c.text) for c in row.cells):
            break  # data: the header is above it, or there is none
        columns: dict[str, list[int]] = {}
        for i, cell in enumerate(row.cells):
            role = header_role(cell.text) if cell.text.strip() else None
            if role:
                columns.setdefault(role, []).append(i)
        found = "statement" in columns or any(role in columns for role in ROLES)
        if found and (best is None or len(columns) > len(best.columns)):
            best = Layout(columns, start=start)
    if best is not None:
        return best
    counts = [0] * table.width
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            counts[i] += has_marker(cell.text)
    if any(has_marker(c.text) for c in table.rows[0].cells):
        return Layout({"statement": [counts.index(max(counts))]}, header=False)
    return None


def section_label(text: str) -> str:
    """An area label from a section row: a leading "CMOCs on" dropped, first letter up.

    >>> section_label("CMOCs on link workers' interpersonal skills")
    "Link workers' interpersonal skills"
    """
    label = " ".join(_SECTION_PREFIX.sub("", text).split())
    return label[:1].upper() + label[1:]


def area_prefix(label: str, taken: set[str]) -> str:
    """The letters of a CMOC id made from an area: initials of its last two words that say
    something ("Knowledge sharing" KS), or the first two letters of one ("Enrolment" EN).

    >>> area_prefix("Link worker as an anchor point", set()), area_prefix("Enrolment", set())
    ('AP', 'EN')
    >>> area_prefix("A", set())
    'A'
    """
    words = ([w for w in fold(label).split() if w not in _STOP and w[0].isalpha()]
             or [w for w in fold(label).split() if w[0].isalpha()])  # area "A": A1, A2
    base = ("".join(w[0] for w in words[-2:]) if len(words) > 1 else
            (words[0][:2] if words else "C")).upper()
    prefix, n = base, 1
    while prefix in taken:
        n += 1
        prefix = f"{base}{chr(ord('A') + n - 2)}"
    return prefix


#: What a researcher may have meant as a marker: (c), [C], (Context), (C1), (M resource), (Mres).
_NEAR_MARKER = re.compile(r"[(\[]\s*(?:[cmoia]\d*|context|mechanism|outcome|resource|reasoning|"
                          r"m[\s_-]*(?:res|rea)\w*)\s*[)\]]", re.IGNORECASE)


#: What the messages about a near-marker say the markers are.
_MARKERS_WRITTEN = "markers are written (C), (M), (O), (Mresource), (Mreasoning), (I) or (A)"


def _concepts_of(fields: dict[str, Any], role: str) -> list[str]:
    """The concept ids a draft CMOC's ``role`` names (the YAML holds one id, or a list)."""
    value = fields.get(role)
    return value if isinstance(value, list) else [value] if value else []


def _configuration_key(fields: dict[str, Any]) -> tuple:
    """What ``check`` compares two CMOCs by (rule E203): the concepts of each role."""
    return tuple(frozenset(_concepts_of(fields, r)) for r in ALL_ROLES)


def _after_words(text: str, n: int) -> str:
    """``text`` after its first ``n`` words (letters and digits)."""
    found = list(re.finditer(r"\w+", text))
    return text[found[n - 1].end():] if len(found) >= n else ""


class _Importer:
    def __init__(self, path: Path) -> None:
        self.draft = Draft(path)
        self.configurations: dict[tuple, str] = {}  # configuration -> the CMOC stating it
        self.marked_beside_columns = False
        self.by_fold: dict[str, str] = {}  # folded label -> concept id
        self.prefixes: dict[str, str] = {}  # area id -> id prefix
        self.counters: dict[str, int] = {}
        self.area_labels: dict[str, str] = {}  # folded label -> area id

    # -- pieces -------------------------------------------------------------
    def concept(self, label: str) -> str:
        key = fold(label)
        if key not in self.by_fold:
            ident = _unique(slug(label), self.draft.concepts)
            self.by_fold[key] = ident
            self.draft.concepts[ident] = label
        return self.by_fold[key]

    def area(self, label: str, place: str, number: int | None = None) -> str:
        key = fold(label)
        known = self.area_labels.get(key)
        if known is not None and self.draft.areas[known] != label and number is not None:
            self.draft.notes.append(RowProblem(place, f"row {number}: area '{label}' is read as "
                                               f"'{self.draft.areas[known]}', written so above"))
        if key not in self.area_labels:
            ident = _unique(slug(label, words=4), self.draft.areas)
            self.area_labels[key] = ident
            self.draft.areas[ident] = label
            self.draft.origin.setdefault(f"area:{ident}", place)
        return self.area_labels[key]

    def new_id(self, area: str) -> str:
        if area not in self.prefixes:
            self.prefixes[area] = area_prefix(self.draft.areas.get(area, ""),
                                              set(self.prefixes.values()))
        prefix = self.prefixes[area]
        while True:
            self.counters[prefix] = self.counters.get(prefix, 0) + 1
            ident = f"{prefix}{self.counters[prefix]}"
            if ident not in self.draft.cmocs:
                return ident

    def problem(self, row: RawRow, message: str) -> None:
        self.draft.problems.append(RowProblem(row.place, f"row {row.number}: {message}"))

    # -- a table --------------------------------------------------------------
    def table(self, table: RawTable) -> None:
        layout = detect_layout(table)
        if layout is None:
            first = " | ".join(c.text.strip() for c in table.rows[0].cells)[:80] if table.rows else ""
            self.draft.notes.append(RowProblem(table.rows[0].place if table.rows else "",
                f"{table.name} is not a CMOC table (its first row, '{first}', names no "
                "statement column nor context, mechanism and outcome columns, and holds no "
                "(C)/(M)/(O) markers); left out"))
            return
        if layout.header:
            head = table.rows[layout.start]
            for row in table.rows[:layout.start]:
                text = " | ".join(c.text.strip() for c in row.cells if c.text.strip())
                if text:
                    self.draft.notes.append(RowProblem(row.place, f"row {row.number} ('{text[:80]}') "
                                                       "is above the header row; not imported"))
            for role in ("evidence", "sources"):
                for i in layout.columns.get(role, ()):
                    self.draft.notes.append(RowProblem(head.place,
                        f"column {i + 1} ('{head.cells[i].text.strip()}') holds counts, "
                        "which come from the theory's evidence; not imported"))
            known = {i for cols in layout.columns.values() for i in cols}
            for i, cell in enumerate(head.cells):
                if cell.text.strip() and i not in known:
                    self.draft.notes.append(RowProblem(head.place,
                        f"column {i + 1} ('{cell.text.strip()}') is not imported"))
        area: str | None = None
        rows = table.rows[layout.start + 1:] if layout.header else table.rows
        self.marked_beside_columns = False
        for row in rows:
            area = self.row(row, layout, area)

    def is_section(self, row: RawRow, layout: Layout, texts: list[str]) -> str | None:
        """The section label a row holds, or None when it is not a section row."""
        filled = [i for i, t in enumerate(texts) if t.strip()]
        if not filled or any(has_marker(texts[i]) for i in filled):
            return None
        text = texts[filled[0]].strip()
        data = [layout.first(r) for r in ("statement", *ROLES) if layout.first(r) is not None]
        if row.spans_row:
            return text
        if len(filled) == 1 and all(c.bold for c in row.cells if c.text.strip()):
            return text
        if len(filled) == 1 and filled[0] == 0 and 0 not in data and len(row.cells) > 1:
            return text
        if len(filled) > 1 and len({texts[i].strip() for i in filled}) == 1:
            return text  # a merged cell some converters repeat in every column
        return None

    def row(self, row: RawRow, layout: Layout, area: str | None) -> str | None:
        texts = [c.text for c in row.cells]
        if not any(t.strip() for t in texts):
            return area
        if row.problem:
            self.problem(row, row.problem)
            return area
        section = self.is_section(row, layout, texts)
        if section is not None:
            return self.area(section_label(section), row.place, row.number)

        def cell(role: str) -> str:
            i = layout.first(role)
            return texts[i] if i is not None and i < len(texts) else ""

        for i in sorted(row.merged_down):
            if i != layout.first("area"):
                self.problem(row, f"the cell in column {i + 1} is merged with the one above; "
                                  "unmerge it and write the text in each row")
                return area
        if layout.first("area") is not None and cell("area").strip():
            area = self.area(section_label(cell("area")), row.place, row.number)
        fields = self.configuration(row, layout, cell)
        if fields is None:
            return area
        markup = list(dict.fromkeys(m for c in row.cells for m in c.markup))
        if markup:
            self.draft.notes.append(RowProblem(row.place, f"row {row.number}: markdown "
                f"{', '.join(markup)} read as plain text; the words are kept as written"))
        ident = cell("id").strip()
        if ident:
            if not ID_RE.match(ident):
                self.problem(row, f"id '{ident}' is not an id (letters, digits, '_', '.' and '-', "
                                  "starting with a letter or digit)")
                return area
            if ident in self.draft.cmocs:
                self.problem(row, f"id '{ident}' is used already, at "
                                  f"{self.draft.where(self.draft.origin[ident])}")
                return area
        if area is None:
            area = self.area("No area given", row.place)
            self.draft.notes.append(RowProblem(row.place, f"row {row.number}: no area column or "
                                               "section row before it; put in the area 'No area given'"))
        key = _configuration_key(fields)
        same = self.configurations.get(key)
        if same is not None:
            parts = [r for r in ALL_ROLES if r in fields]
            self.problem(row, f"the same {', '.join(parts[:-1])} and {parts[-1]} as "
                              f"{same} ({self.draft.where(self.draft.origin[same])}); a theory "
                              "states a configuration once: merge the two rows, or tell them apart")
            return area
        ident = ident or self.new_id(area)
        entry = {"area": area, **fields}
        confidence = self.confidence(row, cell("confidence"))
        if confidence:
            entry["confidence"] = confidence
        self.configurations[key] = ident
        self.draft.cmocs[ident] = entry
        self.draft.origin[ident] = row.place
        return area

    def confidence(self, row: RawRow, text: str) -> dict[str, str] | None:
        """A confidence cell as ``{level, rationale}``: "Moderate (downgraded for coherence)"
        is the level moderate with its words after as the rationale."""
        words = fold(text).split()
        for n in (2, 1):  # "very low" before "low"
            level = "-".join(words[:n])
            if len(words) >= n and level in CONFIDENCE_LEVELS:
                found = {"level": level}
                rest = _after_words(text, n).strip(" \t\n,;:.–—-()[]")
                if rest:
                    found["rationale"] = rest
                return found
        if text.strip():
            self.draft.notes.append(RowProblem(row.place, f"row {row.number}: confidence "
                f"'{text.strip()}' begins with none of {', '.join(CONFIDENCE_LEVELS)}; left out"))
        return None

    def configuration(self, row: RawRow, layout: Layout, cell) -> dict[str, Any] | None:
        statement = cell("statement")
        if layout.by_columns:
            if has_marker(statement) and not self.marked_beside_columns:
                self.marked_beside_columns = True
                self.draft.notes.append(RowProblem(row.place, f"row {row.number}: the statements "
                    "are marked and there are context, mechanism and outcome columns too; the "
                    "concepts come from the columns, the statements are kept as written"))
            spans: list[Span] = []
            for role_column, roles in layout.columns.items():
                if role_column not in ALL_ROLES:
                    continue
                for i in roles:
                    text = row.cells[i].text if i < len(row.cells) else ""
                    for part in re.split(r"[;\n]", text):
                        if part.strip():
                            spans.append(Span(role_column, ROLE_LETTERS[role_column],
                                              " ".join(part.split()), part))
            missing = [r for r in ROLES if not any(s.role == r for s in spans)]
            if missing:
                hint = ("; a resource column holds what the programme offers, the mechanism "
                        "(reasoning) it triggers needs a column of its own"
                        if "mechanism" in missing and "resource" in layout.columns else "")
                self.problem(row, f"no {' or '.join(missing)} in its column"
                                  f"{'s' * (len(missing) > 1)}{hint}")
                return None
            if not statement.strip():
                statement = " ".join(f"{s.label} ({s.marker})" for r in ALL_ROLES
                                     for s in spans if s.role == r)
            elif not set(fold(statement).split()) & {w for s in spans for w in fold(s.label).split()}:
                column = layout.first("statement")
                self.draft.notes.append(RowProblem(row.place, f"row {row.number}: column "
                    f"{column + 1} ('{statement.strip()[:40]}') is taken as the statement, but it "
                    "has no word of the row's context, mechanism or outcome; if it is a label, "
                    "rename its header (a statement column's header says CMOC, configuration or "
                    "statement)"))
        else:
            if not statement.strip():
                self.problem(row, f"no statement in column {layout.first('statement') + 1}")
                return None
            try:
                spans = split_statement(statement)
            except MarkerError as exc:
                self.problem(row, str(exc))
                return None
            if not spans:
                near = _NEAR_MARKER.search(statement)
                seen = f"; '{near.group()}' is not one, {_MARKERS_WRITTEN}" if near else ""
                self.problem(row, "the statement has no (C), (M) or (O) marker; mark the words "
                                  "of each context, mechanism and outcome (a section heading "
                                  f"goes alone in the first cell of its row, or in bold){seen}")
                return None
            missing = [f"{r} ({ROLE_LETTERS[r]})" for r in ROLES if not any(s.role == r for s in spans)]
            if missing:
                self.problem(row, f"the statement marks no {' and no '.join(missing)}")
                return None
            near = [m.group() for m in _NEAR_MARKER.finditer(statement)
                    if not MARKER_RE.fullmatch(m.group())]
            if near:
                one = len(near) == 1
                self.draft.notes.append(RowProblem(row.place, f"row {row.number}: "
                    f"{', '.join(repr(n) for n in near)} "
                    f"{'looks like a marker but is none, so it is' if one else 'look like markers but are none, so they are'} "
                    f"read as words of a span; {_MARKERS_WRITTEN}"))
        fields: dict[str, Any] = {"statement": statement}
        for role in ALL_ROLES:  # in the format's order; the optional parts only when marked
            ids = list(dict.fromkeys(self.concept(s.label) for s in spans if s.role == role))
            if ids or role in ROLES:
                fields[role] = ids[0] if len(ids) == 1 else ids
        return fields

    def drop_unused_concepts(self) -> None:
        """Concepts only refused rows named: not in the draft (``check`` would warn of each)."""
        used = {c for f in self.draft.cmocs.values() for r in ALL_ROLES for c in _concepts_of(f, r)}
        self.draft.concepts = {c: label for c, label in self.draft.concepts.items() if c in used}

    # -- near-duplicates -----------------------------------------------------
    def find_twins(self) -> None:
        """Pairs of concepts that may be one idea, each pair once, in the draft's order."""
        from .similar import Use, candidates

        uses: dict[str, list[Use]] = {}
        for ident, fields in self.draft.cmocs.items():
            for role in ALL_ROLES:
                for concept in _concepts_of(fields, role):
                    uses.setdefault(concept, []).append(Use(ident, role, fields["area"]))
        order = {c: i for i, c in enumerate(self.draft.concepts)}
        for concept, found in candidates(self.draft.concepts, uses).items():
            for c in found:
                if order[concept] < order[c.other]:
                    self.draft.twins.append(Twin(concept, c.other, c.similarity, c.sure, c.shared))
        self.draft.twins.sort(key=lambda t: (order[t.concept], -t.similarity, order[t.other]))


def read_tables(path: Path) -> list[RawTable]:
    """The tables of a file, by its suffix.

    Raises
    ------
    UsageError
        No such file, or a suffix no reader takes.
    InputError
        The file is empty, password-protected, corrupt or not text where text is expected.
    """
    suffix = path.suffix.lower()
    if suffix not in TABLE_READERS:
        raise UsageError(f"{path}: cannot read '{suffix or path.name}' files; give one of "
                         f"{', '.join(sorted(TABLE_READERS))}")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as exc:
        raise PtgraphError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if not data.strip():
        raise InputError(f"{path}: the file is empty; there is no table to import")
    kind = {".xlsx": "Excel workbook", ".xlsm": "Excel workbook", ".docx": "Word document"}.get(suffix)
    if kind and data.startswith(OLE_MAGIC):
        raise InputError(f"{path}: the {kind} is password-protected (encrypted), or an old "
                         f"binary {'.doc' if suffix == '.docx' else '.xls'} file; save an "
                         f"unprotected copy as {suffix} and import that")
    try:
        return TABLE_READERS[suffix](path, data)
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start + 1}); save it as UTF-8") from None
    except Exception as exc:  # the readers' libraries raise many kinds for a damaged file
        if not kind:
            raise
        why = re.sub(r"file '?<_io\.\w+ object at 0x[0-9a-f]+>'? ", "", str(exc))[:120]
        raise InputError(f"{path}: not a readable {kind} ({why or 'damaged'}); open it in its "
                         "program and save it again") from None


def import_table(path: str | Path) -> Draft:
    """Read a CMOC table file into a draft theory.

    Parameters
    ----------
    path : str or Path
        A ``.md``/``.markdown``, ``.csv``, ``.xlsx``/``.xlsm`` or ``.docx`` file.

    Returns
    -------
    Draft
        The areas, concepts and CMOCs read, the near-duplicate concepts, and
        every row that could not be read with its place and reason.

    Raises
    ------
    UsageError, InputError
        See :func:`read_tables`; InputError also when no table in the file is a
        CMOC table.
    """
    path = Path(path)
    tables = read_tables(path)
    importer = _Importer(path)
    for table in tables:
        importer.table(table)
    if not importer.draft.cmocs and not importer.draft.problems:
        notes = "; ".join(n.message for n in importer.draft.notes) or "it holds no table"
        raise InputError(f"{path}: no CMOC table found ({notes})")
    importer.drop_unused_concepts()
    importer.find_twins()
    return importer.draft


# -- writing the draft ------------------------------------------------------------

def _dump(value: Any) -> str:
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=88,
                          default_flow_style=False)


def _entry(ident: str, fields: Any, comments: list[str]) -> str:
    body = _dump({ident: fields})
    lines = [f"  # {c}" for c in comments] + ["  " + line if line else line
                                               for line in body.splitlines()]
    return "\n".join(lines) + "\n"


def _twins_of(draft: Draft, concept: str) -> list[tuple[str, Twin]]:
    """The concept's twins as (other concept, pair), best first."""
    found = [(t.other if t.concept == concept else t.concept, t) for t in draft.twins
             if concept in (t.concept, t.other)]
    return sorted(found, key=lambda x: -x[1].similarity)


def _twin_comment(draft: Draft, twin: tuple[str, Twin]) -> str:
    other, t = twin
    shares = f"; shares {', '.join(t.shared)}" if t.shared else ""
    return f"{t.sure} twin: {other} '{draft.concepts[other]}' (similarity {t.similarity:g}{shares})"


def twin_report(draft: Draft) -> list[str]:
    """The near-duplicates as lines for the import report, grouped by concept.

    Each pair is listed once, under the concept the draft names first, its
    candidates best first, each with how sure (likely, possible) and its
    similarity; a concept with no pair left to list is left out.

    >>> d = Draft(Path("t.md"), concepts={"a": "Less stressed", "b": "Feel less stressed"},
    ...           twins=[Twin("a", "b", 72.5, "likely", ("less", "stress"))])
    >>> print("\\n".join(twin_report(d)))
    t.md: twins of 'a' (Less stressed); merge those that are one idea:
      likely    72.5  'b' (Feel less stressed)
    """
    lines: list[str] = []
    by_concept: dict[str, list[Twin]] = {}
    for t in draft.twins:
        by_concept.setdefault(t.concept, []).append(t)
    for concept, twins in by_concept.items():
        lines.append(f"{draft.path}: twins of '{concept}' ({draft.concepts[concept]}); "
                     "merge those that are one idea:")
        lines += [f"  {t.sure:<8} {t.similarity:5.1f}  '{t.other}' ({draft.concepts[t.other]})"
                  for t in sorted(twins, key=lambda t: -t.similarity)]
    return lines


def draft_files(draft: Draft, theory_id: str | None = None) -> dict[str, str]:
    """The draft theory as files: relative path -> YAML text.

    ``theory.yaml`` (the manifest), ``areas.yaml``, ``concepts.yaml`` (with a
    comment above each concept that has a likely twin) and
    ``cmocs/AREA.yaml`` per area (a comment names each CMOC's row).
    """
    name = draft.path.name
    ident = theory_id or slug(draft.path.stem, words=8, drop=set())
    files = {"theory.yaml": _dump({"ptgraph": 1, "theory": {
        "id": ident if ID_RE.match(ident) else "imported",
        "title": f"Imported from {name}",
        "description": f"A draft made by `ptgraph import table` from {name}: check the concepts "
                       "and merge the near-duplicates its comments name.",
    }})}
    files["areas.yaml"] = ("areas:\n" if draft.areas else "areas: {}\n") + "".join(
        _entry(a, {"label": label}, [f"from {draft.where(draft.origin.get(f'area:{a}', ''), True)}"])
        for a, label in draft.areas.items())
    files["concepts.yaml"] = (
        "# Each marked span of a statement is a concept; spans that read the same (case, spaces\n"
        "# and punctuation aside) are one. Near-duplicates are not merged: a comment names each\n"
        "# concept's likely and possible twins with their similarity (0-100) and the word stems\n"
        "# they share; merge those that are one idea.\n"
        + ("concepts:\n" if draft.concepts else "concepts: {}\n") + "".join(
            _entry(c, {"label": label}, [_twin_comment(draft, t) for t in _twins_of(draft, c)])
            for c, label in draft.concepts.items()))
    for area in draft.areas:
        entries = [(m, f) for m, f in draft.cmocs.items() if f["area"] == area]
        if entries:
            files[f"cmocs/{area}.yaml"] = "cmocs:\n" + "".join(
                _entry(m, f, [f"from {draft.where(draft.origin[m], True)}"]) for m, f in entries)
    return files


def write_draft(draft: Draft, outdir: Path, *, force: bool = False,
                theory_id: str | None = None,
                removed: list[Path] | None = None) -> list[Path]:
    """Write the draft theory into ``outdir`` and return the files written; the files
    ``force`` removed first are appended to ``removed``, for the report.

    Raises
    ------
    UsageError
        ``outdir`` exists and is not empty, and ``force`` is not given. With
        ``force`` the theory files (``*.yaml``, ``*.yml``) already in it are
        removed first, so that no old file merges into the new draft.
    """
    from ..render import write_atomic

    if outdir.exists() and not outdir.is_dir():
        raise UsageError(f"{outdir} is a file; give a folder for the draft theory")
    if outdir.exists() and any(outdir.iterdir()):
        if not force:
            raise UsageError(f"{outdir} exists and is not empty; choose another folder, or add "
                             "--force to replace the theory files in it")
        for old in sorted([*outdir.rglob("*.yaml"), *outdir.rglob("*.yml")]):
            old.unlink()
            if removed is not None:
                removed.append(old)
    written = []
    for rel, text in draft_files(draft, theory_id).items():
        target = outdir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, text.encode("utf-8"))
        written.append(target)
    return written


__all__ = ["Draft", "RowProblem", "Twin", "draft_files", "fold", "twin_report",
           "import_table", "read_tables", "slug", "write_draft"]
