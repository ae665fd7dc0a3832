"""What the researcher wrote is what ptgraph reads: YAML 1.1 retyping and line-breaking characters.

Two kinds of silent change, each tested for its whole class:

* PyYAML resolves plain scalars by YAML 1.1 (``NO`` -> false, ``0123`` -> 83,
  ``9:30`` -> 570). Every implicit form is written into every place a plain
  scalar becomes data: a site attribute, a label, an id in a list, a pathway
  step. It must come out as the text written.
* YAML counts U+2028, U+2029 and U+0085 as line breaks; editors, ``grep -n``
  and GitHub do not. Every such character must leave later positions where an
  editor shows them, and be named by code point where it is.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from ptgraph.check import check_theory, load_theory
from ptgraph.loader import PLAIN_BOOLEANS, PLAIN_NUMBER

CASES = Path(__file__).resolve().parent / "fixtures" / "cases"

#: Every plain scalar YAML 1.1 (as PyYAML implements it) reads as a boolean, an integer or a
#: float although YAML 1.2 or a reader would take it as text: each must stay text.
YAML11_FORMS = [
    # booleans
    "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
    "True", "TRUE", "False", "FALSE",
    # integers: octal, hexadecimal, binary, base 60, underscores, explicit sign, negative zero
    "0123", "007", "00", "0x1F", "0b101", "-0b1", "9:30", "190:20:30",
    "-1:30", "1_000", "+5", "+0", "-0", "0_1",
    # floats: special values, base 60, underscores, signs, trailing point
    ".nan", ".NaN", ".NAN", ".inf", "-.inf", "+.inf", ".Inf", "-.INF", "1_000.5", "190:20:30.15",
    "+1.5", "1.", "-1.", "01.5", "1_0.5e+3",
]
#: Plain scalars that are values of another type, as written.
TYPED = {"true": True, "false": False, "12": 12, "-3": -3, "0": 0, "0.25": 0.25,
         "-1.5": -1.5, "1.5e+3": 1500.0, ".5": 0.5}
#: Characters YAML reads as a line break and editors do not.
SEPARATORS = ["\u2028", "\u2029", "\x85"]

MANIFEST = "ptgraph: 1\ntheory:\n  id: t\n  title: T\n"


def write(root: Path, text: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "theory.yaml").write_text(text, encoding="utf-8")
    return root


def test_every_yaml11_form_is_an_instance_of_its_class():
    """The list is of forms PyYAML itself retypes, so a form dropped by PyYAML shows here."""
    import yaml
    for form in YAML11_FORMS:
        assert not isinstance(yaml.safe_load(f"v: {form}")["v"], str), form


@pytest.mark.parametrize("form", YAML11_FORMS)
def test_yaml11_form_is_text_everywhere(tmp_path, form):
    """As a site attribute, an area label, concept and CMOC ids in lists, and a pathway step."""
    cid = form if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", form) else "c"
    text = MANIFEST + f"""areas:
  a1: {form}
concepts:
  '{cid}': {form}
  m: M
  o: O
cmocs:
  X1:
    area: a1
    statement: {form}
    context: [{cid}]
    mechanism: [m]
    outcome: o
    notes: {form}
sites:
  s1:
    label: {form}
    attr: {form}
    many: [{form}, {form}]
pathways:
  p:
    label: {form}
    steps: [{cid}, m, o]
evidence:
  e1: {{quote: {form}, participant: {form}, site: s1, supports: [X1]}}
"""
    checked = check_theory(write(tmp_path / "t", text))
    assert [p for p in checked.problems if p.is_error] == []
    t = checked.theory
    assert t.areas["a1"].label == form
    assert t.concepts[cid].label == form
    assert t.cmocs["X1"].statement == form and t.cmocs["X1"].notes == form
    assert t.cmocs["X1"].context == (cid,)
    assert t.sites["s1"].label == form
    assert t.sites["s1"].attributes == {"attr": form, "many": [form, form]}
    assert t.pathways["p"].label == form and t.pathways["p"].steps == (cid, "m", "o")
    assert t.evidence["e1"].quote == form and t.evidence["e1"].participant == form


@pytest.mark.parametrize("written, value", TYPED.items())
def test_plain_values_written_as_values_keep_their_type(tmp_path, written, value):
    text = MANIFEST + f"sites:\n  s1:\n    label: S\n    attr: {written}\n    many: [{written}]\n"
    attrs = check_theory(write(tmp_path / "t", text)).theory.sites["s1"].attributes
    assert attrs == {"attr": value, "many": [value]}
    assert type(attrs["attr"]) is type(value)


def test_the_rule_for_typed_values_is_the_loaders():
    """The two tables above agree with the loader's own definition (so neither drifts)."""
    for written in TYPED:
        assert written in PLAIN_BOOLEANS or any(r.match(written) for r in PLAIN_NUMBER.values())
    for form in YAML11_FORMS:
        assert form not in PLAIN_BOOLEANS and not any(r.match(form) for r in PLAIN_NUMBER.values())


