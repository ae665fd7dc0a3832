"""REFI-QDA: `ptgraph export codebook` (.qdc) and `ptgraph import qdpx` (coded segments).

Real files: the standard's own Example 1 codebook and Example 2 project (an ATLAS.ti
export) in ``tests/fixtures/refi-qda/``; generated projects take Example 2's shape
(``tests/support/refi_project.py``) and are checked against the standard's Project.xsd.

Refresh the codebook's golden file after a deliberate change with
``PTGRAPH_UPDATE_GOLDEN=1 pytest tests/test_refi_qda.py`` and review the diff.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree

from ptgraph.check import check_theory, load_theory
from ptgraph.refi import CODEBOOK_NS, PROJECT_NS, guid
from support.refi_project import Case, ProjectSpec, Segment, gid, write_project

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "refi-qda"
GOLDEN = HERE / "golden" / "refi-qda"
XSD = HERE.parent / "src" / "ptgraph" / "data" / "refi-qda"
UPDATE = os.environ.get("PTGRAPH_UPDATE_GOLDEN") == "1"
EXAMPLE_2 = FIXTURES / "standard-example-2" / "project.qde"


def xsd(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD / name)))


# --- the schemas and the standard's examples ---------------------------------------------------

def test_the_standards_examples_are_valid_against_its_schemas():
    """The XSDs as shipped accept the standard's own examples (and so were copied right)."""
    assert xsd("Codebook.xsd").validate(etree.parse(str(FIXTURES / "standard-example-1.qdc")))
    assert xsd("Project.xsd").validate(etree.parse(str(EXAMPLE_2)))
    # and they do refuse: a code without its required isCodable
    broken = etree.fromstring(f'<CodeBook xmlns="{CODEBOOK_NS}"><Codes><Code guid='
                              '"d7aa29da-519b-4946-9b90-253b6db8fd0a" name="x"/></Codes></CodeBook>')
    assert not xsd("Codebook.xsd").validate(broken)


# --- export codebook ---------------------------------------------------------------------------

def test_codebook_is_valid_one_code_per_cmoc_under_its_area(ptgraph, tmp_path, buyin):
    out = tmp_path / "buy-in.qdc"
    run = ptgraph("export", "codebook", "theory", "-o", out)
    assert run.code == 0, run
    tree = etree.parse(str(out))
    assert xsd("Codebook.xsd").validate(tree), xsd("Codebook.xsd").error_log
    ns = {"q": CODEBOOK_NS}
    areas = tree.findall("q:Codes/q:Code", ns)
    assert [a.get("name") for a in areas] == [a.label for a in buyin.areas.values()]
    assert all(a.get("isCodable") == "false" for a in areas)
    codes = tree.findall("q:Codes/q:Code/q:Code", ns)
    assert len(codes) == len(buyin.cmocs) == 26
    for code in codes:
        cmoc = buyin.cmocs[code.get("name")]
        assert code.get("isCodable") == "true"
        assert code.findtext("q:Description", namespaces=ns) == cmoc.statement
        assert code.getparent().get("name") == buyin.areas[cmoc.area].label
        assert code.get("guid") == guid("buy-in", "cmoc", cmoc.id)


def test_codebook_is_the_same_file_each_time_and_matches_its_golden_file(ptgraph, tmp_path):
    first, second = tmp_path / "a.qdc", tmp_path / "b.qdc"
    assert ptgraph("export", "codebook", "theory", "-o", first).code == 0
    assert ptgraph("export", "codebook", "theory", "-o", second).code == 0
    assert first.read_bytes() == second.read_bytes()
    golden = GOLDEN / "buy-in.qdc"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(first.read_bytes())
    assert golden.exists(), f"no golden file {golden}; run with PTGRAPH_UPDATE_GOLDEN=1"
    assert first.read_bytes() == golden.read_bytes(), (
        "the codebook differs from its golden file; if intended, refresh with "
        "PTGRAPH_UPDATE_GOLDEN=1 and review the diff")
    printed = ptgraph("export", "codebook", "theory")
    assert printed.code == 0 and printed.out.encode("utf-8") == first.read_bytes()


