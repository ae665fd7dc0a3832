"""``ptgraph import qdpx``: coded segments of a REFI-QDA project as evidence.

NVivo, ATLAS.ti, MAXQDA and QualCoder export a project as a ``.qdpx``: a zip archive
holding ``project.qde`` (XML, the standard's ``Project`` schema: codebook, cases,
variables, sources with their selections and codings) and the text of each source under
``sources/``. This module reads the segments coded with codes that name CMOCs and turns
each into an evidence entry of the theory format::

    sources:
      Interview-P01:
        type: interview
        citation: Interview P01.txt
        participant: P01
    evidence:
      qda-4191294a:
        quote: Oh, that was great. See you tomorrow?
        supports: [EN4]
        source: Interview-P01

What it reads:

- **Codes** match CMOCs by GUID (the codebook ``ptgraph export codebook`` writes), by
  name (``EN4``, ``EN4 GP referral``, ``Enrolment::EN4``), or through a mapping file
  (code name or GUID -> CMOC ids, ``supports`` or ``refutes``).
- **Text selections** (``PlainTextSelection``) in a text source, or in the plain-text
  representation of a PDF or Word source: the quote is the source's text between
  ``startPosition`` and ``endPosition``, counted in Unicode code points from 0, the end
  excluded (as the standard's example projects and the programs write them).
- **Participant, wave and site** from the variables of the source or of the cases that
  refer to it or to the selection (variables named ``participant``, ``wave``, ``site``),
  else from the document name (``P07``, ``Site2P03``, ``follow-up``).

Picture, PDF-region, audio, video and transcript selections, and codings of a whole
source, have no text to quote: when coded with a CMOC they are reported and not
imported, never dropped silently.

Importing again (a project re-exported as coding goes on) writes only what the theory
does not have yet. A segment's quote for a CMOC is already in the theory when an evidence
entry of the same document (its ``source:`` is the document's source) bears on that CMOC
and is the selection's own entry (its id is the one the selection's GUID gives) with the
same text, or, where no entry is the selection's own (a program that writes new GUIDs at
each export), has the same text and stands for no other segment yet: it is counted and
skipped. A document already a source of the
theory keeps that source. When the selection's own entry has another text, the segment
changed since it was imported: it is reported, never written again.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml
from lxml import etree

from ..errors import InputError
from ..loader import LINE_SEPARATORS, read_file
from ..model import Evidence, Theory
from ..refi import CODEBOOK_NS, PROJECT_NS, guid, parser, plain_guid
from ..schema import ID_RE, WAVES

#: ``project.qde`` larger than this is refused before it is read (a zip can hold a bomb).
MAX_PROJECT_BYTES = 512 * 2**20
#: A source text larger than this is refused (the standard allows 2 GiB; a transcript is kB).
MAX_SOURCE_BYTES = 256 * 2**20
#: Elements that hold a text (``TextSourceType`` of the schema) and so may hold text selections.
TEXT_HOLDERS = ("TextSource", "Representation", "TextDescription")
#: Elements that are sources (the children of ``Sources``).
SOURCE_KINDS = ("TextSource", "PictureSource", "PDFSource", "AudioSource", "VideoSource")
#: What each unreadable selection is, for messages.
SELECTION_KINDS = {
    "PictureSelection": "a picture region", "PDFSelection": "a PDF region",
    "AudioSelection": "an audio clip", "VideoSelection": "a video clip",
    "TranscriptSelection": "a transcript selection between sync points",
}
#: Variable names (folded: lower case, ``_`` and ``-`` as spaces) read as each field.
FIELD_VARIABLES = {
    "participant": ("participant", "participant id", "participant code", "respondent",
                    "interviewee", "patient"),
    "wave": ("wave", "round", "time point", "timepoint", "data collection"),
    "site": ("site", "setting", "practice"),
}
#: A participant code in a document name: ``P07``, ``Site2P03`` (letters, digits, a P number).
PARTICIPANT_IN_NAME = re.compile(r"(?<![A-Za-z0-9])((?:[A-Za-z]+ ?\d+ ?)?P\d+)(?![A-Za-z0-9])")
#: A separator after a CMOC id at the start of a code name: ``EN4 GP referral``, ``EN4: ...``.
AFTER_ID = re.compile(r"\s*(?:[:\-\u2013\u2014.)]\s*|\s)")
INTERVIEW_WORDS = re.compile(r"(?i)interview|transcript|focus.?group")


@dataclass
class Imported:
    """What an import found.

    ``sources`` and ``evidence`` are the entries to write (id -> fields, in project order);
    ``problems`` are ``(line, message)`` of coded segments that could not be imported
    (lines of ``project.qde``); ``notes`` say what was read in a way worth checking;
    ``unmatched`` counts, per code that names no CMOC, the segments coded with it;
    ``already`` counts the quotes skipped because the theory has them, and ``changed`` is
    ``(line, message)`` of segments whose text changed since they were imported.
    """

    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    evidence: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    unmatched: dict[str, int] = field(default_factory=dict)
    segments: int = 0  # coded selections read, of every kind
    already: int = 0
    changed: list[tuple[int, str]] = field(default_factory=list)

    @property
    def cmocs(self) -> set[str]:
        """The CMOCs the imported quotes bear on."""
        return {c for e in self.evidence.values() for key in ("supports", "refutes")
                for c in e.get(key, ())}

    @property
    def cited(self) -> set[str]:
        """The sources (new or already in the theory) the imported quotes come from."""
        return {e["source"] for e in self.evidence.values()}


@dataclass
class Project:
    """An opened REFI-QDA project: its ``project.qde`` root and a way to read its sources.

    ``where`` names ``project.qde`` in messages (``study.qdpx/project.qde``).
    """

    where: str
    root: etree._Element
    read_internal: Callable[[str], bytes | None]


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in element if _local(c) == name]


# --- opening the file -------------------------------------------------------------------------

def open_project(path: str | Path) -> Project:
    """Open a ``.qdpx`` archive (or a bare ``project.qde`` beside its ``sources/`` folder).

    Parameters
    ----------
    path : str or Path
        The file the QDA program exported.

    Returns
    -------
    Project

    Raises
    ------
    InputError
        The file is not a zip archive or XML, is damaged or password-protected, has no
        ``project.qde``, or its XML is not well formed or not a REFI-QDA project; the
        message names the file and, for XML, the line and column.
    """
    path = Path(path)
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})") from None
    if head.startswith(b"PK"):
        return _open_zip(path)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        if path.stat().st_size > MAX_PROJECT_BYTES:
            raise InputError(f"{path}: over {MAX_PROJECT_BYTES // 2**20} MiB; not read")
        return Project(str(path), _parse(path.read_bytes(), str(path)), _folder_reader(path.parent))
    raise InputError(f"{path}: not a REFI-QDA project: a .qdpx file is a zip archive holding "
                     "project.qde; export the project again from the QDA program (REFI-QDA "
                     "project, .qdpx)")


def _open_zip(path: Path) -> Project:
    try:
        archive = zipfile.ZipFile(path)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise InputError(f"{path}: the zip archive is damaged ({exc}); export the project "
                         "again") from None
    by_name = {m.filename.lower(): m for m in members if not m.is_dir()}
    qde = by_name.get("project.qde")
    if qde is None:  # re-zipped by hand: one folder around everything
        nested = [m for name, m in by_name.items() if name.endswith("/project.qde")
                  and name.count("/") == 1]
        qde = nested[0] if len(nested) == 1 else None
    if qde is None:
        raise InputError(f"{path}: the archive has no project.qde, so it is not a REFI-QDA "
                         "project (.qdpx); export the project again from the QDA program")
    prefix = qde.filename[: -len("project.qde")].lower()
    where = f"{path}/{qde.filename}"
    if any(m.flag_bits & 0x1 for m in members):
        raise InputError(f"{path}: the archive is password-protected; export the project "
                         "again without a password")
    if qde.file_size > MAX_PROJECT_BYTES:
        raise InputError(f"{where}: {qde.file_size} bytes, over "
                         f"{MAX_PROJECT_BYTES // 2**20} MiB; not read")

    def read_member(member: zipfile.ZipInfo, limit: int) -> bytes:
        if member.file_size > limit:
            raise InputError(f"{path}/{member.filename}: {member.file_size} bytes, over "
                             f"{limit // 2**20} MiB; not read")
        try:
            return archive.read(member)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
                RuntimeError) as exc:
            raise InputError(f"{path}/{member.filename}: cannot unpack it ({exc}); the "
                             "archive is damaged, export the project again") from None

    root = _parse(read_member(qde, MAX_PROJECT_BYTES), where)

    def read_internal(name: str) -> bytes | None:
        member = by_name.get(f"{prefix}sources/{name}".lower())
        return None if member is None else read_member(member, MAX_SOURCE_BYTES)

    return Project(where, root, read_internal)


def _folder_reader(folder: Path) -> Callable[[str], bytes | None]:
    def read_internal(name: str) -> bytes | None:
        for sub in folder.iterdir():
            if sub.is_dir() and sub.name.lower() == "sources":
                for file in sub.iterdir():
                    if file.name.lower() == name.lower() and file.is_file():
                        if file.stat().st_size > MAX_SOURCE_BYTES:
                            raise InputError(f"{file}: over {MAX_SOURCE_BYTES // 2**20} MiB; "
                                             "not read")
                        return file.read_bytes()
        return None
    return read_internal


def _parse(data: bytes, where: str) -> etree._Element:
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (1, 1)
        raise InputError(f"{where}:{line}:{col}: not well-formed XML ({exc.msg}); export the "
                         "project again") from None
    if _local(root) != "Project" or etree.QName(root).namespace not in (PROJECT_NS, None):
        what = ("a REFI-QDA codebook (.qdc), not a project"
                if etree.QName(root).namespace == CODEBOOK_NS else
                f"<{etree.QName(root).localname}>, not a REFI-QDA <Project>")
        raise InputError(f"{where}:{root.sourceline}: the file is {what}; export the coded "
                         "project (.qdpx) from the QDA program")
    return root


# --- which code is which CMOC -----------------------------------------------------------------

#: What a code is evidence for: ``(supports, refutes)``, CMOC ids in order.
Targets = tuple[tuple[str, ...], tuple[str, ...]]


def read_mapping(path: str | Path, theory: Theory) -> dict[str, Targets]:
    """A mapping file: code name or GUID -> the CMOCs a segment coded with it is evidence for.

    The file is YAML; each key is a code's name or GUID, each value a CMOC id, a list of
    them (the segment supports each), ``{supports: [...], refutes: [...]}``, or ``[]`` (the
    code is no CMOC; its segments are not listed as unmatched)::

        GP referral: EN4
        8f1c2a9e-0b4d-4c3e-9a55-1d2e3f405162: [EN4, EN5]
        doubts about the role: {refutes: [EN1]}

    Returns
    -------
    dict
        Key as written (a GUID without braces, in lower case) -> ``(supports, refutes)``.

    Raises
    ------
    InputError
        The file is not such a mapping, or names a CMOC the theory does not have; the
        message gives ``FILE:LINE:COL``.
    """
    path = Path(path)
    document, issues = read_file(path, str(path))
    if issues:
        issue = issues[0]
        raise InputError(f"{issue.path}:{issue.line}:{issue.col}: {issue.message}")
    data = document.data if document is not None else None
    if not isinstance(data, dict):
        raise InputError(f"{path}:1:1: a mapping file maps code names or GUIDs to CMOC ids "
                         "(`code name: EN4`)")
    out: dict[str, Targets] = {}
    for key, value in data.items():
        line, col = document.mark(key)
        where = f"{path}:{line}:{col}"
        key = document.texts.get((key,), str(key))
        if isinstance(value, dict):
            unknown = sorted(set(value) - {"supports", "refutes"})
            if unknown:
                raise InputError(f"{where}: code '{key}' has '{unknown[0]}'; write supports: "
                                 "and refutes: lists")
            supports, refutes = value.get("supports", []), value.get("refutes", [])
        else:
            supports, refutes = value, []
        lists = []
        for ids in (supports, refutes):
            ids = [ids] if isinstance(ids, str) else ids
            if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                raise InputError(f"{where}: code '{key}' maps to {value!r}; give a CMOC id, a "
                                 "list of them, or {supports: [...], refutes: [...]}")
            missing = [i for i in ids if i not in theory.cmocs]
            if missing:
                raise InputError(f"{where}: code '{key}' maps to '{missing[0]}', which is no "
                                 f"CMOC of theory '{theory.id}'")
            lists.append(tuple(dict.fromkeys(ids)))
        out[plain_guid(key) if _looks_like_guid(key) else key] = (lists[0], lists[1])
    return out


def _looks_like_guid(text: str) -> bool:
    return bool(re.fullmatch(r"\{?[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\}?", text))


class _Codes:
    """Each code of the project and the CMOCs it stands for (with a note when not plain)."""

    def __init__(self, root: etree._Element, theory: Theory, mapping: dict[str, Targets]):
        self.names: dict[str, str] = {}
        self.targets: dict[str, Targets] = {}
        self.notes: list[tuple[int, str]] = []
        exported = {guid(theory.id, "cmoc", c): c for c in theory.cmocs}
        folded = {}
        for c in theory.cmocs:
            folded.setdefault(c.casefold(), []).append(c)
        for book in _children(root, "CodeBook"):
            for code in book.iter():
                if _local(code) != "Code":
                    continue
                key, name = plain_guid(code.get("guid")), code.get("name") or ""
                self.names[key] = name
                self.targets[key] = self._match(key, name, code.sourceline, theory, mapping,
                                                exported, folded)

    def _match(self, key: str, name: str, line: int, theory: Theory,
               mapping: dict[str, Targets], exported: dict[str, str],
               folded: dict[str, list[str]]) -> Targets:
        if key in mapping:
            return mapping[key]
        if name in mapping:
            return mapping[name]
        if key in exported:
            if name.strip() != exported[key]:
                self.notes.append((line, f"code '{name}' is CMOC {exported[key]} (its GUID is "
                                         "that of the exported codebook)"))
            return (exported[key],), ()
        leaf = name.rsplit("::", 1)[-1].strip()  # ATLAS.ti writes a group as "Group::code"
        if leaf in theory.cmocs:
            return (leaf,), ()
        match = [c for c in theory.cmocs if leaf.startswith(c) and AFTER_ID.match(leaf, len(c))]
        how = "its name starts with the CMOC id"
        if not match:
            match, how = folded.get(leaf.casefold(), []), "its name is the CMOC id in other case"
        if len(match) == 1:
            self.notes.append((line, f"code '{name}' is read as CMOC {match[0]} ({how})"))
            return (match[0],), ()
        return (), ()


# --- cases and variables ----------------------------------------------------------------------

def _fold(name: str) -> str:
    return " ".join(re.sub(r"[_\-]", " ", name).casefold().split())


class _Attributes:
    """Participant, wave and site of each source and selection, from variables and cases."""

    def __init__(self, root: etree._Element):
        self.variables = {plain_guid(v.get("guid")): v.get("name") or ""
                          for vs in _children(root, "Variables") for v in _children(vs, "Variable")}
        self.by_source: dict[str, list[dict[str, str]]] = {}
        self.by_selection: dict[str, list[dict[str, str]]] = {}
        for cases in _children(root, "Cases"):
            for case in _children(cases, "Case"):
                values = self.values(case)
                for ref in _children(case, "SourceRef"):
                    self.by_source.setdefault(plain_guid(ref.get("targetGUID")), []).append(values)
                for ref in _children(case, "SelectionRef"):
                    self.by_selection.setdefault(plain_guid(ref.get("targetGUID")),
                                                 []).append(values)

    def values(self, element: etree._Element) -> dict[str, str]:
        """Folded variable name -> value as text, of the ``VariableValue`` children."""
        out = {}
        for value in _children(element, "VariableValue"):
            refs = _children(value, "VariableRef")
            name = self.variables.get(plain_guid(refs[0].get("targetGUID"))) if refs else None
            data = [c for c in value if _local(c).endswith("Value")]
            if name and data and data[0].text is not None and data[0].text.strip():
                out[_fold(name)] = data[0].text.strip()
        return out

    @staticmethod
    def pick(sets: list[dict[str, str]], name: str) -> tuple[str | None, set[str]]:
        """The value of field ``name`` in ``sets``, and every value found (to report a clash)."""
        found = {v for values in sets for k, v in values.items() if k in FIELD_VARIABLES[name]}
        return (next(iter(found)) if len(found) == 1 else None), found


# --- what the theory already has -------------------------------------------------------------

class _InTheory:
    """The ids, sources and quotes of the theory outside the file the import replaces.

    ``selections`` are the short GUIDs (:func:`_short`) of every selection of the project:
    an entry whose id one of them gives is that selection's own, never another's. An entry
    found by its text stands for one segment per CMOC (``claimed``): the same words coded
    at two places are two quotes.
    """

    def __init__(self, theory: Theory, replaced: Path | None, selections: set[str]):
        def kept(entity: Any) -> bool:
            doc = theory.documents.get(entity.source)
            return replaced is None or doc is None or Path(doc.path).resolve() != replaced

        self.theory, self.selections = theory, selections
        self.by_name: dict[str, list[str]] = {}
        self.claimed: set[tuple[str, str]] = set()
        self.taken = {section: {i for i, e in getattr(theory, section).items() if kept(e)}
                      for section in ("sources", "evidence")}
        self.quotes: dict[str, list[Evidence]] = {}
        for item in theory.evidence.values():
            if kept(item) and item.source_ref in theory.sources:
                self.quotes.setdefault(item.source_ref, []).append(item)

    def sources(self, name: str) -> list[str]:
        """The theory's sources for the document ``name``: its citation is the name, or its
        id is the one the import gives the document (:func:`_source_id`)."""
        if name not in self.by_name:
            self.by_name[name] = [i for i, s in self.theory.sources.items()
                                  if s.citation == name or i == _source_id(name)]
        return self.by_name[name]

    def kept_source(self, name: str) -> str | None:
        """The source of document ``name`` that stays in the theory, to cite; None: write one."""
        return next((i for i in self.sources(name) if i in self.taken["sources"]), None)

    def covered(self, selection: str, name: str, quote: str,
                cmocs: tuple[str, ...]) -> tuple[set[str], Evidence | None]:
        """Which of a coded segment's CMOCs the theory has its quote for.

        Parameters
        ----------
        selection : str
            The selection's short GUID.
        name : str
            Its document's name.
        quote : str
            Its text now.
        cmocs : tuple of str
            The CMOCs it is coded with.

        Returns
        -------
        tuple
            ``(cmocs, changed)``: the CMOCs of the selection's own entries with text
            ``quote``, or, when it has no own entry, those of the document's entries with
            that text that are no selection's own and not claimed yet; ``changed`` is its own
            entry when none has that text (and the set is empty).
        """
        entries = [e for s in self.sources(name) for e in self.quotes.get(s, ())]
        own = [e for e in entries if _selection_of(e.id) == selection]
        if own:
            same = [e for e in own if e.quote == quote]
            return {c for e in same for c in e.supports + e.refutes}, None if same else own[0]
        found = set()
        for cmoc in cmocs:
            entry = next((e for e in entries if e.quote == quote and cmoc in e.supports + e.refutes
                          and (e.id, cmoc) not in self.claimed
                          and _selection_of(e.id) not in self.selections), None)
            if entry is not None:
                self.claimed.add((entry.id, cmoc))
                found.add(cmoc)
        return found, None


def _selection_of(ident: str) -> str | None:
    """The short GUID of the selection an evidence id was given for (``qda-b4fc087a-2``:
    ``b4fc087a``), or None for an id the import does not give."""
    match = re.fullmatch(r"qda-([0-9a-z]+)(?:-\d+)?", ident)
    return match.group(1) if match else None


def _source_id(name: str) -> str:
    """The source id the import gives a document named ``name`` (before making it unique)."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name)
    ident = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-_.") or "source"
    return ident if ID_RE.match(ident) else "qda-" + ident


