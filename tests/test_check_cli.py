"""``ptgraph check``, ``stats``, ``rules``: output formats, options and exit codes."""

from __future__ import annotations

import json
import shutil

import pytest

from ptgraph.problems import Problem, format_github
from ptgraph.rules import RULES

MANIFEST = "ptgraph: 1\ntheory:\n  id: t\n  title: T\n"
#: One error (E201 at 12:5) and one warning (W301 at 6:3).
BROKEN = MANIFEST + """concepts:
  lonely: Nobody uses this
  c: C
  m: M
  o: O
cmocs:
  C1:
    area: missing-area
    statement: S
    context: c
    mechanism: m
    outcome: o
"""
ERROR_TEXT = ("t/theory.yaml:12:5: E201 CMOC 'C1' refers to area 'missing-area' in 'area', "
              "which is not defined")
WARNING_TEXT = ("t/theory.yaml:6:3: W301 concept 'lonely' is declared but no CMOC or pathway "
                "uses it")
NO_GITHUB = {"GITHUB_ACTIONS": None}


@pytest.fixture
def broken(tmp_path, monkeypatch):
    """A theory ``t`` with one error and one warning."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "theory.yaml").write_text(BROKEN)
    return "t"


@pytest.fixture
def warned(tmp_path, monkeypatch):
    """A theory ``w`` whose only problem is a warning."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "w").mkdir()
    (tmp_path / "w" / "theory.yaml").write_text(MANIFEST + "concepts:\n  lonely: Nobody uses this\n")
    return "w"


# --- formats ----------------------------------------------------------------------------------

def test_text_format(ptgraph, broken):
    run = ptgraph("check", "--format", "text", broken)
    assert run.code == 1
    assert run.out.splitlines() == [WARNING_TEXT + " (warning)", ERROR_TEXT]
    assert run.err.startswith("failed: 1 error, 1 warning")


def test_text_is_the_default_outside_github_actions(ptgraph, broken):
    run = ptgraph("check", broken, env=NO_GITHUB)
    assert run.out.splitlines()[1] == ERROR_TEXT


def test_json_format_has_a_fixed_shape(ptgraph, broken):
    run = ptgraph("check", "--format", "json", broken)
    assert run.code == 1
    assert json.loads(run.out) == {
        "version": 1,
        "problems": [
            {"path": "t/theory.yaml", "line": 6, "col": 3, "code": "W301", "rule": "unused-concept",
             "level": "warning", "message": WARNING_TEXT.split(" W301 ")[1]},
            {"path": "t/theory.yaml", "line": 12, "col": 5, "code": "E201",
             "rule": "unknown-reference", "level": "error",
             "message": ERROR_TEXT.split(" E201 ")[1]},
        ],
        "summary": {"error": 1, "warning": 1, "info": 0},
    }
    assert run.err == ""  # no summary line mixed into machine output


def test_json_format_when_clean(ptgraph, repo_root):
    run = ptgraph("check", "--format", "json", repo_root / "theory")
    assert run.code == 0
    assert json.loads(run.out) == {"version": 1, "problems": [],
                                   "summary": {"error": 0, "warning": 0, "info": 0}}


def test_github_format(ptgraph, broken):
    run = ptgraph("check", "--format", "github", broken)
    assert run.code == 1
    assert run.out.splitlines() == [
        "::warning file=t/theory.yaml,line=6,col=3,title=W301 unused-concept::"
        + WARNING_TEXT.split(" W301 ")[1],
        "::error file=t/theory.yaml,line=12,col=5,title=E201 unknown-reference::"
        + ERROR_TEXT.split(" E201 ")[1],
    ]


def test_github_is_the_default_in_github_actions(ptgraph, broken):
    run = ptgraph("check", broken, env={"GITHUB_ACTIONS": "true"})
    assert run.code == 1
    assert run.out.splitlines()[1].startswith("::error file=t/theory.yaml,line=12,col=5,")


def test_github_escapes_what_would_break_an_annotation():
    problem = Problem("a,b:c.yaml", 1, 2, "E001", "50% done\nnext line", rule="yaml-syntax")
    assert format_github([problem]) == (
        "::error file=a%2Cb%3Ac.yaml,line=1,col=2,title=E001 yaml-syntax::50%25 done%0Anext line\n")