def test_codebook_keeps_text_as_written_and_refuses_what_xml_cannot_hold(ptgraph, theory_copy):
    cmocs = theory_copy / "cmocs" / "enrolment.yaml"
    text = cmocs.read_text(encoding="utf-8")
    cmocs.write_text(text.replace("      Uncertainty about how a link worker can help",
                                  "      <Uncertainty> & \"how\" a link worker 😀 can help", 1),
                     encoding="utf-8")
    run = ptgraph("export", "codebook", theory_copy)
    assert run.code == 0, run
    ns = {"q": CODEBOOK_NS}
    en1 = etree.fromstring(run.out.encode()).find(".//q:Code[@name='EN1']/q:Description", ns)
    assert en1.text.startswith('<Uncertainty> & "how" a link worker 😀 can help')
    cmocs.write_text(text.replace("statement: >-\n      Uncertainty",
                                  'statement: "Uncertainty\\vabout', 1).replace(
        "to expect (M).\n", 'to expect (M)."\n', 1), encoding="utf-8")
    assert check_theory(theory_copy).errors == []  # a vertical tab is a line break to check
    run = ptgraph("export", "codebook", theory_copy)
    assert run.code == 2 and "enrolment.yaml:" in run.err and "U+000B" in run.err, run


# --- a project coded with the buy-in CMOCs -----------------------------------------------------

# Invented transcripts. Before the coded passages: a character outside the BMP (two UTF-16
# units, one code point), a combining accent, CRLF line ends, so a count by anything but
# code points would cut the quotes in the wrong place.
P03 = ("Interviewer: How did you hear about the link worker?\r\n"
       "Site2P03: My GP 🙂 said she could help, and I trusted him, so I went.\r\n"
       "Interviewer: And the first meeting?\r\n"
       "Site2P03: She listened. Nobody had listened like that in years — I felt valued.\r\n")
P08 = ("Site4P08: I didn't know what she was for, to be honest. Cafe\u0301 chats, I thought.\n"
       "She explained she wasn't a doctor and I didn't have to do anything.\n"
       "\tIt took a while\u2028before I went to the walking group.\n")
SEGMENTS = [
    Segment("Site2P03 follow-up.txt", ["EN4"], "My GP 🙂 said she could help, and I trusted him"),
    Segment("Site2P03 follow-up.txt", ["IS1", "happiness"], "She listened. Nobody had "
            "listened like that in years — I felt valued.\r\n"),
    Segment("Site4P08 interview.txt", ["EN1"], "I didn't know what she was for, to be honest. "
            "Cafe\u0301 chats"),
    Segment("Site4P08 interview.txt", ["Enrolment::EN1 role clarity"], "She explained she "
            "wasn't a doctor"),
    Segment("Site4P08 interview.txt", ["happiness"], "walking group"),
    Segment("Site4P08 interview.txt", ["RD1"], "\tIt took a while\u2028before"),
]


def buyin_project(tmp_path: Path, **changes) -> tuple[ProjectSpec, Path]:
    spec = ProjectSpec(
        codes={"Enrolment": {"EN1": None, "EN4": None, "Enrolment::EN1 role clarity": None},
               "IS1": None, "RD1": None, "happiness": None},
        documents={"Site2P03 follow-up.txt": P03, "Site4P08 interview.txt": P08},
        segments=list(SEGMENTS))
    for key, value in changes.items():
        setattr(spec, key, value)
    return spec, write_project(spec, tmp_path / "coded.qdpx")