# --- reading the segments ---------------------------------------------------------------------

class _Reader:
    def __init__(self, project: Project, theory: Theory, mapping: dict[str, Targets],
                 replaced: Path | None):
        self.project, self.theory = project, theory
        self.codes = _Codes(project.root, theory, mapping)
        self.attributes = _Attributes(project.root)
        self.out = Imported(notes=list(self.codes.notes))
        self.known = _InTheory(theory, replaced, {
            _short(e.get("guid")) for e in project.root.iter() if _local(e).endswith("Selection")})
        self.taken = {k: set(v) for k, v in self.known.taken.items()}
        self.tree = project.root.getroottree()
        self.texts: dict[str, str | tuple[int, str]] = {}
        self.source_ids: dict[str, str] = {}
        self.unmatched: Counter[str] = Counter()

    def read(self) -> Imported:
        root = self.project.root
        for element in root.iter():
            kind = _local(element)
            if kind.endswith("Selection"):
                self._selection(element, kind)
            elif kind == "Coding" and _local(element.getparent()) in SOURCE_KINDS + TEXT_HOLDERS:
                self._whole_source(element)
        self.out.unmatched = {name: n for name, n in self.unmatched.items()}
        return self.out

    def _targets(self, codings: list[etree._Element]) -> tuple[Targets, list[str]] | None:
        """The CMOCs ``codings`` stand for, and the names of their other codes; None (after
        reporting) when a coding names no code of the codebook."""
        supports: dict[str, None] = {}
        refutes: dict[str, None] = {}
        others = []
        for coding in codings:
            for ref in _children(coding, "CodeRef"):
                key = plain_guid(ref.get("targetGUID"))
                if key not in self.codes.targets:
                    self.out.problems.append((ref.sourceline, f"a coding refers to code "
                                              f"{ref.get('targetGUID')!r}, which the project's "
                                              "codebook does not have; not imported"))
                    return None
                sup, ref_ids = self.codes.targets[key]
                supports.update(dict.fromkeys(sup))
                refutes.update(dict.fromkeys(ref_ids))
                if not sup and not ref_ids:
                    others.append(self.codes.names[key])
        return (tuple(supports), tuple(refutes)), others

    def _coded(self, codings: list[etree._Element]) -> Targets | None:
        """The CMOCs of one coded segment; None when it has none (its other codes are
        counted as unmatched) or a coding is broken (reported)."""
        self.out.segments += 1
        found = self._targets(codings)
        if found is None:
            return None
        (supports, refutes), others = found
        if not supports and not refutes:
            self.unmatched.update(others)
            return None
        return supports, refutes

    def _selection(self, element: etree._Element, kind: str) -> None:
        if not _children(element, "Coding"):
            return  # a selection no one coded (a quotation with a comment): no evidence
        targets = self._coded(_children(element, "Coding"))
        if targets is None:
            return
        supports, refutes = targets
        cmocs = ", ".join(supports + refutes)
        name = element.get("name")
        what = f"selection {name!r}" if name else f"selection {element.get('guid')}"
        holder, document = element.getparent(), self._document(element)
        if document is None:
            self._problem(element, f"{what}, coded {cmocs}, is not in a source (it is in a "
                                   f"<{_local(_top(element))}>); not imported")
            return
        if kind != "PlainTextSelection":
            self._problem(element, f"{what} in {_describe(document)}, coded {cmocs}, is "
                                   f"{SELECTION_KINDS.get(kind, 'a ' + kind)} ({kind}): only "
                                   "text selections (PlainTextSelection) have a quote to import; "
                                   f"code {'the PDF' if kind == 'PDFSelection' else 'a'} text "
                                   "instead; not imported")
            return
        text = self._text(holder, document)
        if isinstance(text, tuple):
            self._problem(element, f"{what} in {_describe(document)}, coded {cmocs}: {text[1]}; "
                                   "not imported")
            return
        try:
            start, end = int(element.get("startPosition")), int(element.get("endPosition"))
        except (TypeError, ValueError):
            self._problem(element, f"{what} in {_describe(document)}, coded {cmocs}, has no "
                                   "whole-number startPosition and endPosition; not imported")
            return
        if not 0 <= start < end <= len(text):
            self._problem(element, f"{what} in {_describe(document)}, coded {cmocs}: characters "
                                   f"{start} to {end} are not within its text ({len(text)} "
                                   "characters); not imported")
            return
        quote = text[start:end]
        if not quote.strip():
            self._problem(element, f"{what} in {_describe(document)}, coded {cmocs}, selects "
                                   "only white space; not imported")
            return
        targets = self._not_in_theory(element, what, document, quote, targets)
        if targets is None:
            return
        supports, refutes = targets
        entry: dict[str, Any] = {"quote": quote}
        entry.update(self._fields(self.attributes.by_selection.get(
            plain_guid(element.get("guid")), []), [], element, f"{what}"))
        if supports:
            entry["supports"] = list(supports)
        if refutes:
            entry["refutes"] = list(refutes)
        entry["source"] = self._source(document)
        self.out.evidence[self._id("evidence", "qda-" + _short(element.get("guid")))] = entry

    def _not_in_theory(self, element: etree._Element, what: str, document: etree._Element,
                       quote: str, targets: Targets) -> Targets | None:
        """The CMOCs of a segment the theory has no quote of it for; None when it has them
        all (counted in ``already``) or the segment's text changed since (in ``changed``)."""
        covered, changed = self.known.covered(_short(element.get("guid")), _name(document),
                                              quote, targets[0] + targets[1])
        if changed is not None:
            self.out.changed.append((element.sourceline, (
                f"quote {changed.id} (source {changed.source_ref}) is {what} in "
                f"{_describe(document)}, whose text has changed in the project since it was "
                f"imported; not imported again: if the new text is right, put it in the quote "
                f"of {changed.id} in {changed.source}")))
            return None
        new = tuple(tuple(c for c in ids if c not in covered) for ids in targets)
        if not any(new):
            self.out.already += 1
            return None
        return new[0], new[1]

    def _whole_source(self, coding: etree._Element) -> None:
        targets = self._coded([coding])
        if targets is None:
            return
        supports, refutes = targets
        document = self._document(coding) or coding.getparent()
        self._problem(coding, f"{_describe(document)} is coded {', '.join(supports + refutes)} "
                              "as a whole: only a selection of its text gives a quote; code the "
                              "passage instead; not imported")

    def _problem(self, element: etree._Element, message: str) -> None:
        self.out.problems.append((element.sourceline, message))

    def _document(self, element: etree._Element) -> etree._Element | None:
        """The source (a child of ``Sources``) that holds ``element``; None outside sources."""
        for ancestor in element.iterancestors():
            parent = ancestor.getparent()
            if parent is not None and _local(parent) == "Sources":
                return ancestor
        return None

    def _text(self, holder: etree._Element, document: etree._Element) -> str | tuple[int, str]:
        """The plain text of ``holder`` (a text source or a representation), or
        ``(0, why)`` when it cannot be had."""
        key = self.tree.getpath(holder)  # lxml makes a new proxy object on each access
        if key not in self.texts:
            self.texts[key] = self._read_text(holder)
        return self.texts[key]

    def _read_text(self, holder: etree._Element) -> str | tuple[int, str]:
        if _local(holder) not in TEXT_HOLDERS:
            return (0, f"it is inside <{_local(holder)}>, which has no text")
        inline = _children(holder, "PlainTextContent")
        if inline:
            return inline[0].text or ""
        path = holder.get("plainTextPath")
        if not path:
            return (0, "its source has no plain text (no plainTextPath, no PlainTextContent)")
        if not path.startswith("internal://"):
            return (0, f"its text is outside the project ({path}); export the project with "
                       "its sources inside")
        data = self.project.read_internal(path[len("internal://"):])
        if data is None:
            return (0, f"its text {path} is not in the project's sources/ folder")
        try:
            # The standard says UTF-8; a byte-order mark is no character of the text.
            return data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            return (0, f"its text {path} is not UTF-8 (byte {exc.start}), as the standard "
                       "requires")

    def _fields(self, sets: list[dict[str, str]], names: list[str], element: etree._Element,
                what: str) -> dict[str, str]:
        """``participant``, ``site`` and ``wave`` from variable ``sets``, else from ``names``."""
        out: dict[str, str] = {}
        for name in ("participant", "site", "wave"):
            value, found = self.attributes.pick(sets, name)
            if len(found) > 1:
                self.out.notes.append((element.sourceline, f"{what} has several {name}s in its "
                                       f"cases ({', '.join(sorted(found))}); none used"))
            if value is not None:
                checked = _as_field(name, value, self.theory)
                if checked is None:
                    self.out.notes.append((element.sourceline, _refused(name, value, what,
                                                                        self.theory)))
                value = checked
            if value is None:  # what the variables leave out, the document's name may say
                value = next(filter(None, (_from_name(name, n) for n in names)), None)
            if value is not None:
                out[name] = value
        if "participant" in out and "site" not in out:
            site = _site_of_participant(out["participant"], self.theory)
            if site:
                out["site"] = site
        return {k: out[k] for k in ("participant", "site", "wave") if k in out}

    def _source(self, document: etree._Element) -> str:
        """The id of ``document``'s source: the theory's, else a new entry (in ``sources``)."""
        key = self.tree.getpath(document)
        if key in self.source_ids:
            return self.source_ids[key]
        name = _name(document)
        kept = self.known.kept_source(name)
        if kept is not None:
            self.source_ids[key] = kept
            return kept
        ident = self._id("sources", _source_id(name))
        kind = "interview" if INTERVIEW_WORDS.search(name) else "document"
        entry: dict[str, Any] = {"type": kind, "citation": name}
        sets = [self.attributes.values(document)]
        sets += self.attributes.by_source.get(plain_guid(document.get("guid")), [])
        entry.update(self._fields(sets, [name], document, _describe(document)))
        self.out.sources[ident] = entry
        self.source_ids[key] = ident
        return ident

    def _id(self, section: str, wanted: str) -> str:
        taken = self.taken.setdefault(section, set())
        ident, n = wanted, 1
        while ident in taken:
            n += 1
            ident = f"{wanted}-{n}"
        taken.add(ident)
        return ident


