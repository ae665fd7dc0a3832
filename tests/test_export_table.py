"""`ptgraph export table`: golden files for every table in every format, and the round trip.

Text formats (markdown, CSV, LaTeX) are compared byte for byte; Word and Excel
files are read back (python-docx, openpyxl) and their content compared, as
text, to a golden file. Refresh with ``PTGRAPH_UPDATE_GOLDEN=1 pytest
tests/test_export_table.py`` and review the diff. The LaTeX tables are also
compiled (pdflatex, and LuaLaTeX for what pdflatex cannot typeset) and read back
with pdftotext; the Word tables' widths and the Excel cells' types are checked.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

from ptgraph.check import check_theory, load_theory
from ptgraph.exporters import FORMATS, TABLES, export_table
from ptgraph.exporters.latex_table import escape_latex
from ptgraph.exporters.markdown_table import escape_markdown
from support.round_trip import assert_reads_back

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
    section = document.sections[0]
    text = docx.shared.Emu(section.page_width - section.left_margin - section.right_margin)
    lines = [f"page {section.page_width.cm:.1f} x {section.page_height.cm:.1f} cm, "
             f"text width {text.cm:.1f} cm"]
    for table in document.tables:
        width = len(table._tbl.tblGrid.gridCol_lst)
        grid = table._tbl.tblGrid.gridCol_lst
        lines.append("columns (cm): " + ", ".join(f"{g.w.cm:.2f}" for g in grid))
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
        widths = sorted(sheet.column_dimensions.items())
        lines.append("widths: " + ", ".join(f"{k}={d.width:g}" for k, d in widths))
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
    assert [c.text for c in table.rows[0].cells] == ["ID", "CMOC", "Evidence"]
    assert rows[0].trPr is not None  # repeats as a header
    areas = [docx.table._Cell(tr.tc_lst[0], table).text for tr in rows if len(tr.tc_lst) == 1]
    assert areas == [a.label for a in buyin.areas.values()]
    assert all(tr.tc_lst[0].grid_span == 3 for tr in rows if len(tr.tc_lst) == 1)
    assert len(rows) == 1 + len(buyin.areas) + len(buyin.cmocs)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_word_columns_are_as_wide_as_their_content_for_word_and_libreoffice(buyin, variant):
    """Each column's width is on the grid (LibreOffice) and on every cell (Word; a merged cell
    the sum of its columns), with a fixed layout; the long-text column is the widest and takes
    what the others leave, ids and counts are narrow, and the table fits the page."""
    table = TABLES[variant.split("-")[0]](buyin, **VARIANTS[variant])
    document = docx.Document(io.BytesIO(export_table(buyin, variant.split("-")[0], "docx",
                                                     **VARIANTS[variant])))
    section = document.sections[0]
    page = section.page_width - section.left_margin - section.right_margin
    (grid,) = document.tables
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert grid._tbl.tblPr.find(f"{ns}tblLayout").get(f"{ns}type") == "fixed"  # autofit off
    widths = [g.w for g in grid._tbl.tblGrid.gridCol_lst]
    assert sum(widths) <= page + 12700  # within a point of the text width
    for tr in grid._tbl.tr_lst:
        first = 0
        for tc in tr.tc_lst:
            assert abs(tc.width - sum(widths[first:first + tc.grid_span])) <= 635, (variant, first)
            first += tc.grid_span
    wide = [w for w, c in zip(widths, table.columns) if c.wide]
    narrow = [w for w, c in zip(widths, table.columns) if not c.wide]
    if variant == "cmocs":  # ID, CMOC, Evidence
        assert widths[1] > 0.7 * page and max(narrow) < docx.shared.Cm(2.5)
    if wide and len(wide) == 1:
        assert min(wide) > max(narrow), variant


def test_word_counts_are_right_aligned(buyin):
    document = docx.Document(io.BytesIO(export_table(buyin, "cmocs", "docx")))
    (grid,) = document.tables
    evidence = [row.cells[2].paragraphs[0].alignment for row in grid.rows if len(row._tr.tc_lst) == 3]
    assert set(evidence) == {docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT}


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
    assert_reads_back(buyin, checked.theory)
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
    assert run.code == 2 and (f"cannot write {tmp_path / 'file' / name}: {tmp_path / 'file'} is a "
                              "file, not a folder") in run.err, run
    assert "internal error" not in run.err


def test_format_from_the_suffix(ptgraph, tmp_path):
    out = tmp_path / "t.tex"
    assert ptgraph("export", "table", "theory", "--table", "sites", "-o", out).code == 0
    assert out.read_text(encoding="utf-8").startswith("% ptgraph export table: the sites table")


@pytest.mark.parametrize("args, message", [
    (("--table", "sites", "--by", "source"), "--by is for --table evidence, not --table sites"),
    (("--table", "cmocs", "--by", "site"), "--by is for --table evidence, not --table cmocs"),
    (("--table", "sites", "--detail"), "--detail is for --table evidence, not --table sites"),
    (("--detail",), "--detail is for --table evidence, not --table cmocs"),
    (("--table", "evidence", "--detail", "--by", "source"), "give one of them"),
])
def test_an_option_the_table_does_not_take_is_exit_2(ptgraph, args, message):
    run = ptgraph("export", "table", "theory", *args)
    assert run.code == 2 and message in run.err and run.out == "", run


def test_columns_no_cmoc_has_a_value_for_are_left_out(buyin, repo_root, theory_copy):
    """theory/ has no sources: and no confidence: no Sources or Confidence column in any
    format; the deprescribing review has both; one CMOC with a level brings the column back,
    empty for the others."""
    for fmt in ("markdown", "csv", "latex"):
        text = export_table(buyin, "cmocs", fmt).decode("utf-8")
        assert "Sources" not in text and "Confidence" not in text, fmt
    review = load_theory(repo_root / "examples" / "deprescribing-review")
    assert [c.name for c in TABLES["cmocs"](review).columns] == [
        "ID", "CMOC", "Evidence", "Sources", "Confidence"]
    path = theory_copy / "cmocs" / "enrolment.yaml"
    text = path.read_text(encoding="utf-8")
    level = "    confidence: {level: moderate, rationale: Two sites.}\n"
    path.write_text(text.replace("    area: enrolment\n", "    area: enrolment\n" + level, 1),
                    encoding="utf-8")
    table = TABLES["cmocs"](load_theory(theory_copy))
    assert [c.name for c in table.columns] == ["ID", "CMOC", "Evidence", "Confidence"]
    assert [r[-1] for r in table.rows if isinstance(r, list)].count("moderate") == 1


def test_sites_rows_are_named_in_words_and_excel_keeps_numbers(theory_copy):
    path = theory_copy / "sites.yaml"
    text = path.read_text(encoding="utf-8")
    more = "    fte: 0.6\n    ods_code: 12345678901234567\n"
    path.write_text(text.replace("    practices_served: 2\n", "    practices_served: 2\n" + more, 1),
                    encoding="utf-8")
    theory = load_theory(theory_copy)
    sheet = openpyxl.load_workbook(io.BytesIO(export_table(theory, "sites", "xlsx"))).active
    rows = {r[0].value: r[1:] for r in sheet.iter_rows(min_row=2)}
    assert list(rows)[:2] == ["Months in role", "Deprivation"]
    assert [(c.value, c.data_type) for c in rows["Months in role"][:2]] == [(24, "n"), (2, "n")]
    assert (rows["Fte"][0].value, rows["Fte"][0].data_type) == (0.6, "n")
    assert rows["Ods code"][0].value == "12345678901234567"  # Excel would round it: text
    widths = [d.width for d in sheet.column_dimensions.values()]
    assert max(widths) <= 60 and min(widths) >= 6
    assert all(c.alignment.wrap_text for row in sheet.iter_rows(min_row=2) for c in row if c.value)


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


def _engine(name: str) -> None:
    for program in (name, "pdftotext"):  # `make test` installs them (make latex-deps)
        if shutil.which(program) is None:
            if os.environ.get("CI") == "true":
                pytest.fail(f"no {program}: under CI the LaTeX tables must be compiled")
            pytest.skip(f"no {program}")


def compile_latex(tmp_path: Path, body: str, size: str = "10pt", engine: str = "pdflatex",
                  preamble: str = "", ok: bool = True) -> tuple[str, str, int]:
    """The table \\input into a plain article with the packages its leading comment names (in
    landscape when it says so): the log, the PDF's text and its number of pages."""
    (tmp_path / "t.tex").write_text(body, encoding="utf-8")
    packages = re.search(r"^% Needs \\usepackage\{([^}]*)\}", body, re.M).group(1)
    table = r"\input{t}"
    if "set it in landscape" in body:
        packages += ",pdflscape"
        table = r"\begin{landscape}" + table + r"\end{landscape}"
    (tmp_path / "doc.tex").write_text(
        f"\\documentclass[{size}]{{article}}\n\\usepackage{{{packages}}}\n{preamble}\n"
        f"\\begin{{document}}\n{table}\n\\end{{document}}\n", encoding="utf-8")
    run = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                         cwd=tmp_path, capture_output=True)
    log = (tmp_path / "doc.log").read_text(encoding="utf-8", errors="replace")
    assert (run.returncode == 0) == ok, log[-3000:]
    if not ok:
        return log, "", 0
    text = subprocess.run(["pdftotext", "-layout", "doc.pdf", "-"], cwd=tmp_path, check=True,
                          capture_output=True, text=True).stdout
    return log, text, text.count("\f")


