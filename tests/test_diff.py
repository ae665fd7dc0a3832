"""``ptgraph diff``: semantic changes between two versions of a theory.

Each folder in ``tests/fixtures/diff/<case>/`` holds an ``old/`` and a ``new/``
theory that differ in one kind of change (its comments say which). The
markdown snapshot ``tests/snapshots/diff-buyin.md`` pins the pull-request
comment for a realistic change to the buy-in theory; rewrite it with
``PTGRAPH_UPDATE_GOLDEN=1 pytest tests/test_diff.py`` after a deliberate
change and review the difference.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ptgraph.check import load_theory
from ptgraph.diff import Change, Replacement, diff_theories
from ptgraph.diff_report import FORMATTERS, format_markdown, to_json

HERE = Path(__file__).resolve().parent
CASES = HERE / "fixtures" / "diff"
SNAPSHOT = HERE / "snapshots" / "diff-buyin.md"
UPDATE = os.environ.get("PTGRAPH_UPDATE_GOLDEN") == "1"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def case(name: str, **kw):
    return diff_theories(load_theory(CASES / name / "old"), load_theory(CASES / name / "new"),
                         old_label="old", new_label="new", **kw)


def modified(d, section: str) -> dict[str, dict[str, tuple]]:
    """``id -> {field: (old, new)}`` of a section's modified entries."""
    return {m.id: {c.field: (c.old, c.new) for c in m.changes} for m in d.sections[section].modified}


def ids(rows: list[dict]) -> list[str]:
    return [r["id"] for r in rows]


# --- kinds of change, one fixture pair each ---------------------------------------------------

def test_cmocs_added_removed_modified_and_status_move():
    d = case("cmocs")
    cmocs = d.sections["cmocs"]
    assert ids(cmocs.added) == ["X5"] and cmocs.added[0]["refines"] == ["X1"]
    assert ids(cmocs.removed) == ["X3"]
    assert modified(d, "cmocs") == {
        "X1": {"status": ("confirmed", "refined"),
               "context": (["gp-referral"], ["gp-referral", "low-mood"])},
        "X2": {"area": ("anchor", "enrol"),
               "statement": ("A trusted link worker (C) makes patients feel less alone (M), easing stress (O).",
                             "A link worker patients trust (C) makes the role credible (M), so they take up the referral (O)."),
               "mechanism": (["less-alone"], ["credible"]),
               "outcome": (["less-stressed"], ["take-up"]),
               "notes": (None, "Re-coded after the second wave of interviews.")},
    }
    assert d.status_moves == [Change("X1", "confirmed", "refined")]
    assert d.replacements == []  # less-alone is still declared: an edit, not a merge
    assert d.summary() == ("1 CMOC added, 1 CMOC removed, 1 CMOC refined, 1 CMOC modified, "
                           "1 chain appears")


def test_concept_merge_into_a_new_id_and_into_an_existing_one():
    d = case("concept-merge")
    assert [(r.kind, r.old, r.new, r.cmocs) for r in d.replacements] == [
        ("merge", ("comforted", "reassured"), ("comforted",), ("A3",)),
        ("merge", ("less-alone", "less-isolated"), ("less-lonely",), ("A1", "A2")),
    ]
    assert d.replacements[1].old_labels == ("Feels less alone", "Feels less isolated")
    # the raw sections stay complete; the summary counts the merges, not their parts
    assert ids(d.sections["concepts"].removed) == ["less-alone", "less-isolated", "reassured"]
    assert ids(d.sections["concepts"].added) == ["less-lonely"]
    assert d.summary() == "2 concept merges"
    md = format_markdown(d)
    assert "| `less-alone`, `less-isolated` | merge |" in md
    assert "| removed |" not in md and "| added |" not in md


def test_concept_split():
    d = case("concept-split")
    assert d.replacements == [Replacement("split", ("better-off",), ("able-to-cope", "connects"),
                                          ("R1", "R2", "R3"), ("Better off",),
                                          ("Able to cope", "Connects to external support"))]
    assert modified(d, "cmocs")["R3"] == {"outcome": (["better-off"], ["able-to-cope"])}
    assert d.summary() == "1 concept split"