def test_coded_segments_become_evidence_the_theory_accepts(ptgraph, tmp_path, theory_copy):
    spec, project = buyin_project(tmp_path)
    out = theory_copy / "evidence-imported.yaml"
    run = ptgraph("import", "qdpx", project, theory_copy, "-o", out)
    assert run.code == 0, run
    assert "imported 5 quotes on 4 CMOCs from 2 sources" in run.err
    assert "code 'happiness' names no CMOC of theory 'buy-in' (1 coded segment not read" in run.err
    assert "code 'Enrolment::EN1 role clarity' is read as CMOC EN1" in run.err
    checked = check_theory(theory_copy)
    assert checked.errors == [], checked.errors
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    evidence = list(data["evidence"].values())
    coded = [s for s in SEGMENTS if s.codes != ["happiness"]]
    assert [e["quote"] for e in evidence] == [s.text for s in coded]  # the coded text exactly
    theory = checked.theory
    for ident, entry in data["evidence"].items():  # and so they read back from the theory
        assert theory.evidence[ident].quote == entry["quote"]
    assert [e["supports"] for e in evidence] == [["EN4"], ["IS1"], ["EN1"], ["EN1"], ["RD1"]]
    assert data["sources"] == {
        "Site2P03-follow-up": {"type": "document", "citation": "Site2P03 follow-up.txt",
                               "participant": "Site2P03", "site": "site-2", "wave": "follow-up"},
        "Site4P08-interview": {"type": "interview", "citation": "Site4P08 interview.txt",
                               "participant": "Site4P08", "site": "site-4", "wave": "interview"},
    }
    assert {e["source"] for e in evidence} == set(data["sources"])
    assert len(theory.evidence) == 38 + 5


def test_positions_count_code_points(tmp_path, buyin):
    """The standard counts Unicode code points from 0, the end excluded."""
    from ptgraph.importers.qdpx import import_evidence, open_project

    spec = ProjectSpec(codes={"EN4": None}, documents={"d.txt": "😀😀ab\r\ncd"},
                       segments=[Segment("d.txt", ["EN4"], start=2, end=6)])
    found = import_evidence(open_project(write_project(spec, tmp_path / "p.qdpx")), buyin)
    assert [e["quote"] for e in found.evidence.values()] == ["ab\r\n"]


def test_participant_wave_and_site_from_case_variables(ptgraph, tmp_path, theory_copy):
    cases = [Case("Jo", {"Participant": "P12", "Wave": "Follow up", "Site": "Site 3"},
                  ["Site2P03 follow-up.txt"]),
             Case("Sam", {"participant_id": "P20", "wave": "T2", "site": "Elsewhere"},
                  ["Site4P08 interview.txt"])]
    _, project = buyin_project(tmp_path, cases=cases)
    out = theory_copy / "imported.yaml"
    run = ptgraph("import", "qdpx", project, theory_copy, "-o", out)
    assert run.code == 0, run
    assert "wave 'T2' is not one of interview, follow-up, observation; not used" in run.err
    assert "site 'Elsewhere' is no site of theory 'buy-in'" in run.err
    sources = yaml.safe_load(out.read_text(encoding="utf-8"))["sources"]
    assert sources["Site2P03-follow-up"] == {
        "type": "document", "citation": "Site2P03 follow-up.txt", "participant": "P12",
        "site": "site-3", "wave": "follow-up"}
    # the variables win; what they leave out comes from the document name
    assert sources["Site4P08-interview"]["participant"] == "P20"
    assert sources["Site4P08-interview"]["wave"] == "interview"
    assert check_theory(theory_copy).errors == []