def test_text_fields_take_numbers_and_booleans_as_written(tmp_path):
    text = MANIFEST.replace("title: T", "title: 2024") + """concepts:
  '1': 1
  '2.50': {label: 2.50, tags: [2024, true]}
  m: M
areas:
  a1: 1999
cmocs:
  '007':
    area: a1
    statement: 3.0
    context: [1, 2.50]
    mechanism: m
    outcome: 1
"""
    checked = check_theory(write(tmp_path / "t", text))
    assert [p.message for p in checked.problems if p.is_error] == []
    t = checked.theory
    assert t.title == "2024" and t.areas["a1"].label == "1999"
    assert t.concepts["2.50"].label == "2.50" and t.concepts["2.50"].tags == ("2024", "true")
    assert t.cmocs["007"].statement == "3.0" and t.cmocs["007"].context == ("1", "2.50")
    # alternatives too: context: {any: [...]}
    checked = check_theory(write(tmp_path / "u", text.replace("context: [1, 2.50]",
                                                              "context: {any: [1, 2.50]}")))
    assert [p.message for p in checked.problems if p.is_error] == []
    m = checked.theory.cmocs["007"]
    assert (m.context, m.context_any) == (("1", "2.50"), True)


def test_an_explicit_tag_still_types_the_value(tmp_path):
    text = MANIFEST + "sites:\n  s1:\n    label: S\n    a: !!int 0o17\n    b: !!str 12\n"
    attrs = check_theory(write(tmp_path / "t", text)).theory.sites["s1"].attributes
    assert attrs == {"a": 15, "b": "12"}


def test_a_wrong_item_is_reported_at_the_item_not_its_list(tmp_path, ptgraph):
    text = MANIFEST + """concepts: {c: C, m: M, o: O}
areas: {a1: A}
cmocs:
  X1:
    area: a1
    statement: S
    context: [c,
              ~]
    mechanism: m
    outcome: [o, [x]]
pathways:
  p:
    label: P
    steps:
      - c
      - nope
"""
    run = ptgraph("check", "--format", "json", write(tmp_path / "t", text))
    where = sorted((p["line"], p["col"], p["code"]) for p in json.loads(run.out)["problems"]
                   if p["level"] == "error")
    assert where == [(12, 15, "E104"), (14, 18, "E104"), (20, 9, "E201")], run.out


# --- line-breaking characters ---------------------------------------------------------------