def test_concepts_added_removed_relabelled_renamed_and_edited():
    d = case("concepts")
    concepts = d.sections["concepts"]
    assert ids(concepts.added) == ["no-expectations", "low-trust"]
    assert ids(concepts.removed) == ["unsure", "leftover"]
    assert d.relabelled == [Change("uncertain", "Uncertain how link worker helps",
                                   "Unsure how a link worker can help")]
    assert [(r.kind, r.old, r.new, r.cmocs) for r in d.replacements] == [
        ("rename", ("unsure",), ("no-expectations",), ("E1",))]
    assert modified(d, "concepts")["reluctant"] == {
        "description": ("Patients are reluctant to engage.",
                        "Patients are reluctant to engage with the link worker."),
        "opposes": ([], ["take-up"]), "tags": ([], ["barrier"])}
    assert d.summary() == ("1 CMOC added, 1 concept added, 1 concept removed, 1 concept relabelled, "
                           "1 concept id renamed, 1 concept modified")


def test_evidence_added_removed_and_moved_between_cmocs():
    d = case("evidence")
    assert ids(d.sections["evidence"].added) == ["q4"]
    assert ids(d.sections["evidence"].removed) == ["q3"]
    assert modified(d, "evidence") == {
        "q1": {"quote": ("She was always there when I rang.", "She was always there when I rang her."),
               "refutes": ([], ["A2"])},
        "q2": {"supports": (["A2"], ["A1"]), "wave": ("interview", "follow-up")},
    }
    # per CMOC: which evidence now supports or refutes it
    assert modified(d, "cmocs") == {
        "A1": {"supported_by": (["q1"], ["q1", "q2", "q4"])},
        "A2": {"supported_by": (["q2", "q3"], []), "refuted_by": ([], ["q1"])},
    }
    assert d.summary() == "1 evidence added, 1 evidence removed, 2 evidence changed"
    md = format_markdown(d)
    assert "| `A2` | evidence | − `q2`, − `q3` | + `q1` (refutes) |" in md


def test_pathways_added_removed_and_changed():
    d = case("pathways")
    assert ids(d.sections["pathways"].added) == ["d"]
    assert ids(d.sections["pathways"].removed) == ["c"]
    assert modified(d, "pathways") == {
        "a": {"label": ("Quick connection", "Limited interaction before connecting")},
        "b": {"steps": (["connection", "open-up", "trusted", "connects"],
                        ["connection", "open-up", "trusted", "options", "connects"])},
    }
    assert "`connection` → `open-up` → `trusted` → `options` → `connects`" in format_markdown(d)


def test_theory_header_areas_and_sites():
    d = case("header")
    assert d.theory == [Change("title", "Mini theory for diff tests", "Mini theory of enrolment"),
                        Change("source.citation", "A draft report.", "The final report."),
                        Change("source.doi", None, "10.0000/example")]
    assert ids(d.sections["areas"].added) == ["readiness"]
    assert modified(d, "areas") == {"anchor": {"label": ("Anchor", "Anchor point")}}
    assert modified(d, "sites") == {"s1": {"deprivation": ("high", "medium")}}
    assert ids(d.sections["sites"].added) == ["s3"] and ids(d.sections["sites"].removed) == ["s2"]


def test_chains_and_conflicts_that_appear_and_disappear():
    d = case("queries")
    chains, conflicts = d.queries["chains"], d.queries["conflicts"]
    assert [r["cmocs"] for r in chains["appear"]] == [["Q1", "Q5", "Q2"]]
    assert [r["cmocs"] for r in chains["disappear"]] == [["Q1", "Q2"]]
    assert [(r["kind"], r["cmocs"]) for r in conflicts["appear"]] == [("mixed-evidence", ["Q1"])]
    assert [(r["kind"], r["cmocs"]) for r in conflicts["disappear"]] == [
        ("opposing-outcomes", ["Q3", "Q4"])]
    assert d.status_moves == [Change("Q4", "new", "refuted")]
    assert d.summary().endswith("1 chain appears, 1 chain disappears, 1 conflict appears, "
                                "1 conflict disappears")
    assert case("queries", with_queries=False).queries is None


def test_reorganised_files_are_no_semantic_change(ptgraph):
    d = case("reorganised")
    assert not d.changed and d.summary() == "no semantic changes"
    run = ptgraph("diff", CASES / "reorganised" / "old", CASES / "reorganised" / "new", "--exit-code")
    assert run.code == 0, run