def test_round_trip_export_codebook_code_in_a_program_import(ptgraph, tmp_path, theory_copy):
    """The codebook's GUIDs bring segments home to their CMOCs, whatever the program named them."""
    qdc = tmp_path / "buy-in.qdc"
    assert ptgraph("export", "codebook", theory_copy, "-o", qdc).code == 0
    ns = {"q": CODEBOOK_NS}
    codes = {c.get("name"): c.get("guid")
             for c in etree.parse(str(qdc)).findall(".//q:Code[@isCodable='true']", ns)}
    # a program that imported the codebook and let the team rename two codes
    renamed = {"GP referral (EN4)": codes["EN4"], "feeling listened to": codes["IS1"],
               "EN1": codes["EN1"], "RD1": codes["RD1"], "Enrolment::EN1 role clarity": None,
               "happiness": None}
    segments = [Segment(s.document, [{"EN4": "GP referral (EN4)", "IS1": "feeling listened to"}
                                     .get(c, c) for c in s.codes], s.text) for s in SEGMENTS]
    _, project = buyin_project(tmp_path, codes=renamed, segments=segments)
    run = ptgraph("import", "qdpx", project, theory_copy)
    assert run.code == 0, run
    assert "code 'GP referral (EN4)' is CMOC EN4 (its GUID is that of the exported codebook)" \
        in run.err
    evidence = yaml.safe_load(run.out)["evidence"]
    assert [e["supports"] for e in evidence.values()] == [["EN4"], ["IS1"], ["EN1"], ["EN1"],
                                                          ["RD1"]]


def test_a_mapping_file_names_cmocs_for_other_codes(ptgraph, tmp_path, theory_copy):
    _, project = buyin_project(tmp_path)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(f"happiness: {{supports: [AP1], refutes: [RD5]}}\n"
                       f"'{{{gid('code', 'RD1')}}}': [RD2, RD3]\n", encoding="utf-8")
    run = ptgraph("import", "qdpx", project, theory_copy, "--mapping", mapping)
    assert run.code == 0 and "happiness" not in run.err, run
    evidence = list(yaml.safe_load(run.out)["evidence"].values())
    assert evidence[1]["supports"] == ["IS1", "AP1"] and evidence[1]["refutes"] == ["RD5"]
    assert evidence[4] == {"quote": "walking group", "supports": ["AP1"], "refutes": ["RD5"],
                           "source": "Site4P08-interview"}
    assert evidence[5]["supports"] == ["RD2", "RD3"]  # by GUID, which beats the name RD1
    mapping.write_text("happiness: [AP1]\njoy: XX9\n", encoding="utf-8")
    run = ptgraph("import", "qdpx", project, theory_copy, "--mapping", mapping)
    assert run.code == 1 and f"{mapping}:2:1: code 'joy' maps to 'XX9', which is no CMOC" \
        in run.err, run


def test_a_second_import_replaces_its_own_file_with_the_same_ids(ptgraph, tmp_path, theory_copy):
    _, project = buyin_project(tmp_path)
    out = theory_copy / "imported.yaml"
    assert ptgraph("import", "qdpx", project, theory_copy, "-o", out).code == 0
    first = out.read_text(encoding="utf-8")
    run = ptgraph("import", "qdpx", project, theory_copy, "-o", out)
    assert run.code == 2 and "exists" in run.err and "--force" in run.err
    assert ptgraph("import", "qdpx", project, theory_copy, "-o", out, "--force").code == 0
    assert out.read_text(encoding="utf-8") == first
    assert check_theory(theory_copy).errors == []


def supporting(theory_dir: Path) -> dict[str, int]:
    """CMOC id -> how many quotes of the theory at ``theory_dir`` support it (it must check)."""
    checked = check_theory(theory_dir)
    assert checked.errors == [], checked.errors
    counts: dict[str, int] = {}
    for item in checked.theory.evidence.values():
        for cmoc in item.supports:
            counts[cmoc] = counts.get(cmoc, 0) + 1
    return counts


def test_importing_the_same_project_again_writes_no_quote_twice(ptgraph, tmp_path, theory_copy):
    _, project = buyin_project(tmp_path)
    first = theory_copy / "evidence-imported.yaml"
    assert ptgraph("import", "qdpx", project, theory_copy, "-o", first).code == 0
    ids, counts = set(load_theory(theory_copy).evidence), supporting(theory_copy)
    again = theory_copy / "evidence-again.yaml"
    run = ptgraph("import", "qdpx", project, theory_copy, "-o", again)
    assert run.code == 0, run
    assert run.err.endswith(f"no new quote in {project}; 5 quotes already in the theory, "
                            "skipped; wrote no file\n"), run.err
    assert not again.exists()  # no empty file
    assert set(load_theory(theory_copy).evidence) == ids and supporting(theory_copy) == counts
    printed = ptgraph("import", "qdpx", project, theory_copy)
    assert (printed.code, printed.out) == (0, "")  # nothing printed either
    assert "5 quotes already in the theory, skipped" in printed.err
    # the file an import replaces is not in the theory: its quotes come back with their ids
    assert ptgraph("import", "qdpx", project, theory_copy, "-o", first, "--force").code == 0
    assert set(load_theory(theory_copy).evidence) == ids


