"""`ptgraph export table`: golden files for every table in every format, and the round trip.

Text formats (markdown, CSV, LaTeX) are compared byte for byte; Word and Excel
files are read back (python-docx, openpyxl) and their content compared, as
text, to a golden file. Refresh with ``PTGRAPH_UPDATE_GOLDEN=1 pytest
tests/test_export_table.py`` and review the diff.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

from ptgraph.check import check_theory
from ptgraph.exporters import FORMATS, TABLES, export_table
from ptgraph.exporters.latex_table import escape_latex
from ptgraph.exporters.markdown_table import escape_markdown
from ptgraph.importers.markers import split_statement

GOLDEN = Path(__file__).resolve().parent / "golden" / "export"
UPDATE = os.environ.get("PTGRAPH_UPDATE_GOLDEN") == "1"
#: Every table with the options that change its shape.
VARIANTS = {
    "cmocs": {},
    "evidence": {},
    "evidence-by-source": {"by": "source"},
    "evidence-detail": {"detail": True},
    "sites": {},
}
SUFFIX = {"markdown": "md", "csv": "csv", "latex": "tex", "docx": "docx.txt", "xlsx": "xlsx.txt"}


def docx_content(data: bytes) -> str:
    """A Word table as text: one line per row, cells joined by ' | ', merged cells marked."""
    document = docx.Document(io.BytesIO(data))
    lines = []
    for table in document.tables:
        width = len(table._tbl.tblGrid.gridCol_lst)
        for r, tr in enumerate(table._tbl.tr_lst):
            header = tr.trPr is not None and tr.trPr.find(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
            cells = []
            for tc in tr.tc_lst:
                cell = docx.table._Cell(tc, table)
                bold = all(run.bold for p in cell.paragraphs for run in p.runs if run.text.strip())
                span = f" [spans {tc.grid_span} of {width}]" if tc.grid_span > 1 else ""
                cells.append(("*" if bold and cell.text else "") + cell.text + span)
            lines.append(("header: " if header else "") + " | ".join(cells))
    return "\n".join(lines) + "\n"


def xlsx_content(data: bytes) -> str:
    """A workbook as text: each row's values with their types, bold marked, merged ranges listed."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    lines = []
    for sheet in book.worksheets:
        lines.append(f"sheet {sheet.title!r}, frozen at {sheet.freeze_panes}")
        for row in sheet.iter_rows():
            lines.append(" | ".join(("*" if c.font.b else "") + repr(c.value) for c in row))
        lines.append("merged: " + ", ".join(sorted(str(r) for r in sheet.merged_cells.ranges)))
    return "\n".join(lines) + "\n"


READ_BACK = {"docx": docx_content, "xlsx": xlsx_content}


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_golden(buyin, variant, fmt):
    data = export_table(buyin, variant.split("-")[0], fmt, **VARIANTS[variant])
    text = READ_BACK[fmt](data) if fmt in READ_BACK else data.decode("utf-8")
    golden = GOLDEN / f"{variant}.{SUFFIX[fmt]}"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert golden.exists(), f"no golden file {golden}; run with PTGRAPH_UPDATE_GOLDEN=1"
    assert text == golden.read_bytes().decode("utf-8"), (
        f"{variant} as {fmt} differs from {golden.name}; if intended, refresh with "
        "PTGRAPH_UPDATE_GOLDEN=1 and review the diff")


def test_every_table_and_format_has_a_golden_file():
    expected = {f"{v}.{SUFFIX[f]}" for v in VARIANTS for f in FORMATS}
    assert {p.name for p in GOLDEN.iterdir()} == expected
    assert {v.split("-")[0] for v in VARIANTS} == set(TABLES)


def test_word_table_has_a_header_row_and_merged_area_rows(buyin):
    document = docx.Document(io.BytesIO(export_table(buyin, "cmocs", "docx")))
    (table,) = document.tables
    rows = table._tbl.tr_lst
    assert [c.text for c in table.rows[0].cells] == ["ID", "CMOC", "Evidence", "Sources", "Confidence"]
    assert rows[0].trPr is not None  # repeats as a header
    areas = [docx.table._Cell(tr.tc_lst[0], table).text for tr in rows if len(tr.tc_lst) == 1]
    assert areas == [a.label for a in buyin.areas.values()]
    assert all(tr.tc_lst[0].grid_span == 5 for tr in rows if len(tr.tc_lst) == 1)
    assert len(rows) == 1 + len(buyin.areas) + len(buyin.cmocs)


def test_the_readme_holds_the_cmoc_table(buyin, repo_root):
    table = export_table(buyin, "cmocs", "markdown").decode("utf-8")
    assert table in (repo_root / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["markdown", "csv", "docx", "xlsx"])