@pytest.mark.parametrize("name", sorted(p.name for p in CASES.iterdir() if p.name != "broken"))
@pytest.mark.parametrize("fmt", sorted(FORMATTERS))
def test_every_case_in_every_format(ptgraph, name, fmt):
    run = ptgraph("diff", CASES / name / "old", CASES / name / "new", "--format", fmt)
    assert run.code == 0, run
    summary = case(name).summary()
    first = run.out.splitlines()[0]
    if fmt == "json":
        assert json.loads(run.out)["summary"] == summary
    elif fmt == "markdown":
        assert first == f"**ptgraph diff**: {summary}"
    else:
        assert first.endswith(f": {summary}")


# --- formats -----------------------------------------------------------------------------------

def test_json_has_the_documented_shape():
    doc = to_json(case("queries"))
    assert list(doc) == ["version", "old", "new", "changed", "summary", "theory", "cmocs",
                         "concepts", "evidence", "pathways", "areas", "sites", "sources", "status_moves",
                         "relabelled", "replacements", "queries", "notes"]
    assert doc["version"] == 1 and doc["changed"] is True
    assert doc["old"] == {"side": "old", "theory": "mini"}
    for section in ("cmocs", "concepts", "evidence", "pathways", "areas", "sites"):
        assert list(doc[section]) == ["added", "removed", "modified"]
    assert doc["status_moves"] == [{"cmoc": "Q4", "old": "new", "new": "refuted"}]
    q4 = next(m for m in doc["cmocs"]["modified"] if m["id"] == "Q4")
    assert q4["changes"] == [{"field": "status", "old": "new", "new": "refuted"}]
    assert list(doc["queries"]) == ["chains", "conflicts"]
    assert json.loads(json.dumps(doc)) == doc
    assert to_json(case("concept-merge"))["replacements"][1] == {
        "kind": "merge", "old": ["less-alone", "less-isolated"], "new": ["less-lonely"],
        "cmocs": ["A1", "A2"], "old_labels": ["Feels less alone", "Feels less isolated"],
        "new_labels": ["Feels less lonely"]}


def test_markdown_escapes_table_cells(tmp_path):
    for side in ("old", "new"):
        shutil.copytree(CASES / "pathways" / side, tmp_path / side)
    path = tmp_path / "new" / "theory.yaml"
    path.write_text(path.read_text().replace("label: Extended anchoring",
                                             "label: 'Extended | anchoring'"))
    md = format_markdown(diff_theories(load_theory(tmp_path / "old"), load_theory(tmp_path / "new")))
    assert "| `b` | label | Extended anchoring | Extended \\| anchoring |" in md


# --- command line ------------------------------------------------------------------------------

def test_exit_code_flag(ptgraph):
    old, new = CASES / "cmocs" / "old", CASES / "cmocs" / "new"
    assert ptgraph("diff", old, new).code == 0
    assert ptgraph("diff", old, new, "--exit-code").code == 1


def test_failing_side_shows_its_problems_and_exits_2(ptgraph):
    run = ptgraph("diff", CASES / "broken" / "old", CASES / "broken" / "new")
    assert run.code == 2 and run.out == ""
    assert "broken/new/theory.yaml:26:5: E201 CMOC 'X2' refers to area 'anchr'" in run.err
    assert "new side" in run.err and "fails to check (3 problems)" in run.err
    run = ptgraph("diff", CASES / "broken" / "new", CASES / "broken" / "old")
    assert run.code == 2 and "old side" in run.err