@pytest.mark.parametrize("size", ["10pt", "12pt"])
def test_latex_cmoc_table_breaks_across_pages_and_fits_the_text_width(buyin, tmp_path, size):
    """The issue's plain article: it compiles, with no overfull box, every CMOC (the Readiness
    rows too) and the header on every page."""
    _engine("pdflatex")
    log, text, pages = compile_latex(tmp_path, export_table(buyin, "cmocs", "latex").decode("utf-8"),
                                     size)
    assert "Overfull" not in log and "Float too large" not in log
    found = set(re.findall(r"\b[A-Z]{2}\d\b", text))
    assert found == set(buyin.cmocs)
    assert pages >= 2 and len(re.findall(r"^\s*ID\s+CMOC\s+Evidence\s*$", text, re.M)) == pages


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_latex_table_compiles_with_no_overfull_box(buyin, tmp_path, variant):
    _engine("pdflatex")
    body = export_table(buyin, variant.split("-")[0], "latex", **VARIANTS[variant]).decode("utf-8")
    log, text, _ = compile_latex(tmp_path, body)
    assert "Overfull" not in log
    table = TABLES[variant.split("-")[0]](buyin, **VARIANTS[variant])
    firsts = [str(r[0]).split()[0] for r in table.rows if isinstance(r, list)]
    assert firsts and all(re.search(rf"^\s*{re.escape(w)}\b", text, re.M) for w in firsts), variant


