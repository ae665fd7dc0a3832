"""``ptgraph export codebook``: the CMOCs as a REFI-QDA codebook (``.qdc``).

A team codes its transcripts in NVivo, ATLAS.ti, MAXQDA or QualCoder; each of them
imports a REFI-QDA codebook. This module writes one code per CMOC, named by the CMOC id,
described by its statement, grouped under one code per area (not codable, coloured by
area)::

    <CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="ptgraph, theory buy-in">
      <Codes>
        <Code guid="..." name="Enrolment" isCodable="false" color="#E69F00">
          <Code guid="..." name="EN4" isCodable="true" color="#E69F00">
            <Description>Being referred through a GP (C) provides ...</Description>

Every GUID is derived from the theory id and the CMOC (or area) id
(:func:`ptgraph.refi.guid`): the same theory always gives the same file, and a project
coded with these codes maps back to the CMOCs by GUID in ``ptgraph import qdpx``, even
where the program renamed a code. The file is checked against the standard's
``Codebook.xsd`` before it is returned.
"""

from __future__ import annotations

from lxml import etree

from ..chars import xml_forbidden
from ..errors import UsageError
from ..model import Theory
from ..refi import CODEBOOK_NS, SCHEMA_URLS, XSI_NS, guid, invalid
from ..render import OKABE_ITO

#: Area colours, in area order: the colour-blind-safe palette of the figures, less black.
AREA_COLOURS = tuple(c for name, c in OKABE_ITO.items() if name != "black")


def _text(theory: Theory, section: str, ident: str, key: str, text: str) -> str:
    """``text`` if XML can hold it as written; else :class:`UsageError` naming where it is.

    XML 1.0 has no way to write most C0 control characters (a vertical tab, a form feed),
    not even as a character reference, so such text cannot be exported unchanged.
    """
    bad = xml_forbidden(text)
    if bad is not None:
        path, line, col = theory.mark(section, ident, key)
        raise UsageError(f"{path}:{line}:{col}: {section[:-1] if section != 'areas' else 'area'} "
                         f"'{ident}' has U+{ord(bad):04X} in its {key}, which a REFI-QDA file "
                         "(XML) cannot hold; replace it with a space or a line break")
    return text


def codebook_tree(theory: Theory) -> etree._ElementTree:
    """The codebook of ``theory`` as an XML tree (see the module docstring).

    Areas come in the theory's order, each with its CMOCs in theory order; a CMOC's
    description is its statement exactly as written.
    """
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{CODEBOOK_NS} {SCHEMA_URLS[CODEBOOK_NS]}")
    root.set("origin", f"ptgraph, theory {theory.id}")  # no version: re-exports stay identical
    codes = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    by_area: dict[str, list[str]] = {a: [] for a in theory.areas}
    for cmoc in theory.cmocs.values():
        by_area.setdefault(cmoc.area, []).append(cmoc.id)
    for n, (area_id, cmoc_ids) in enumerate(by_area.items()):
        colour = AREA_COLOURS[n % len(AREA_COLOURS)]
        area = theory.areas.get(area_id)
        group = _code(codes, guid(theory.id, "area", area_id),
                      _text(theory, "areas", area_id, "label", area.label) if area else area_id,
                      codable=False, colour=colour)
        if area is not None and area.description:
            _describe(group, _text(theory, "areas", area_id, "description", area.description))
        for cmoc_id in cmoc_ids:
            code = _code(group, guid(theory.id, "cmoc", cmoc_id), cmoc_id, codable=True,
                         colour=colour)
            _describe(code, _text(theory, "cmocs", cmoc_id, "statement",
                                  theory.cmocs[cmoc_id].statement))
    return etree.ElementTree(root)


def _code(parent: etree._Element, code_guid: str, name: str, *, codable: bool,
          colour: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{CODEBOOK_NS}}}Code", guid=code_guid, name=name,
                            isCodable="true" if codable else "false", color=colour)


def _describe(code: etree._Element, text: str) -> None:
    # The schema puts Description before any child code: insert it first.
    description = etree.Element(f"{{{CODEBOOK_NS}}}Description")
    description.text = text
    code.insert(0, description)


def export_codebook(theory: Theory) -> bytes:
    """The REFI-QDA codebook (``.qdc``) of ``theory``: UTF-8 XML, valid against the
    standard's ``Codebook.xsd``.

    Parameters
    ----------
    theory : Theory
        A theory that passes ``check``.

    Returns
    -------
    bytes
        The file's content, with an XML declaration; the same theory gives the same bytes.

    Raises
    ------
    UsageError
        A statement, area label or description holds a character XML cannot hold.
    """
    tree = codebook_tree(theory)
    problems = invalid(tree, CODEBOOK_NS)
    if problems:  # a bug in this module, not in the theory: say so rather than write it
        raise AssertionError(f"the codebook breaks Codebook.xsd: {problems[0][1]}")
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
