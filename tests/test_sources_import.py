"""`ptgraph sources import`: BibTeX and CSL-JSON bibliographies as a draft sources: file."""

from __future__ import annotations

import shutil
from pathlib import Path

from ptgraph.check import check_theory

HERE = Path(__file__).resolve().parent / "fixtures" / "sources"
MANIFEST = "ptgraph: 1\ntheory: {id: t, title: T}\n"


def test_bibtex_reads_what_it_can_and_reports_the_rest_with_its_line(ptgraph, tmp_path):
    out = tmp_path / "sources.yaml"
    run = ptgraph("sources", "import", HERE / "refs.bib", "-o", out)
    assert run.code == 1, run
    assert f"{HERE / 'refs.bib'}:7:1: error: could not read this entry" in run.err
    assert "entry 'Smith:2019' is source 'Smith-2019'" in run.err
    text = out.read_text(encoding="utf-8")
    assert "Smith-2019:\n    type: study\n    citation: Smith, J.; Müller, K. (2019). Link " \
           "Workers in practice. J Health.\n    doi: 10.1000/xyz\n    year: 2019\n" in text
    assert "nhs2020:\n    type: report\n" in text
    # the draft is a valid part of a theory
    (tmp_path / "theory.yaml").write_text(MANIFEST, encoding="utf-8")
    assert check_theory(tmp_path).problems == []


def test_csl_json_from_zotero(ptgraph, tmp_path):
    run = ptgraph("sources", "import", HERE / "zotero.json")
    assert run.code == 1, run
    assert f"{HERE / 'zotero.json'}:5:3: error: item 2 has no 'id'" in run.err
    assert "jones2021:\n    type: study\n    citation: Jones, K; NHS England (2021). Trust and " \
           "referral. BMC Health.\n    doi: 10.1186/0123\n    year: 2021\n" in run.out
    assert "'42':\n    type: document\n" in run.out  # an id is text
    (tmp_path / "theory.yaml").write_text(MANIFEST, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(run.out, encoding="utf-8")
    assert check_theory(tmp_path).problems == []


def test_never_overwrites_without_force(ptgraph, tmp_path):
    out = tmp_path / "sources.yaml"
    out.write_text("keep me\n", encoding="utf-8")
    run = ptgraph("sources", "import", HERE / "zotero.json", "-o", out)
    assert run.code == 2 and "exists" in run.err and "--force" in run.err
    assert out.read_text(encoding="utf-8") == "keep me\n"
    shutil.copy(HERE / "refs.bib", tmp_path / "ok.bib")
    (tmp_path / "ok.bib").write_text("@misc{a, title={A}, year={2001}}\n", encoding="utf-8")
    run = ptgraph("sources", "import", tmp_path / "ok.bib", "-o", out, "--force")
    assert run.code == 0 and "a:\n    type: other\n    citation: (2001). A.\n    year: 2001\n" \
        in out.read_text(encoding="utf-8")


def test_missing_file_and_bad_json_say_what_to_do(ptgraph, tmp_path):
    run = ptgraph("sources", "import", tmp_path / "nope.bib")
    assert run.code == 2 and "no such file" in run.err
    (tmp_path / "bad.json").write_text('[{"id": "a",\n  oops}]', encoding="utf-8")
    run = ptgraph("sources", "import", tmp_path / "bad.json")
    assert run.code == 1 and f"{tmp_path / 'bad.json'}:2:3: error: not JSON" in run.err
