"""Figures draw text exactly as written, whatever it holds; what they cannot draw, check refuses.

The hostile strings of ``tests/support/hostile.py`` go into every field a
figure draws (a theory with one area, three concepts, a CMOC, a quote and a
pathway per string), then through ``ptgraph check`` and ``ptgraph render``
(and ``render --diff``). Graphviz's SVG is read back and compared with the
YAML, group by group: the graph label, each cluster label, node and arrow
label holds the texts the view puts there, in order.

How drawn text is compared. Graphviz draws each line of a label as one SVG
``<text>``, and draws nothing for an empty line; it writes the second space
of a run as ``&#160;``, which is turned back into a space here before the XML
is read. The lines of a group are joined with as many line breaks as the gap
between them holds lines (an empty line leaves a gap twice as tall). The
result must equal what was written, with each written line break (CR LF, LF,
CR, VT, FF, NEL, U+2028, U+2029) as one ``\\n``, where the only liberty is
that the wrapper may draw a break in place of one space. Empty lines at the
very start or end of a group draw nothing and cannot be seen.

Strings check refuses (:data:`support.hostile.UNDRAWABLE`) must each be
refused with E109 at their field, naming the character and where in the
text it is, and nothing else may be refused.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from support.hostile import DRAWABLE, HOSTILE, UNDRAWABLE, write_theory

from ptgraph import render
from ptgraph.cli import cli
from ptgraph.model import CMOC, Area, Concept, Theory

HERE = Path(__file__).resolve().parent
BACKSLASH = HERE / "fixtures" / "render" / "backslash"
SVG = "{http://www.w3.org/2000/svg}"
#: Unicode's mandatory line breaks (UAX #14), each drawn as one line break.
BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")
#: Areas drawn as diff figures: the first, and the one whose statement spells a stand-in's id.
DIFF_AREAS = [0, next(i for i, s in enumerate(DRAWABLE) if "~before~" in s)]


@dataclass(frozen=True)
class Line:
    text: str
    y: float
    size: float


def drawn_groups(svg: bytes) -> dict[str, list[Line]]:
    """``graph`` (the graph label) and each cluster, node and edge name -> its drawn lines."""
    text = svg.decode("utf-8").replace("&#160;", " ")  # Graphviz's stand-in for a repeated space
    root = ET.fromstring(text.encode("utf-8"))
    groups = {}
    for g in root.iter(f"{SVG}g"):
        kind = g.get("class")
        if kind not in ("graph", "cluster", "node", "edge"):
            continue
        name = "graph" if kind == "graph" else g.find(f"{SVG}title").text
        groups[name] = [Line(t.text or "", float(t.get("y")), float(t.get("font-size")))
                        for t in g.findall(f"{SVG}text")]
    return groups


def joined(lines: list[Line]) -> str:
    """Drawn lines as one text, with a line break per line of the gap between two lines."""
    out = lines[0].text if lines else ""
    for above, below in zip(lines, lines[1:]):
        # a line is 1 to 1.2 times its font size; two in a table row share a y (at least one break)
        out += "\n" * max(1, round((below.y - above.y) / (1.1 * below.size))) + below.text
    return out


def as_written(drawn: str, written: str) -> bool:
    """Is ``drawn`` (see :func:`joined`) the text ``written``, wrapped?"""
    written = BREAK.sub("\n", written).strip("\n")
    if len(drawn) != len(written):
        return False
    return all(d == w or (d == "\n" and w == " ") for d, w in zip(drawn, written))


def assert_drawn(groups: dict[str, list[Line]], name: str, *texts: str, where: str = "") -> None:
    """Group ``name`` draws ``texts``, each starting on a line of its own, and nothing else."""
    assert name in groups, f"{where}: no group {name}"
    drawn = joined(groups[name])
    written = "\n".join(texts)
    assert as_written(drawn, written), f"{where} {name}: drew {drawn!r}, written {written!r}"


# --- the case: backslashes -------------------------------------------------------------------

@pytest.mark.dot
def test_backslashes_in_labels_are_drawn_as_written(ptgraph, tmp_path):
    # Issue 13, case 10: these were drawn 'Carerc_ctxurse visits', 'Feels \ is heard' and
    # 'Less isolatedcmoc-X1': Graphviz expands \N, \\ and \G in label text.
    run = ptgraph("render", BACKSLASH, "-o", tmp_path, "--view", "cmoc:X1", "--format", "svg",
                  "--format", "dot")
    assert run.code == 0, run
    groups = drawn_groups((tmp_path / "cmoc-X1.svg").read_bytes())
    assert [line.text for line in groups["c_ctx"]] == ["Carer\\Nurse visits", "at home"]
    assert [line.text for line in groups["m_mech"]] == ["Feels \\\\ is heard"]
    assert [line.text for line in groups["o_out"]] == ["Less isolated\\G"]
    dot = (tmp_path / "cmoc-X1.dot").read_text(encoding="utf-8")
    assert "label=<Carer\\\\Nurse visits<BR/>at home>" in dot  # doubled, so Graphviz halves it


# --- check: what cannot be drawn is refused, where it is ---------------------------------------

def test_check_refuses_exactly_the_undrawable_strings_at_their_fields(ptgraph, tmp_path):
    root = tmp_path / "all"
    written = write_theory(root, "all-hostile", HOSTILE, title="A plain title")
    run = ptgraph("check", "--format", "json", root)
    assert run.code == 1, run
    got = {(Path(p["path"]).name, p["line"], p["col"]): (p["code"], p["message"])
           for p in json.loads(run.out)["problems"]}
    expected = {}
    for (file, keys), (line, col, value) in written.drawn.items():
        if value in UNDRAWABLE:
            name = UNDRAWABLE[value]
            char = chr(int(name.split()[0][2:], 16))
            expected[file, line, col] = f"holds {name} at character {value.index(char) + 1}"
    assert len(expected) == len(UNDRAWABLE) * 9  # 9 drawn fields per string
    assert set(got) == set(expected)  # every refusal at its field, and nothing else
    for where, (code, message) in got.items():
        assert code == "E109" and expected[where] in message, (where, message)


def test_check_accepts_undrawable_text_where_nothing_draws_it(ptgraph, tmp_path):
    write_theory(tmp_path / "t", "free-hostile", DRAWABLE, HOSTILE)
    run = ptgraph("check", tmp_path / "t")
    assert (run.code, run.out) == (0, ""), run


# --- render: every figure draws every string as written -----------------------------------------

@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """The hostile theory (drawable strings where figures draw, all strings elsewhere), its
    figures as SVG: the standard views, chains and conflicts, and diff figures against a
    version where every CMOC has the next one's mechanism (so stand-ins are drawn)."""
    base = tmp_path_factory.mktemp("hostile")
    written = write_theory(base / "theory", "hostile", DRAWABLE, HOSTILE)
    old = base / "old"
    write_theory(old, "hostile", DRAWABLE, HOSTILE)
    cmocs = (old / "cmocs.yaml").read_text(encoding="utf-8")
    n = len(DRAWABLE)
    cmocs = re.sub(r"mechanism: mech(\d+)", lambda m: f"mechanism: mech{(int(m.group(1)) + 1) % n}",
                   cmocs)
    (old / "cmocs.yaml").write_text(cmocs, encoding="utf-8")
    out = base / "out"
    runs = [["check", base / "theory"],
            ["render", base / "theory", "-o", out, "--format", "svg"],
            ["render", base / "theory", "-o", out, "--format", "svg", "--view", "chains",
             "--view", "conflicts"],
            ["render", base / "theory", "-o", out, "--format", "png", "--view", "area:a0"],
            ["render", base / "theory", "--diff", old, "-o", out, "--format", "svg",
             "--view", "overview", "--view", "pathways"]
            + [a for i in DIFF_AREAS for a in ("--view", f"area:a{i}")]]
    for args in runs:
        result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
        assert result.exit_code == 0, (args[0], result.output)
    return written, out