def _name(document: etree._Element) -> str:
    return document.get("name") or document.get("guid") or "source"


def _top(element: etree._Element) -> etree._Element:
    while element.getparent() is not None and element.getparent().getparent() is not None:
        element = element.getparent()
    return element


def _describe(document: etree._Element) -> str:
    name = document.get("name")
    kind = {"TextSource": "text source", "PDFSource": "PDF source",
            "PictureSource": "picture source", "AudioSource": "audio source",
            "VideoSource": "video source"}.get(_local(document), _local(document))
    return f"{kind} {name!r}" if name else f"{kind} {document.get('guid')}"


def _short(selection_guid: str | None) -> str:
    hex_digits = re.sub(r"[^0-9a-f]", "", plain_guid(selection_guid))
    return hex_digits[:8] or "segment"


def _squash(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def _site_id(value: str, theory: Theory) -> str | None:
    """The theory's site whose id or label is ``value`` (case, spaces and dashes aside)."""
    key = _squash(value)
    for site in theory.sites.values():
        if key and key in (_squash(site.id), _squash(site.label)):
            return site.id
    return None


def _site_of_participant(code: str, theory: Theory) -> str | None:
    """The site a participant code starts with (``Site2P03`` -> the site labelled Site 2)."""
    key = _squash(code)
    for site in theory.sites.values():
        for name in (site.label, site.id):
            prefix = _squash(name)
            if prefix and key.startswith(prefix) and not key[len(prefix):][:1].isdigit() \
                    and len(key) > len(prefix):
                return site.id
    return None


def _as_field(name: str, value: str, theory: Theory) -> str | None:
    """``value`` as the theory takes field ``name``, or None when it cannot be."""
    if name == "site":
        return _site_id(value, theory)
    if name == "wave":
        squashed = _squash(value)
        return next((w for w in WAVES if _squash(w) == squashed), None)
    return value


def _refused(name: str, value: str, what: str, theory: Theory) -> str:
    if name == "site":
        return (f"{what}: site {value!r} is no site of theory '{theory.id}' (id or label); "
                "not used")
    return f"{what}: wave {value!r} is not one of {', '.join(WAVES)}; not used"


def _from_name(name: str, document_name: str) -> str | None:
    """Field ``name`` read from a document's name, when the name says it."""
    if name == "participant":
        match = PARTICIPANT_IN_NAME.search(document_name)
        return match.group(1) if match else None
    if name == "wave":
        folded = _fold(document_name)
        if re.search(r"\bfollow ?up\b", folded):
            return "follow-up"
        if re.search(r"\bobservation\b", folded):
            return "observation"
        return "interview" if re.search(r"\binterview\b", folded) else None
    return None


def import_evidence(project: Project, theory: Theory, mapping: dict[str, Targets] | None = None,
                    replaced: str | Path | None = None) -> Imported:
    """The coded segments of ``project`` that bear on CMOCs of ``theory`` and are not in it yet,
    as evidence.

    Parameters
    ----------
    project : Project
        From :func:`open_project`.
    theory : Theory
        The theory whose CMOC ids the codes name.
    mapping : dict, optional
        From :func:`read_mapping`; it wins over names and GUIDs.
    replaced : str or Path, optional
        The theory file the entries will replace: what it holds is not in the theory for
        this import (its quotes are imported again, its ids may be given again).

    Returns
    -------
    Imported
        Entries in project order, none of them already in the theory (those are counted in
        ``already``; see the module's docstring); evidence ids are ``qda-`` and the first
        8 hex digits of the selection's GUID, with ``-2``, ``-3``, ... where that id is
        taken, so the same selection gets the same id again; no id is one the theory has.
    """
    replaced = Path(replaced).resolve() if replaced is not None else None
    return _Reader(project, theory, mapping or {}, replaced).read()


def evidence_yaml(found: Imported, origin: str) -> str:
    """The draft file: a header saying where it came from, then ``sources:`` and ``evidence:``.

    Every text goes through the YAML emitter, so a quote reads back exactly as coded.

    >>> print(evidence_yaml(Imported({"a": {"type": "document", "citation": "A.txt"}},
    ...       {"qda-1": {"quote": "yes", "supports": ["EN1"], "source": "a"}}), "p.qdpx"), end="")
    # Evidence imported from p.qdpx by `ptgraph import qdpx`: a draft.
    # Each quote is the coded text exactly; check each source's type and citation.
    sources:
      a:
        type: document
        citation: A.txt
    evidence:
      qda-1:
        quote: 'yes'
        supports:
        - EN1
        source: a
    """
    header = (f"# Evidence imported from {_one_line(origin)} by `ptgraph import qdpx`: a draft.\n"
              "# Each quote is the coded text exactly; check each source's type and citation.\n")
    data: dict[str, Any] = {}
    if found.sources:
        data["sources"] = found.sources
    data["evidence"] = found.evidence
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
    return header + body


class _Dumper(yaml.SafeDumper):
    """The safe emitter, writing text with U+2028, U+2029 or U+0085 double-quoted.

    PyYAML writes those characters raw, and YAML then reads them as line breaks and
    changes the text around them (``check`` refuses them, E006); in double quotes they
    are escapes (``\\L``, ``\\P``, ``\\N``) and the quote reads back as coded.
    """


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if LINE_SEPARATORS.search(text) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def _one_line(text: str) -> str:
    # A file name in a comment: a line break would end the comment and start YAML.
    return re.sub(r"[\r\n\x0b\x0c\x85\u2028\u2029]", " ", text)