def test_a_segment_coded_since_the_last_import_is_the_only_one_written(ptgraph, tmp_path,
                                                                       theory_copy):
    _, project = buyin_project(tmp_path)
    assert ptgraph("import", "qdpx", project, theory_copy, "-o",
                   theory_copy / "week-1.yaml").code == 0
    before, counts = load_theory(theory_copy), supporting(theory_copy)
    gp = next(i for i, e in before.evidence.items() if e.quote == SEGMENTS[0].text)
    # a week's coding: a new passage coded EN4, and the GP passage coded IS1 as well
    segments = list(SEGMENTS) + [Segment("Site2P03 follow-up.txt", ["EN4"], "I felt valued")]
    segments[0] = Segment(SEGMENTS[0].document, ["EN4", "IS1"], SEGMENTS[0].text)
    _, project = buyin_project(tmp_path, segments=segments)
    week2 = theory_copy / "week-2.yaml"
    run = ptgraph("import", "qdpx", project, theory_copy, "-o", week2)
    assert run.code == 0, run
    assert f"imported 2 quotes on 2 CMOCs from 1 source of {project}; 4 quotes already in the " \
           "theory, skipped; wrote" in run.err
    data = yaml.safe_load(week2.read_text(encoding="utf-8"))
    assert "sources" not in data  # the document is a source of the theory already
    assert data["evidence"] == {
        gp + "-2": {"quote": SEGMENTS[0].text, "supports": ["IS1"], "source": "Site2P03-follow-up"},
        "qda-" + gid("selection", "Site2P03 follow-up.txt", "2")[:8].lower(): {
            "quote": "I felt valued", "supports": ["EN4"], "source": "Site2P03-follow-up"}}
    after = load_theory(theory_copy)
    assert set(after.evidence) == set(before.evidence) | set(data["evidence"])
    assert supporting(theory_copy) == counts | {"EN4": counts["EN4"] + 1,
                                                "IS1": counts["IS1"] + 1}
    run = ptgraph("import", "qdpx", project, theory_copy, "-o", tmp_path / "week-3.yaml")
    assert run.code == 0 and "no new quote" in run.err and "6 quotes already" in run.err, run


def test_selections_with_new_guids_are_known_by_their_text_in_their_document(ptgraph, tmp_path,
                                                                               theory_copy):
    """A program that writes new GUIDs at each export: the same text of the same document for
    the same CMOC is the same quote; the same words elsewhere, coded later, are a new one."""
    spec = ProjectSpec(codes={"EN4": None}, documents={"P01 interview.txt": "Yes. I went. Yes."},
                       segments=[Segment("P01 interview.txt", ["EN4"], "Yes.")])
    write_project(spec, tmp_path / "p.qdpx")
    assert ptgraph("import", "qdpx", tmp_path / "p.qdpx", theory_copy, "-o",
                   theory_copy / "one.yaml").code == 0
    spec.segments = [Segment("P01 interview.txt", ["EN4"], "Yes.", guid=gid("new", "1")),
                     Segment("P01 interview.txt", ["EN4"], "Yes.", occurrence=1)]
    run = ptgraph("import", "qdpx", write_project(spec, tmp_path / "p.qdpx"), theory_copy,
                  "-o", theory_copy / "two.yaml")
    assert run.code == 0 and "imported 1 quote on 1 CMOC" in run.err, run
    assert "1 quote already in the theory, skipped" in run.err
    assert [e.quote for e in load_theory(theory_copy).evidence.values()
            if e.source_ref == "P01-interview"] == ["Yes.", "Yes."]