def test_problems_without_a_line_are_whole_file_annotations(ptgraph, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.yaml").write_text("areas:\n  a: A\n")
    run = ptgraph("check", "--format", "github", "d")
    assert run.out.startswith("::error file=d,title=E101 manifest::no theory.yaml in this directory")


# --- options and exit codes --------------------------------------------------------------------

def test_warnings_pass_unless_strict(ptgraph, warned):
    relaxed = ptgraph("check", "--format", "text", warned)
    assert relaxed.code == 0
    assert relaxed.out.startswith("w/theory.yaml:6:3: W301 ")
    assert relaxed.err.startswith("ok: 0 errors, 1 warning")
    strict = ptgraph("check", "--strict", "--format", "text", warned)
    assert strict.code == 1
    assert strict.out == relaxed.out


def test_select_runs_only_the_named_rules(ptgraph, broken):
    only_error = ptgraph("check", "--format", "text", "--select", "E201", broken)
    assert (only_error.code, only_error.out.splitlines()) == (1, [ERROR_TEXT])
    only_warning = ptgraph("check", "--format", "text", "--select", "w301, E204", broken)
    assert (only_warning.code, only_warning.out.splitlines()) == (0, [WARNING_TEXT + " (warning)"])


def test_unknown_rule_code_is_a_usage_error(ptgraph, broken):
    run = ptgraph("check", "--select", "E201,E999", broken)
    assert run.code == 2
    assert "unknown rule code(s) E999" in run.err
    assert run.out == ""


def test_unknown_format_is_a_usage_error(ptgraph, broken):
    run = ptgraph("check", "--format", "xml", broken)
    assert run.code == 2
    assert "--format" in run.err


def test_quiet_drops_the_summary(ptgraph, broken):
    run = ptgraph("check", "-q", "--format", "text", broken)
    assert (run.code, run.err) == (1, "")


def test_several_paths_are_checked_together(ptgraph, broken, warned):
    run = ptgraph("check", "--format", "text", broken, warned)
    assert run.code == 1
    assert run.out.splitlines() == [WARNING_TEXT + " (warning)", ERROR_TEXT,
                                    "w/theory.yaml:6:3: W301 concept 'lonely' is declared but no "
                                    "CMOC or pathway uses it (warning)"]


def test_default_path_is_theory_folder(ptgraph, tmp_path, monkeypatch, repo_root):
    monkeypatch.chdir(tmp_path)
    missing = ptgraph("check")
    assert missing.code == 2
    assert "no theory/ folder here" in missing.err
    monkeypatch.chdir(repo_root)
    run = ptgraph("check", "--strict", env=NO_GITHUB)
    assert (run.code, run.out) == (0, "")
    assert run.err.startswith("ok: 0 errors, 0 warnings — theory: 16 files, 26 CMOCs")


# --- stats ---------------------------------------------------------------------------------------

def test_stats_json_on_the_buyin_theory(ptgraph, repo_root):
    run = ptgraph("stats", repo_root / "theory", "--format", "json")
    assert run.code == 0
    stats = json.loads(run.out)
    assert {k: stats[k] for k in ("cmocs", "areas", "sites", "pathways")} == {
        "cmocs": 26, "areas": 5, "sites": 7, "pathways": 3}
    assert stats["evidence"] >= 25
    assert set(stats) >= {"cmocs", "concepts", "areas", "sites", "evidence", "pathways", "roles"}
    assert list(stats["roles"]) == ["context", "mechanism", "outcome", "resource", "intervention",
                                    "actor"]
    assert all(isinstance(n, int) and n > 0 for n in list(stats["roles"].values())[:3])
    assert list(stats["roles"].values())[3:] == [0, 0, 0]  # the buy-in paper does not split them
    assert stats["concepts"] >= max(stats["roles"].values())


def test_stats_text(ptgraph, repo_root):
    run = ptgraph("stats", repo_root / "theory")
    assert run.code == 0
    lines = run.out.splitlines()
    assert "cmocs           26" in lines
    assert "  mechanism     24" in lines  # role counts line up with the totals
    assert "  intervention  0" in lines  # the longest role name too
    # each breakdown under its own heading: the roles once read as parts of "pathways"
    assert lines[lines.index("concepts by role") + 1].startswith("  context ")


def test_stats_refuses_a_theory_that_fails_check(ptgraph, broken):
    run = ptgraph("stats", broken, "--format", "json")
    assert run.code == 2
    assert run.out == ""
    assert ERROR_TEXT in run.err.splitlines()
    assert "the theory has 1 problem" in run.err


# --- rules -------------------------------------------------------------------------------------------

def test_rules_lists_every_rule_once(ptgraph):
    run = ptgraph("rules")
    assert run.code == 0
    lines = run.out.splitlines()
    assert [line.split()[:3] for line in lines] == [[r.code, r.name, r.level] for r in RULES]
    assert all(r.summary in line for r, line in zip(RULES, lines))


@pytest.mark.parametrize("name", ["E201", "e201", "unknown-reference"])
def test_rules_shows_one_rule_with_its_examples(ptgraph, name):
    run = ptgraph("rules", name)
    assert run.code == 0
    assert run.out.startswith("E201 unknown-reference (error)\n")
    assert "Passing" in run.out and "Failing" in run.out
    assert "gp-refferal" in run.out


def test_rules_unknown_code_is_a_usage_error(ptgraph):
    run = ptgraph("rules", "E999")
    assert run.code == 2
    assert "no rule 'E999'" in run.err


def test_a_file_that_is_not_yaml_is_no_theory(ptgraph, tmp_path):
    """`check table.csv` once checked every YAML file of the table's folder."""
    (tmp_path / "t.csv").write_text("Context,Mechanism,Outcome\n", encoding="utf-8")
    for command in ("check", "render", "stats"):
        run = ptgraph(command, tmp_path / "t.csv")
        assert run.code == 2, (command, run)
        assert (f"{tmp_path / 't.csv'} is not a theory file: give a theory's folder or one of its "
                f".yaml files; to make a draft theory of a table: ptgraph import table") in run.err


def test_a_theory_inside_a_theory_is_named_as_such(ptgraph, tmp_path, repo_root):
    shutil.copytree(repo_root / "tests" / "fixtures" / "render" / "small", tmp_path / "outer")
    shutil.copytree(repo_root / "tests" / "fixtures" / "render" / "small", tmp_path / "outer" / "inner")
    run = ptgraph("check", tmp_path / "outer")
    assert run.code == 1
    assert (f"inner/theory.yaml:5:1: E101 `theory:` belongs in this theory's own theory.yaml, at its "
            f"top; {tmp_path / 'outer' / 'inner'} holds another theory") in run.out, run.out
