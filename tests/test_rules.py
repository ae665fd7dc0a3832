"""Every check rule against its fixtures in ``tests/fixtures/rules/<CODE>-<name>/``.

Each rule has two small theory directories: ``pass/`` checks clean, ``fail/``
gives exactly the lines in ``fail/expected.txt`` and exit code 1. A fixture is
checked as ``ptgraph check --strict --format text .`` from inside a copy of it,
so the paths in ``expected.txt`` are relative to the fixture folder (``.`` is
the folder itself). Two optional files adjust a run:

``args.txt``
    extra command-line arguments, e.g. ``--max-file-size 0.001``;
``encode.txt``
    lines ``FILE CODEC``: the copy of FILE is re-encoded to CODEC first, for
    encodings (Latin-1, UTF-16) that the repository cannot keep as text.

A fixture of a vocabulary rule is a vocabulary directory (``vocabulary.yaml``);
a theory fixture that maps its concepts keeps its vocabulary in a folder of its
own inside it (``vocab/vocabulary.yaml``, named by ``vocabulary: vocab``), which
the theory's files leave out.

A new rule without both folders fails here; so does a folder without a rule.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ptgraph.rules import RULES

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules"
RULE_DIRS = {f"{rule.code}-{rule.name}": rule for rule in RULES}
FOUND = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
CASES = sorted(set(RULE_DIRS) | set(FOUND))


def prepare(source: Path, target: Path) -> Path:
    """Copy a fixture folder and apply its ``encode.txt``; return the copy."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.txt"))
    recode = source / "encode.txt"
    if recode.exists():
        for line in recode.read_text(encoding="utf-8").splitlines():
            name, codec = line.split()
            path = target / name
            path.write_bytes(path.read_text(encoding="utf-8").encode(codec))
    return target


@pytest.fixture
def check_fixture(ptgraph, tmp_path, monkeypatch):
    """Run ``ptgraph check`` on one fixture folder the way the module docstring says."""
    def run(case: str, kind: str):
        source = FIXTURES / case / kind
        if not any((source / m).is_file() for m in ("theory.yaml", "vocabulary.yaml")):
            pytest.fail(f"rule {case} has no fixture {source.relative_to(FIXTURES.parents[1])}/"
                        "theory.yaml: every rule needs a pass/ and a fail/ theory (or "
                        "vocabulary) directory")
        args = source / "args.txt"
        extra = args.read_text(encoding="utf-8").split() if args.exists() else []
        monkeypatch.chdir(prepare(source, tmp_path / kind))
        return ptgraph("check", "--strict", "--format", "text", *extra, ".")
    return run


@pytest.mark.parametrize("case", CASES)
def test_fixture_folder_names_a_rule(case):
    assert case in RULE_DIRS, f"{FIXTURES / case} matches no rule; name it <CODE>-<name> of a rule"
    assert case in FOUND, f"rule {case} has no fixture folder {FIXTURES / case}"


@pytest.mark.parametrize("case", CASES)
def test_pass_fixture_is_clean(case, check_fixture):
    run = check_fixture(case, "pass")
    assert (run.code, run.out) == (0, ""), run


@pytest.mark.parametrize("case", CASES)
def test_fail_fixture_reports_exactly_the_expected_lines(case, check_fixture):
    expected_file = FIXTURES / case / "fail" / "expected.txt"
    assert expected_file.is_file(), f"rule {case} has no fail/expected.txt"
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    run = check_fixture(case, "fail")
    assert run.out.splitlines() == expected
    assert run.code == 1, run
    code = case.split("-")[0]
    assert any(f": {code} " in line for line in expected), f"{case}/fail never triggers {code}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_doc_shows_a_passing_and_a_failing_example(rule):
    assert rule.summary, f"{rule.code} has no docstring summary"
    assert "Passing" in rule.doc and "Failing" in rule.doc, rule.doc


def test_rule_codes_and_names_are_unique():
    assert len({r.code for r in RULES}) == len({r.name for r in RULES}) == len(RULES)