def test_a_segment_whose_text_changed_since_the_import_is_named_not_written(ptgraph, tmp_path,
                                                                             theory_copy):
    _, project = buyin_project(tmp_path)
    first = theory_copy / "evidence-imported.yaml"
    assert ptgraph("import", "qdpx", project, theory_copy, "-o", first).code == 0
    written = first.read_text(encoding="utf-8")
    gp = next(i for i, e in load_theory(theory_copy).evidence.items()
              if e.quote == SEGMENTS[0].text)
    segments = list(SEGMENTS)  # the coder widened the GP passage to the end of the sentence
    segments[0] = Segment(SEGMENTS[0].document, ["EN4"], SEGMENTS[0].text + ", so I went.")
    _, project = buyin_project(tmp_path, segments=segments)
    again = theory_copy / "evidence-again.yaml"
    run = ptgraph("import", "qdpx", project, theory_copy, "-o", again)
    assert run.code == 0, run
    warnings = [line for line in run.err.splitlines() if ": warning: " in line]
    assert warnings == [
        f"{project}/project.qde:{warnings[0].split(':')[1]}: warning: quote {gp} (source "
        f"Site2P03-follow-up) is selection '{segments[0].text[:40]}…' in text "
        "source 'Site2P03 follow-up.txt', whose text has changed in the project since it was "
        f"imported; not imported again: if the new text is right, put it in the quote of {gp} "
        f"in {first}"], run.err
    assert run.err.endswith(f"no new quote in {project}; 4 quotes already in the theory, "
                            "skipped; 1 quote changed in the project since imported, not "
                            "written (above); wrote no file\n"), run.err
    assert not again.exists() and first.read_text(encoding="utf-8") == written


def test_what_cannot_be_imported_is_reported_and_the_rest_written(ptgraph, tmp_path, theory_copy):
    segments = SEGMENTS + [Segment("Site4P08 interview.txt", ["EN4"], start=150, end=400),
                           Segment("Site4P08 interview.txt", ["nowhere"], start=0, end=3)]
    spec, project = buyin_project(tmp_path, segments=segments)
    run = ptgraph("import", "qdpx", project, theory_copy)
    assert run.code == 1, run
    assert f"{project}/project.qde:" in run.err
    assert "characters 150 to 400 are not within its text" in run.err
    assert "a coding refers to code '" in run.err and "which the project's codebook does not " \
                                                       "have" in run.err
    assert "2 coded segments could not be imported" in run.err
    assert len(yaml.safe_load(run.out)["evidence"]) == 5


def test_the_standards_example_project_from_atlas_ti(ptgraph, tmp_path, theory_copy):
    """A real export: text, PDF, picture, audio and video sources, codes in groups."""
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("cornflakes: EN1\n'Coke::diet Coke': {refutes: [IS1]}\n'\"rushed\"': EN4\n"
                       "milk: []\n", encoding="utf-8")
    run = ptgraph("import", "qdpx", EXAMPLE_2, theory_copy, "--mapping", mapping)
    assert run.code == 1, run
    errors = [line for line in run.err.splitlines() if ": error: " in line]
    where = f"{EXAMPLE_2}:"
    assert all(line.startswith(where) for line in errors)
    kinds = ("(PictureSelection)", "(PDFSelection)", "(VideoSelection)")
    assert [k for line in errors for k in kinds if k in line] == \
        ["(PictureSelection)", "(PDFSelection)", "(PDFSelection)", "(VideoSelection)"]
    # text selections whose text the example does not publish (its sources/ folder)
    missing = [line for line in errors if "is not in the project's sources/ folder" in line]
    assert len(missing) == 3 and ":44: error: selection 'Oh, that was great." in missing[0]
    assert len(errors) == 7
    assert "code 'happiness' names no CMOC" in run.err and "code 'milk'" not in run.err
    assert run.out == "" and f"no new quote in {EXAMPLE_2}; 7 coded segments could not be " \
                             "imported (above)" in run.err