@pytest.mark.parametrize("char", SEPARATORS, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("quoting", ["double", "single", "block"])
def test_positions_after_a_separator_are_an_editors(tmp_path, ptgraph, char, quoting):
    value = {"double": f'"Copied from the PDF:{char}in a context (C)."',
             "single": f"'Copied from the PDF:{char}in a context (C).'",
             "block": f"|-\n      Copied from the PDF:{char}in a context (C)."}[quoting]
    text = MANIFEST + f"""areas: {{a1: A}}
concepts: {{ctx: C, mech: M, out: O}}
cmocs:
  X1:
    area: a1
    statement: {value}
    context: ctxx
    mechanism: mech
    outcome: out
"""
    root = write(tmp_path / "t", text)
    typo = next(i for i, line in enumerate(text.split("\n"), 1) if "ctxx" in line)
    sep = next(i for i, line in enumerate(text.split("\n"), 1) if char in line)
    col = text.split("\n")[sep - 1].index(char) + 1
    run = ptgraph("check", "--format", "json", root)
    problems = {(p["code"], p["line"], p["col"]) for p in json.loads(run.out)["problems"]}
    name = {"\u2028": "U+2028 LINE SEPARATOR", "\u2029": "U+2029 PARAGRAPH SEPARATOR",
            "\x85": "U+0085 NEXT LINE (NEL)"}[char]
    if ("E001", sep, col) in problems:  # the block scalar: YAML cannot read it at all
        assert name in run.out
        return
    assert ("E201", typo, 5) in problems, run.out
    assert ("E006", sep, col) in problems, run.out
    assert name in run.out
    gh = ptgraph("check", "--format", "github", root).out
    assert f"line={typo},col=5," in gh and f"line={sep},col={col}," in gh


@pytest.mark.parametrize("char", SEPARATORS, ids=lambda c: f"U+{ord(c):04X}")
def test_an_unquoted_separator_is_named_where_it_is(tmp_path, ptgraph, char):
    text = MANIFEST + f"concepts:\n  ctx: A context{char}pasted from a web page\n  mech: M\n"
    run = ptgraph("check", write(tmp_path / "t", text))
    assert run.code == 1
    assert f"theory.yaml:6:17: E001 U+{ord(char):04X} " in run.out, run.out


@pytest.mark.parametrize("where, text, place", [
    ("indentation", "concepts:\n  c: C\n\u00a0 d: D\n", "7:1: E001 U+00A0 NO-BREAK SPACE in the indentation"),
    ("after-colon", "concepts:\n  c:\u00a0C\n  d: D\n", "6:5: E001 U+00A0 NO-BREAK SPACE after ':'"),
    ("narrow", "concepts:\n  c: C\n \u202fd: D\n", "7:2: E001 U+202F NARROW NO-BREAK SPACE in the"),
], ids=lambda x: x if isinstance(x, str) and "\n" not in x and "E001" not in x else "")
def test_a_space_look_alike_that_breaks_the_file_is_named_where_it_is(tmp_path, ptgraph, where,
                                                                     text, place):
    """A no-break space pasted from Word in a line's indentation: YAML reads it as text, and
    its error was once given a line later, naming no character."""
    run = ptgraph("check", write(tmp_path / "t", MANIFEST + text))
    assert run.code == 1 and f"theory.yaml:{place}" in run.out, run.out
    assert "looks like a space but YAML reads it as text" in run.out


def test_a_no_break_space_inside_a_value_is_kept_as_written(tmp_path):
    checked = check_theory(write(tmp_path / "t", MANIFEST + "concepts:\n  c: Feel\u00a0less alone\n"))
    assert [p for p in checked.problems if p.is_error] == []
    assert checked.theory.concepts["c"].label == "Feel\u00a0less alone"


def test_escaped_separators_are_kept_and_accepted(tmp_path):
    text = MANIFEST + 'concepts:\n  c: "one\\u2028two\\u2029three\\x85four"\n'
    checked = check_theory(write(tmp_path / "t", text))
    assert [p for p in checked.problems if p.is_error] == []
    assert checked.theory.concepts["c"].label == "one\u2028two\u2029three\x85four"


# --- the reported cases, as fixtures ---------------------------------------------------------


def test_case_yaml11_site_attributes(ptgraph):
    root = CASES / "01-yaml11-site-attributes"
    assert ptgraph("check", root).code == 0
    for by, value in (("country", "NO"), ("practice_code", "0123"), ("clinic_opens", "9:30")):
        run = ptgraph("query", "evidence", root, "--param", f"by={by}", "--format", "json")
        rows = json.loads(run.out)["rows"]
        assert [r["value"] for r in rows] == [value], run.out


def test_case_line_separator(ptgraph, tmp_path):
    shutil.copytree(CASES / "07-line-separator-line-numbers", tmp_path / "c")
    run = ptgraph("check", tmp_path / "c" / "theory")
    assert re.search(r"theory\.yaml:15:5: E201 .*'ctxx'", run.out), run.out
    assert re.search(r"theory\.yaml:14:37: E006 U\+2028 LINE SEPARATOR", run.out), run.out
    plain = ptgraph("check", tmp_path / "c" / "theory-plain")
    assert re.search(r"theory\.yaml:8:17: E001 U\+2028 LINE SEPARATOR", plain.out), plain.out


@pytest.mark.parametrize("case, where", [("bigint", "21:17"), ("mixed-list", "21:12"),
                                         ("empty-key", "21:5")])
def test_case_unstorable_attributes(ptgraph, case, where):
    root = CASES / "11-neo4j-unstorable-attributes" / case
    run = ptgraph("check", root)
    assert run.code == 1
    assert f"theory.yaml:{where}: E108 " in run.out, run.out


def test_case_nan_attribute_is_text(tmp_path):
    theory = load_theory(CASES / "13-nan-attribute-engines-differ")
    assert {s.attributes["imd_score"] for s in theory.sites.values()} == {".nan"}


def test_when_a_separator_breaks_the_file_every_other_one_is_named_too(tmp_path, ptgraph):
    text = MANIFEST + 'concepts:\n  a: "one\u2029two"\n  b: x\x85y\n  c: z\n'
    run = ptgraph("check", "--format", "json", write(tmp_path / "t", text))
    found = [(p["code"], p["line"], p["col"]) for p in json.loads(run.out)["problems"]]
    assert found == [("E006", 6, 10), ("E001", 7, 7)], run.out


def test_a_message_holding_a_newline_stays_one_line(tmp_path, ptgraph):
    text = MANIFEST + 'areas:\n  a1:\n    label: A\n    "odd\\nkey\\tname": 1\n'
    run = ptgraph("check", write(tmp_path / "t", text))
    assert run.code == 1
    assert len(run.out.splitlines()) == 1, run.out
    assert "unknown key 'odd\\nkey\\tname'" in run.out


def test_select_never_passes_a_file_that_could_not_be_read(tmp_path, ptgraph):
    root = write(tmp_path / "t", MANIFEST + "concepts:\n  a: A\n")
    (root / "broken.yaml").write_text('concepts:\n  b: "unterminated\n', encoding="utf-8")
    run = ptgraph("check", "--select", "E201", root)
    assert run.code == 1 and ": E001 " in run.out, run