HARD = "Uncertainty\u200b about how a link worker (\u03b1-level, \u00abna\u00efve\u00bb \U0001F600)"


@pytest.fixture
def hard(theory_copy):
    """The buy-in theory with EN1 holding a zero-width space, a Greek letter, guillemets, an
    i with diaeresis and an emoji."""
    path = theory_copy / "cmocs" / "enrolment.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Uncertainty about how a link worker", HARD, 1), encoding="utf-8")
    return load_theory(theory_copy)


def test_latex_names_what_pdflatex_cannot_typeset_and_keeps_it(hard, buyin, tmp_path):
    body = export_table(hard, "cmocs", "latex").decode("utf-8")
    comment = "\n".join(line for line in body.splitlines() if line.startswith("%"))
    assert "% pdflatex cannot typeset U+200B ZERO WIDTH SPACE (in EN1); U+03B1 GREEK SMALL LETTER " \
           "ALPHA (in EN1); U+1F600 GRINNING FACE (in EN1).\n% Compile with LuaLaTeX or XeLaTeX and " \
           "\\usepackage{fontspec}, with a main font that has them" in comment
    assert "U+00AB" not in comment and "U+00EF" not in comment  # pdflatex has these
    assert HARD in body  # the statement as written, nothing dropped or replaced
    assert "% Its characters typeset with pdflatex" in \
        export_table(buyin, "cmocs", "latex").decode("utf-8")
    _engine("pdflatex")  # and pdflatex does stop on them
    log, _, _ = compile_latex(tmp_path, body, ok=False)
    assert "Unicode character \u200b (U+200B)" in log


