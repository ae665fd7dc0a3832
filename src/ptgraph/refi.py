"""REFI-QDA, the exchange standard of qualitative-analysis software (NVivo, ATLAS.ti, MAXQDA,
QualCoder, ...): its namespaces, its schemas, a safe XML parser and stable GUIDs.

Two kinds of file matter to ptgraph: a codebook (``.qdc``, the ``CodeBook`` element of
``urn:QDA-XML:codebook:1.0``), which ``ptgraph export codebook`` writes, and a project
(``.qdpx``: a zip holding ``project.qde``, the ``Project`` element of
``urn:QDA-XML:project:1.0``, and the text of its sources under ``sources/``), which
``ptgraph import qdpx`` reads. The standard's XSDs (REFI-QDA 1.5, MIT licence) ship in
``ptgraph/data/refi-qda/``.
"""

from __future__ import annotations

import functools
import uuid
from importlib import resources

from lxml import etree

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
#: Where the standard publishes each schema (the ``xsi:schemaLocation`` of a file).
SCHEMA_URLS = {
    CODEBOOK_NS: "http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd",
    PROJECT_NS: "http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd",
}
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_XSD_FILES = {CODEBOOK_NS: "Codebook.xsd", PROJECT_NS: "Project.xsd"}
#: Fixed namespace of ptgraph's GUIDs, so the same theory always gives the same codebook.
GUID_NAMESPACE = uuid.UUID("5b0c3f6e-2b1e-5f7a-9a57-70b7c0de9e11")


def guid(theory_id: str, kind: str, ident: str) -> str:
    """The stable GUID of one thing of a theory in a REFI-QDA file.

    A name-based UUID (version 5) of the theory id, the kind (``cmoc``, ``area``) and the
    id, so a codebook exported twice is the same file, and a code coded in a QDA program
    maps back to its CMOC by GUID even when the program renamed it.

    Parameters
    ----------
    theory_id, kind, ident : str
        The theory's id, what the thing is, and its id.

    Returns
    -------
    str
        36 characters, lower-case hex with dashes, as the standard's ``GUIDType`` takes.

    >>> guid("buy-in", "cmoc", "EN4") == guid("buy-in", "cmoc", "EN4") != guid("t", "cmoc", "EN4")
    True
    """
    return str(uuid.uuid5(GUID_NAMESPACE, f"{theory_id}\x00{kind}\x00{ident}"))


def plain_guid(text: str | None) -> str:
    """A GUID as written in a file, made comparable: no braces, lower case.

    >>> plain_guid("{0DCEF2F5-E55C-49DA-8C33-9B0803C7AEB4}")
    '0dcef2f5-e55c-49da-8c33-9b0803c7aeb4'
    """
    return (text or "").strip().strip("{}").lower()


def parser() -> etree.XMLParser:
    """An XML parser that reads untrusted files safely: no entity expansion, no DTD or
    network fetches, no huge-tree mode; it keeps line numbers for messages."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_comments=True)


@functools.cache
def schema(namespace: str) -> etree.XMLSchema:
    """The standard's XSD for ``namespace`` (:data:`CODEBOOK_NS` or :data:`PROJECT_NS`)."""
    data = resources.files("ptgraph").joinpath("data", "refi-qda", _XSD_FILES[namespace])
    return etree.XMLSchema(etree.fromstring(data.read_bytes(), parser()))


def invalid(document: etree._ElementTree | etree._Element, namespace: str) -> list[tuple[int, str]]:
    """``(line, message)`` of each way ``document`` breaks the standard's schema; empty
    when it is valid.

    >>> invalid(etree.fromstring(b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>'), CODEBOOK_NS)[0][1]
    "Element '{urn:QDA-XML:codebook:1.0}CodeBook': Missing child element(s). Expected is ( {urn:QDA-XML:codebook:1.0}Codes )."
    """
    xsd = schema(namespace)
    if xsd.validate(document):
        return []
    return [(e.line, e.message) for e in xsd.error_log]