def svg(out: Path, name: str) -> dict[str, list[Line]]:
    return drawn_groups((out / f"{name}.svg").read_bytes())


def heading(written, *lines: str) -> tuple[str, ...]:
    """A graph label: the title, ``lines``, the citation (and the DOI unless it holds it)."""
    doi = f" doi:{written.doi}" if written.doi not in written.citation else ""
    return (written.title, *lines, written.citation + doi)


@pytest.mark.dot
def test_every_figure_drew_without_replacing_a_character(drawn):
    written, out = drawn
    figures = sorted(out.glob("*.svg"))
    assert len(figures) > 3 * len(DRAWABLE)
    for path in figures:
        # U+FFFD stands in for what check refuses: a figure drawing it would draw a field
        # E109 does not guard (every field nothing draws holds undrawable strings here)
        assert "\ufffd" not in path.read_text(encoding="utf-8"), path.name
    assert (out / "area-a0.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"  # all, in its title


@pytest.mark.dot
def test_cmoc_cards_draw_statement_concepts_area_and_participant(drawn):
    written, out = drawn
    for i, s in enumerate(written.strings):
        g = svg(out, f"cmoc-M{i}")
        assert_drawn(g, "graph", f"M{i} · {s}", f"“{s}”",
                     f"Evidence: 1 supporting quote from 1 participant ({s}) at 1 site.",
                     where=f"cmoc-M{i}")
        for node in (f"c_ctx{i}", f"m_mech{i}", f"o_out{i}"):
            assert_drawn(g, node, s, where=f"cmoc-M{i}")


@pytest.mark.dot
def test_area_views_draw_title_label_description_concepts_and_statement(drawn):
    written, out = drawn
    for i, s in enumerate(written.strings):
        g = svg(out, f"area-a{i}")
        assert_drawn(g, "graph", *heading(written, f"{s} (1 CMOC)", s), where=f"area-a{i}")
        for node in (f"c_ctx{i}", f"c_mech{i}", f"c_out{i}"):
            assert_drawn(g, node, s, where=f"area-a{i}")
        assert_drawn(g, "footer", "CMOCs", f"M{i}", f"{s} (1 supporting quote)", where=f"area-a{i}")
        assert_drawn(g, f"c_ctx{i}->c_mech{i}", f"M{i}", where=f"area-a{i}")


@pytest.mark.dot
def test_pathway_views_draw_label_description_and_steps(drawn):
    written, out = drawn
    for i, s in enumerate(written.strings):
        g = svg(out, f"pathway-path{i}")
        assert_drawn(g, "graph", *heading(written, f"path{i}: {s}", s), where=f"pathway-path{i}")
        assert_drawn(g, "p_00", s, where=f"pathway-path{i}")
        assert_drawn(g, "p_01", f"M{i}", s, where=f"pathway-path{i}")
        assert_drawn(g, "p_02", s, where=f"pathway-path{i}")


@pytest.mark.dot
@pytest.mark.parametrize("view", ["overview", "conflicts"])
def test_whole_theory_views_draw_every_area_and_concept(drawn, view):
    written, out = drawn
    g = svg(out, view)
    n = len(written.strings)
    title = {"overview": f"Programme theory: {n} CMOCs in {n} areas",
             "conflicts": "Conflicts: 0 findings"}[view]
    assert_drawn(g, "graph", *heading(written, title), where=view)
    for i, s in enumerate(written.strings):
        assert_drawn(g, f"cluster_a{i}", f"{s} (1 CMOC)", where=view)
        for node in (f"c_ctx{i}", f"c_mech{i}", f"c_out{i}"):
            assert_drawn(g, node, s, where=view)
        assert_drawn(g, f"c_mech{i}->c_out{i}", f"M{i}", where=view)


@pytest.mark.dot
def test_pathways_and_chains_views_draw_every_panel(drawn):
    written, out = drawn
    g = svg(out, "pathways")
    assert_drawn(g, "graph", *heading(written, "Pathways"), where="pathways")
    for i, s in enumerate(written.strings):
        assert_drawn(g, f"cluster_p_path{i}", f"path{i}: {s}", where="pathways")
        assert_drawn(g, f"p_path{i}_01", f"M{i}", s, where="pathways")
        assert_drawn(g, f"p_path{i}_02", s, where="pathways")
    assert_drawn(svg(out, "chains"), "graph",
                 *heading(written, "Chains of CMOCs", "No chains found."), where="chains")


@pytest.mark.dot
def test_diff_figures_draw_labels_and_statements_as_written(drawn):
    # render --diff rewrites the DOT (marks, stand-in CMOCs for lost links): user text,
    # one of which spells a stand-in's id, must come through untouched.
    written, out = drawn
    g = svg(out, "overview-diff")
    for i, s in enumerate(written.strings):
        assert_drawn(g, f"cluster_a{i}", f"{s} (1 CMOC)", where="overview-diff")
        assert_drawn(g, f"c_ctx{i}", s, where="overview-diff")
    for i in DIFF_AREAS:
        assert_drawn(svg(out, f"area-a{i}-diff"), "footer", "CMOCs", f"~M{i}",
                     f"{written.strings[i]} (1 supporting quote)", where=f"area-a{i}-diff")
    g = svg(out, "pathways-diff")
    for i, s in enumerate(written.strings):
        assert_drawn(g, f"p_path{i}_01", f"M{i}", s, where="pathways-diff")


# --- the escaping function itself ------------------------------------------------------------

@pytest.mark.dot
def test_text_check_would_refuse_still_draws_as_a_replacement_character():
    # render called on a theory that never went through check: the figure still draws
    labels = {f"c{i}": s for i, s in enumerate(UNDRAWABLE)}
    t = Theory("t", "T", areas={"a": Area("a", "A")},
               concepts={cid: Concept(cid, s) for cid, s in labels.items()},
               cmocs={"X": CMOC("X", "a", "s", *(tuple(labels)[r::3] for r in range(3)))})
    source = render.figure(t, "cmoc:X").source
    for text, name in UNDRAWABLE.items():
        assert text.replace(chr(int(name.split()[0][2:], 16)), "\ufffd") in source, name
    assert render.run_graphviz(source, "svg").startswith(b"<?xml")


@given(st.text(alphabet=" ab\u00a0é", max_size=40), st.integers(1, 12))
def test_wrapping_only_turns_single_spaces_into_breaks(text, width):
    lines = render._wrap(text, width)
    assert " ".join(lines) == text  # each break took the place of exactly one space
    for line in lines[:-1]:  # a line is over width only when it holds no space to break at
        assert line and (len(line) <= width or " " not in line[1:width + 1])