def test_latex_says_when_pdflatex_needs_t1(hard, tmp_path):
    table = TABLES["cmocs"](hard)
    table.rows = [[r[0], r[1].replace("\u200b", "").replace("\u03b1", '"a"').replace("\U0001F600", ""),
                   r[2]] if isinstance(r, list) else r for r in table.rows]
    body = FORMATS["latex"](table).decode("utf-8")
    assert "% pdflatex needs \\usepackage[T1]{fontenc} for U+0022 QUOTATION MARK (in EN1); U+00AB " \
           "LEFT-POINTING DOUBLE ANGLE QUOTATION MARK (in EN1); U+00BB RIGHT-POINTING DOUBLE ANGLE " \
           "QUOTATION MARK (in EN1); LuaLaTeX and XeLaTeX need none." in body  # " is \\textquotedbl
    _engine("pdflatex")
    log, _, _ = compile_latex(tmp_path, body, ok=False)  # which OT1 lacks
    assert "Command \\textquotedbl unavailable in encoding OT1" in log
    log, text, _ = compile_latex(tmp_path, body, preamble="\\usepackage[T1]{fontenc}")
    assert "EN1" in text and "Overfull" not in log  # (without cm-super, pdftotext cannot read «)


def test_lualatex_with_a_font_that_has_them_typesets_what_pdflatex_cannot(hard, tmp_path):
    """What the comment says to do: LuaLaTeX, fontspec and a font with Greek (DejaVu Serif,
    about 15% wider than Computer Modern, still with no overfull box)."""
    _engine("lualatex")
    if "DejaVu Serif" not in subprocess.run(["fc-list"], capture_output=True, text=True).stdout:
        pytest.skip("no DejaVu Serif")
    log, text, _ = compile_latex(tmp_path, export_table(hard, "cmocs", "latex").decode("utf-8"),
                                 engine="lualatex",
                                 preamble="\\usepackage{fontspec}\\setmainfont{DejaVu Serif}")
    assert "Overfull" not in log
    assert "\u03b1-level" in text and "\u00abna\u00efve\u00bb" in text


def test_an_empty_table_is_said_not_just_written(ptgraph, tmp_path):
    (tmp_path / "theory.yaml").write_text(
        "ptgraph: 1\ntheory: {id: t, title: T}\nareas: {a: A}\nconcepts: {c: C, m: M, o: O}\n"
        "cmocs:\n  A1: {area: a, statement: C (C) M (M) O (O), context: c, mechanism: m, outcome: o}\n",
        encoding="utf-8")
    for table, why in (("sites", "has no sites, so the sites table is empty"),
                       ("evidence", "has no evidence, so every count is 0")):
        run = ptgraph("export", "table", tmp_path, "--table", table)
        assert run.code == 0 and f"ptgraph: warning: theory 't' {why}" in run.err, run
    assert "warning" not in ptgraph("export", "table", "theory", "--table", "sites").err