def test_round_trip_gives_the_same_statements_areas_and_roles(buyin, tmp_path, ptgraph, fmt):
    """export table --table cmocs of theory/, imported again: the same statements, areas
    (labels and members) and C/M/O assignment (the spans of each role, in order)."""
    exported = tmp_path / f"cmocs.{SUFFIX[fmt].split('.')[0]}"
    run = ptgraph("export", "table", "theory", "--format", fmt, "-o", exported)
    assert run.code == 0, run
    run = ptgraph("import", "table", exported, "-o", tmp_path / "again")
    assert run.code == 0, run
    checked = check_theory(tmp_path / "again")
    assert checked.problems == []
    again = checked.theory
    assert sorted(again.cmocs) == sorted(buyin.cmocs)
    for m in buyin.cmocs.values():
        n = again.cmocs[m.id]
        assert n.statement == m.statement
        assert again.areas[n.area].label == buyin.areas[m.area].label
        for role in ("context", "mechanism", "outcome"):
            spans = list(dict.fromkeys(s.label for s in split_statement(m.statement) if s.role == role))
            assert [again.concepts[c].label for c in n.concepts(role)] == spans, (m.id, role)
    # and exporting the draft gives the same table again
    # and exporting the draft gives the same ids and statements again (its counts are 0:
    # the draft has no evidence)
    run = ptgraph("export", "table", tmp_path / "again")
    rows = [line.split(" | ")[:2] for line in run.out.splitlines()]
    want = [line.split(" | ")[:2]
            for line in export_table(buyin, "cmocs", "markdown").decode("utf-8").splitlines()]
    assert rows == want


def test_binary_formats_need_a_file_and_a_broken_theory_stops(ptgraph, tmp_path):
    run = ptgraph("export", "table", "theory", "--format", "docx")
    assert run.code == 2 and "add -o FILE" in run.err
    (tmp_path / "theory.yaml").write_text("ptgraph: 1\ntheory: {id: t}\n", encoding="utf-8")
    run = ptgraph("export", "table", tmp_path)
    assert run.code == 2 and "problem" in run.err


@pytest.mark.parametrize("args, name", [
    (("export", "table", "theory", "--format", "docx"), "t.docx"),
    (("export", "table", "theory", "--table", "sites"), "t.md"),
    (("export", "codebook", "theory"), "t.qdc"),
])
def test_an_output_in_a_missing_folder_is_made_and_an_unwritable_one_is_exit_2(
        ptgraph, tmp_path, args, name):
    out = tmp_path / "new" / "sub" / name  # a researcher's -o paper/tables/t.docx
    run = ptgraph(*args, "-o", out)
    assert run.code == 0 and out.is_file(), run
    (tmp_path / "file").write_text("x", encoding="utf-8")  # a file where a folder should be
    run = ptgraph(*args, "-o", tmp_path / "file" / name)
    assert run.code == 2 and f"cannot write {tmp_path / 'file' / name}: " in run.err, run
    assert "internal error" not in run.err


def test_format_from_the_suffix(ptgraph, tmp_path):
    out = tmp_path / "t.tex"
    assert ptgraph("export", "table", "theory", "--table", "sites", "-o", out).code == 0
    assert out.read_text(encoding="utf-8").startswith("\\begin{tabular}")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
               min_size=1).filter(lambda s: s.strip() == s and s))
def test_markdown_escaping_reads_back_as_written(text):
    from ptgraph.importers.markdown_reader import read

    data = f"| a |\n| --- |\n| {escape_markdown(text)} |\n".encode("utf-8")
    (table,) = read(Path("t.md"), data)
    assert table.rows[1].cells[0].text == text


def test_latex_escapes_every_special_character():
    assert escape_latex("\\{}$&#%_^~<>|\"") == (
        r"\textbackslash{}\{\}\$\&\#\%\_\textasciicircum{}\textasciitilde{}\textless{}"
        r"\textgreater{}\textbar{}\textquotedbl{}")
    assert escape_latex("a\nb\x01") == r"a\newline{}b\textbackslash{}x01"


def test_latex_compiles(buyin, tmp_path):
    if shutil.which("pdflatex") is None:  # `make test` installs it (texlive-latex-recommended)
        if os.environ.get("CI") == "true":
            pytest.fail("no pdflatex: under CI the LaTeX table must be compiled")
        pytest.skip("no pdflatex")
    body = export_table(buyin, "cmocs", "latex").decode("utf-8")
    (tmp_path / "t.tex").write_text("\\documentclass{article}\\usepackage{booktabs}\\usepackage{array}"
                                    "\\begin{document}" + body + "\\end{document}", encoding="utf-8")
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "t.tex"], cwd=tmp_path, check=True,
                   capture_output=True)
