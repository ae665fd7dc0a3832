"""Build REFI-QDA projects (.qdpx) for the tests, shaped as QDA programs write them.

The shape follows the standard's Example 2 project (an ATLAS.ti export, in
``tests/fixtures/refi-qda/standard-example-2``): ``Users``, a ``CodeBook``,
``Variables`` and ``Cases``, and ``TextSource`` elements whose text lies in
``sources/GUID.txt`` (``plainTextPath="internal://GUID.txt"``), each with
``PlainTextSelection`` elements (``startPosition``/``endPosition`` in Unicode code
points, the end excluded) holding ``Coding``/``CodeRef``. Every project built here
is checked against the standard's ``Project.xsd`` before it is written.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ptgraph.refi import PROJECT_NS, invalid

NS = f"{{{PROJECT_NS}}}"
_SEED = uuid.UUID("7d1f0a6c-3c52-4b8e-9d0e-2f7a8c1b9e40")
USER = str(uuid.uuid5(_SEED, "user"))


def gid(*parts: str) -> str:
    """A stable GUID for a test object, upper case as ATLAS.ti and NVivo write them."""
    return str(uuid.uuid5(_SEED, "\x00".join(parts))).upper()


@dataclass
class Segment:
    """One coded passage: ``text`` is found in the document (its ``occurrence``-th match),
    or ``start``/``end`` are given as they are to be written."""

    document: str
    codes: list[str]
    text: str | None = None
    start: int | None = None
    end: int | None = None
    occurrence: int = 0
    kind: str = "PlainTextSelection"
    guid: str | None = None  # the selection's GUID; None: derived from its place


@dataclass
class Case:
    name: str
    variables: dict[str, str] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)


@dataclass
class ProjectSpec:
    """What to put in the project. ``codes`` maps a code name to its GUID (None: derived)
    and may nest: a value that is a dict is a code folder holding those codes."""

    codes: dict
    documents: dict[str, str]
    segments: list[Segment]
    cases: list[Case] = field(default_factory=list)
    inline: tuple[str, ...] = ()  # documents whose text goes in PlainTextContent
    encoding: str = "utf-8"


def positions(spec: ProjectSpec, segment: Segment) -> tuple[int, int]:
    """``(start, end)`` of a segment in code points of its document's text."""
    if segment.text is None:
        return segment.start, segment.end
    text, at = spec.documents[segment.document], -1
    for _ in range(segment.occurrence + 1):
        at = text.index(segment.text, at + 1)
    return at, at + len(segment.text)


def project_tree(spec: ProjectSpec) -> etree._ElementTree:
    root = etree.Element(NS + "Project", nsmap={None: PROJECT_NS}, name="ptgraph test project",
                         origin="ptgraph tests", creatingUserGUID=USER)
    users = etree.SubElement(root, NS + "Users")
    etree.SubElement(users, NS + "User", guid=USER, name="Researcher")
    book = etree.SubElement(etree.SubElement(root, NS + "CodeBook"), NS + "Codes")
    guids: dict[str, str] = {}

    def add_codes(parent, codes: dict) -> None:
        for name, value in codes.items():
            if isinstance(value, dict):
                folder = etree.SubElement(parent, NS + "Code", guid=gid("folder", name), name=name,
                                          isCodable="false")
                add_codes(folder, value)
            else:
                guids[name] = value or gid("code", name)
                etree.SubElement(parent, NS + "Code", guid=guids[name], name=name,
                                 isCodable="true")

    add_codes(book, spec.codes)
    names = sorted({v for case in spec.cases for v in case.variables})
    if names:
        variables = etree.SubElement(root, NS + "Variables")
        for name in names:
            etree.SubElement(variables, NS + "Variable", guid=gid("variable", name), name=name,
                             typeOfVariable="Text")
    if spec.cases:
        cases = etree.SubElement(root, NS + "Cases")
        for case in spec.cases:
            element = etree.SubElement(cases, NS + "Case", guid=gid("case", case.name),
                                       name=case.name)
            for name, value in case.variables.items():
                holder = etree.SubElement(element, NS + "VariableValue")
                etree.SubElement(holder, NS + "VariableRef", targetGUID=gid("variable", name))
                etree.SubElement(holder, NS + "TextValue").text = value
            for document in case.documents:
                etree.SubElement(element, NS + "SourceRef", targetGUID=gid("source", document))
    sources = etree.SubElement(root, NS + "Sources")
    for document, text in spec.documents.items():
        attributes = {"guid": gid("source", document), "name": document, "creatingUser": USER}
        if document not in spec.inline:
            attributes["plainTextPath"] = f"internal://{gid('text', document)}.txt"
        source = etree.SubElement(sources, NS + "TextSource", **attributes)
        if document in spec.inline:
            etree.SubElement(source, NS + "PlainTextContent").text = text
        for n, segment in enumerate(s for s in spec.segments if s.document == document):
            start, end = positions(spec, segment)
            selection = etree.SubElement(
                source, NS + segment.kind,
                guid=segment.guid or gid("selection", document, str(n)),
                name=(segment.text or "")[:40] + ("…" if len(segment.text or "") > 40 else ""),
                startPosition=str(start), endPosition=str(end), creatingUser=USER)
            for code in segment.codes:
                coding = etree.SubElement(selection, NS + "Coding", guid=gid("coding", document,
                                                                             str(n), code))
                etree.SubElement(coding, NS + "CodeRef",
                                 targetGUID=guids.get(code, gid("code", code)))
    return etree.ElementTree(root)


def write_project(spec: ProjectSpec, path: Path, *, validate: bool = True) -> Path:
    """Write ``spec`` as a ``.qdpx`` archive at ``path`` (checked against Project.xsd)."""
    tree = project_tree(spec)
    if validate:
        problems = invalid(tree, PROJECT_NS)
        assert not problems, problems
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", etree.tostring(tree, xml_declaration=True,
                                                       encoding="UTF-8", pretty_print=True))
        for document, text in spec.documents.items():
            if document not in spec.inline:
                archive.writestr(f"sources/{gid('text', document)}.txt",
                                 text.encode(spec.encoding))
    return path