# --- files that are not what they claim --------------------------------------------------------

def encrypted_flags(data: bytes) -> bytes:
    """A zip archive whose members are marked encrypted (bit 0 of the flags), as a zip
    program that encrypts writes them; Python's zipfile cannot write one."""
    out = bytearray(data)
    end = data.rindex(b"PK\x05\x06")  # the end of central directory record
    count = int.from_bytes(data[end + 10:end + 12], "little")
    at = int.from_bytes(data[end + 16:end + 20], "little")
    for _ in range(count):
        out[at + 8] |= 0x1  # the central directory's flags
        local = int.from_bytes(data[at + 42:at + 46], "little")
        out[local + 6] |= 0x1  # the local header's flags
        at += 46 + sum(int.from_bytes(data[at + k:at + k + 2], "little") for k in (28, 30, 32))
    return bytes(out)


def test_broken_projects_say_what_is_wrong_never_a_traceback(ptgraph, tmp_path):
    _, good = buyin_project(tmp_path)
    cases = {}
    cases["not a zip"] = tmp_path / "notes.qdpx"
    cases["not a zip"].write_text("just some notes\n", encoding="utf-8")
    cases["truncated"] = tmp_path / "truncated.qdpx"
    cases["truncated"].write_bytes(good.read_bytes()[:300])
    cases["no project.qde"] = tmp_path / "empty.qdpx"
    with zipfile.ZipFile(cases["no project.qde"], "w") as z:
        z.writestr("sources/a.txt", "text")
    cases["password"] = tmp_path / "locked.qdpx"
    cases["password"].write_bytes(encrypted_flags(good.read_bytes()))
    cases["bad xml"] = tmp_path / "bad.qdpx"
    with zipfile.ZipFile(cases["bad xml"], "w") as z:
        z.writestr("project.qde", '<?xml version="1.0"?>\n<Project xmlns="urn:QDA-XML:project:'
                                  '1.0" name="x">\n  <Sources>\n</Project>\n')
    cases["codebook"] = FIXTURES / "standard-example-1.qdc"
    expected = {"not a zip": "is a zip archive holding project.qde",
                "truncated": "the zip archive is damaged",
                "no project.qde": "the archive has no project.qde",
                "password": "password-protected",
                "bad xml": "bad.qdpx/project.qde:4:",
                "codebook": "a REFI-QDA codebook (.qdc), not a project"}
    for name, path in cases.items():
        run = ptgraph("import", "qdpx", path, "theory")
        assert run.code == 1, (name, run)
        assert expected[name] in run.err, (name, run.err)
        assert "Traceback" not in run.err and "internal error" not in run.err, (name, run.err)
    run = ptgraph("import", "qdpx", tmp_path / "absent.qdpx", "theory")
    assert run.code == 2 and "does not exist" in run.err


def test_a_source_text_that_is_not_utf8_is_reported(ptgraph, tmp_path):
    _, project = buyin_project(tmp_path, encoding="utf-16")
    run = ptgraph("import", "qdpx", project, "theory")
    assert run.code == 1 and "is not UTF-8 (byte 0), as the standard requires" in run.err, run


def test_inline_text_and_a_bare_project_qde_beside_its_sources(ptgraph, tmp_path, buyin):
    from ptgraph.importers.qdpx import import_evidence, open_project

    _, project = buyin_project(tmp_path, inline=("Site4P08 interview.txt",))
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(project) as z:
        z.extractall(folder)
    (folder / "sources").rename(folder / "Sources")  # as Example 2 spells it
    found = import_evidence(open_project(folder / "project.qde"), buyin)
    assert [e["quote"] for e in found.evidence.values()] == \
        [s.text for s in SEGMENTS if s.codes != ["happiness"]]
    assert found.problems == []