def test_unknown_side_and_no_theory_here(ptgraph, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = ptgraph("diff", "no-such-thing", CASES / "cmocs" / "new")
    assert run.code == 2 and "'no-such-thing'" in run.err and "Traceback" not in run.err
    run = ptgraph("diff", CASES / "cmocs" / "old")
    assert run.code == 2 and "no theory/ folder here" in run.err


# --- git revisions -----------------------------------------------------------------------------

def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=ptgraph", "-c", "user.email=ptgraph@example.org",
                           "-c", "commit.gpgsign=false", *args], cwd=repo, check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A git repository whose two commits hold the old and new ``cmocs`` fixture as ``theory/``."""
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    git(root, "init", "-q")
    shutil.copytree(CASES / "cmocs" / "old", root / "theory")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial programme theory")
    shutil.rmtree(root / "theory")
    shutil.copytree(CASES / "cmocs" / "new", root / "theory")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "refine X1")
    monkeypatch.chdir(root)
    return root


@needs_git
def test_two_revisions(ptgraph, repo):
    expected = case("cmocs").summary()
    run = ptgraph("diff", "HEAD~1", "HEAD")
    assert run.code == 0, run
    assert run.out.splitlines()[0] == f"ptgraph diff HEAD~1:theory -> HEAD:theory: {expected}"
    run = ptgraph("diff", "HEAD~1:theory", "HEAD:./theory", "--format", "json")
    assert json.loads(run.out)["old"] == {"side": "HEAD~1:theory", "theory": "mini"}
    assert json.loads(run.out)["summary"] == expected
    assert git(repo, "status", "--porcelain") == ""  # the working tree was not touched


@needs_git
def test_revision_against_the_working_tree(ptgraph, repo):
    path = repo / "theory" / "theory.yaml"
    path.write_text(path.read_text().replace("status: refined", "status: confirmed"))
    run = ptgraph("diff", "HEAD", "--format", "json")
    assert run.code == 0, run
    doc = json.loads(run.out)
    assert (doc["old"]["side"], doc["new"]["side"]) == ("HEAD:theory", "theory")
    assert doc["status_moves"] == [{"cmoc": "X1", "old": "refined", "new": "confirmed"}]
    assert ptgraph("diff", "HEAD~1", "--exit-code").code == 1
    # from a subdirectory, a bare revision follows the directory named on the other side
    os.chdir(repo / "docs")
    run = ptgraph("diff", "HEAD", "../theory", "--format", "json")
    assert json.loads(run.out)["old"]["side"] == "HEAD:theory"


@needs_git
@pytest.mark.parametrize("spec, message", [
    ("no-such-branch", "unknown directory or git revision 'no-such-branch'"),
    ("no-such-branch:theory", "unknown git revision 'no-such-branch'"),
    ("HEAD:../outside", "is outside the repository"),
    ("HEAD:docs", "does not exist at HEAD"),
    ("HEAD:theory/theory.yaml", "is a file at HEAD"),
    ("--upload-pack=x:theory", "unknown git revision"),
    (":theory", "name a revision before the colon"),
])
def test_bad_revisions(ptgraph, repo, spec, message):
    run = ptgraph("diff", "--", spec, "theory")
    assert run.code == 2, run
    assert message in run.err and "Traceback" not in run.err


@needs_git
def test_failing_revision_shows_problems_at_rev_paths(ptgraph, repo):
    shutil.copytree(CASES / "broken" / "new", repo / "theory", dirs_exist_ok=True)
    git(repo, "commit", "-q", "-am", "break it")
    run = ptgraph("diff", "HEAD", "HEAD~1")
    assert run.code == 2
    assert "HEAD:theory/theory.yaml:26:5: E201" in run.err
    assert "old side HEAD:theory fails to check" in run.err


# --- the pull-request comment for a change to the buy-in theory ---------------------------------

def refine_rd2(theory_dir: Path) -> None:
    """Refine RD2 after testing: its context narrowed to patients with the capacity
    to act, status refined, and evidence added for it (Tierney et al. 2024, CC BY 4.0:
    "There seemed to be a difference between a willingness to make life changes and
    having capacity to do so")."""
    def edit(name: str, old: str, new: str) -> None:
        path = theory_dir / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{name} no longer holds {old!r}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    edit("cmocs/readiness.yaml", """      Hearing about options available in the community from a link worker (C) opens the patient's mind to possibilities (M), which encourages them to start seeking out their own sources of external support (O).
    context: lw-offers-options
""", """      When patients have the capacity to act on it (C), hearing about options available in the community from a link worker (C) opens the patient's mind to possibilities (M), which encourages them to start seeking out their own sources of external support (O).
    context: [lw-offers-options, capacity-to-act]
    status: refined
""")
    edit("concepts.yaml", "  # --- readiness ----", """  capacity-to-act:
    label: Capacity to act
    description: Circumstances (caring duties, transport, health) leave the patient able to act on suggestions; motivation alone is not enough.
  # --- readiness ----""")
    edit("evidence/readiness.yaml", """    wave: follow-up
    supports: [RD1]
    source: "Findings: Readiness"
  # Options given but""", """    wave: follow-up
    supports: [RD1, RD2]
    source: "Findings: Readiness"
  # Options given but""")
    edit("evidence/readiness.yaml", """    supports: [RD2]
    source: "Findings: Readiness"
""", """    supports: [RD2]
    source: "Findings: Readiness"
  q-rd-14:
    quote: >-
      some patients were unable to attend activities or groups due to difficulties associated with public transport.
    wave: interview
    supports: [RD2]
    source: "Findings: Readiness (authors' summary)"
""")


def test_markdown_snapshot_of_a_buyin_refinement(buyin, theory_copy):
    refine_rd2(theory_copy)
    d = diff_theories(buyin, load_theory(theory_copy), old_label="main:theory", new_label="theory")
    md = format_markdown(d)
    if UPDATE:
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(md, encoding="utf-8")
    assert md == SNAPSHOT.read_text(encoding="utf-8")
    assert md.splitlines()[0] == ("**ptgraph diff**: 1 CMOC refined, 1 concept added, "
                                  "1 evidence added, 1 evidence changed")


# --- pre-commit hooks and the GitHub Actions example -------------------------------------------

def test_pre_commit_hooks_run_what_they_say(ptgraph, repo_root, theory_copy, monkeypatch):
    import re
    import shlex

    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((repo_root / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"ptgraph-check", "ptgraph-diagrams"}
    for hook in hooks.values():
        assert hook["pass_filenames"] is False and hook["language"] == "python"
        assert re.search(hook["files"], "theory/cmocs/enrolment.yaml")
    assert re.search(hooks["ptgraph-diagrams"]["files"], "diagrams/overview.dot")
    assert not re.search(hooks["ptgraph-check"]["files"], "README.md")

    monkeypatch.chdir(theory_copy.parent)  # a theory repository: theory/ (and diagrams/)
    check, diagrams = (shlex.split(hooks[h]["entry"])[1:] for h in ("ptgraph-check", "ptgraph-diagrams"))
    assert ptgraph(*check).code == 0
    assert ptgraph(*diagrams).code == 1  # no diagrams/ yet
    assert ptgraph("render", "--format", "dot").code == 0
    assert ptgraph(*diagrams).code == 0
    path = theory_copy / "concepts.yaml"
    path.write_text(path.read_text().replace("label: Unsure what to expect", "label: Unsure"))
    assert ptgraph(*diagrams).code == 1


def test_check_reports_github_annotations_under_github_actions(ptgraph):
    run = ptgraph("check", CASES / "broken" / "new", env={"GITHUB_ACTIONS": "true"})
    assert run.code == 1
    assert "::error file=" in run.out and ",line=26,col=5,title=E201 unknown-reference::" in run.out


def test_workflow_example_is_valid_yaml(repo_root):
    import re

    import yaml

    text = (repo_root / "docs" / "github-actions.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    workflow = next(yaml.safe_load(b) for b in blocks if "jobs:" in b)
    steps = workflow["jobs"]["theory"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    for command in ("ptgraph check", "ptgraph render --check", "ptgraph diff", "--format markdown"):
        assert command in runs


def test_context_from_all_to_any_is_a_modified_context(tmp_path):
    # the same contexts, now any one of them instead of all: another configuration
    head = ("ptgraph: 1\ntheory: {id: t, title: T}\nareas: {a: A}\n"
            "concepts: {c1: C1, c2: C2, m: M, o: O}\ncmocs:\n")
    for side, context in (("old", "[c1, c2]"), ("new", "{any: [c2, c1]}")):
        (tmp_path / side).mkdir()
        (tmp_path / side / "theory.yaml").write_text(
            head + f"  X: {{area: a, statement: s, context: {context}, mechanism: m, outcome: o}}\n")
    d = diff_theories(load_theory(tmp_path / "old"), load_theory(tmp_path / "new"),
                      old_label="old", new_label="new")
    assert modified(d, "cmocs") == {"X": {"context": (["c1", "c2"], {"any": ["c2", "c1"]})}}
    assert not d.explained("X", d.sections["cmocs"].modified[0].changes[0])
    assert d.summary() == "1 CMOC modified"
    assert "c1, c2 -> any of: c2, c1" in FORMATTERS["text"](d)
    assert "any of: `c2`, `c1`" in format_markdown(d)
    assert to_json(d)["cmocs"]["modified"][0]["changes"] == [
        {"field": "context", "old": ["c1", "c2"], "new": {"any": ["c2", "c1"]}}]


def test_two_theories_are_not_two_versions_of_one(ptgraph, repo_root):
    run = ptgraph("diff", repo_root / "examples" / "deprescribing-review", repo_root / "theory")
    assert run.code == 0
    assert "is theory 'deprescribing-review' and" in run.err and "two theories, not two versions" \
        in run.err, run.err
