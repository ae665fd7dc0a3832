"""Bad input of every kind gets a coded problem at its file:line:col and exit 1, never a traceback.

Each test writes a small theory directory ``t/`` under a temporary working
directory and runs ``ptgraph check t`` there, so reported paths read ``t/...``.
"""

from __future__ import annotations

import os
import tempfile
import tracemalloc
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptgraph.loader import MAX_DEPTH
from ptgraph.schema import SECTIONS

MANIFEST = "ptgraph: 1\ntheory:\n  id: t\n  title: T\n"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def theory(tmp_path, monkeypatch):
    """``theory(**files)`` writes ``t/`` (theory.yaml included unless given) and returns ``"t"``.

    A file's content is text (written as UTF-8) or bytes (written as they are).
    """
    monkeypatch.chdir(tmp_path)

    def write(manifest: str | bytes | None = MANIFEST, **files: str | bytes) -> str:
        root = tmp_path / "t"
        root.mkdir()
        if manifest is not None:
            files["theory.yaml"] = manifest
        for name, content in files.items():
            path = root / name.replace("__", "/")
            path.parent.mkdir(parents=True, exist_ok=True)
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            path.write_bytes(data)
        return "t"
    return write


@pytest.fixture
def check(ptgraph):
    """``check(*args)``: run ``ptgraph check --format text`` and return the run."""
    def run(*args: str):
        return ptgraph("check", "--format", "text", *args)
    return run


def one_problem(run) -> str:
    assert run.code == 1, run
    lines = run.out.splitlines()
    assert len(lines) == 1, run.out
    return lines[0]


# --- one bad file, one problem ------------------------------------------------------------------

DEEP = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
TOO_DEEP = f"E005 nesting is deeper than {MAX_DEPTH} levels; a theory file needs a handful"
UNSUPPORTED = "is not supported; ptgraph reads plain YAML only"

#: ``areas.yaml`` content -> the one line ``ptgraph check`` prints after ``t/areas.yaml:``.
ONE_FILE = {
    "utf8-bom-keeps-columns": (
        b"\xef\xbb\xbfareas:\n  enrolment: Enrolment\n  x: {label: X, descripton: Y}\n",
        "3:17: E102 unknown key 'descripton' in area 'x' (did you mean 'description'?)"),
    "utf16-bom": ("areas:\n  cafe: Café\n".encode("utf-16"),
                  "1:1: E002 the file is encoded as UTF-16; save it as UTF-8"),
    "utf32-bom": ("areas:\n  cafe: Café\n".encode("utf-32"),
                  "1:1: E002 the file is encoded as UTF-32; save it as UTF-8"),
    "utf16-without-bom": ("areas:\n  cafe: Café\n".encode("utf-16-be"),
                          "1:1: E002 the file holds NUL bytes: it looks like UTF-16 or UTF-32 "
                          "(or is not text); save it as UTF-8"),
    # "Naïve" is good UTF-8 before the Latin-1 "é": the column counts characters, not bytes.
    "latin1": ("areas:\n  cafe: Naïve ".encode() + "café\n".encode("latin-1"),
               "2:18: E002 byte 0xe9 is not valid UTF-8; save the file as UTF-8"),
    "deep-nesting": (f"areas:\n  a:\n    label: {DEEP}\n", f"3:{12 + MAX_DEPTH - 2}: {TOO_DEEP}"),
    "deeper-than-libyaml-flow": ("x: " + "[" * 100_000 + "]" * 100_000 + "\n", f"1:1003: {TOO_DEEP}"),
    "deeper-than-libyaml-block": ("".join(" " * i + "k:\n" for i in range(2000)),
                                  f"1000:1001: {TOO_DEEP}"),
    "python-tag-on-a-key": ("areas:\n  !!python/object:os.system a: A\n",
                            f"2:3: E005 the tag !!python/object:os.system {UNSUPPORTED}"),
    "set-tag": ("areas: !!set {a, b}\n", f"1:8: E005 the tag !!set {UNSUPPORTED}"),
    "merge-key": ("areas:\n  a: &base {label: A}\n  b:\n    <<: *base\n",
                  "4:5: E005 merge keys (<<) are not supported; write the keys out"),
    "bad-int-tag": ("areas:\n  a:\n    label: !!int abc\n",
                    "3:12: E001 'abc' is not a valid !!int; put it in quotes if it is text"),
    "bad-bool-tag": ("areas:\n  a:\n    label: !!bool maybe\n",
                     "3:12: E001 'maybe' is not a valid !!bool; put it in quotes if it is text"),
    "duplicate-key": ("areas:\n  a: A\n  b: B\n  a: Again\n",
                      "4:3: E004 key 'a' appears twice in this mapping (first at line 2, column 3); "
                      "YAML would silently keep only the last one"),
    "two-documents": ("areas:\n  a: A\n---\nareas:\n  b: B\n",
                      "3:1: E001 a second YAML document starts here ('---'); "
                      "a theory file holds one document: split it into two files"),
    "a-list": ("- a\n- b\n", "1:1: E104 a theory file holds a mapping of sections, not a list"),
    "a-string": ("just text\n", "1:1: E104 a theory file holds a mapping of sections, not text"),
    "tab": ("areas:\n\ta: A\n", "2:1: E001 a tab character cannot indent YAML; indent with spaces"),
    "unclosed-quote": ('areas:\n  a: "A\n\n', "4:1: E001 found unexpected end of stream "
                       "(while scanning a quoted scalar that starts at line 2, column 6)"),
    "control-character": ("areas:\n  a: A\x07B\n", "2:7: E001 unacceptable character #x0007: "
                          "control characters are not allowed"),
}


@pytest.mark.parametrize("case", ONE_FILE)
def test_one_bad_file(theory, check, case):
    content, expected = ONE_FILE[case]
    run = check(theory(**{"areas.yaml": content}))
    assert run.code == 1, run
    assert run.out.splitlines() == [f"t/areas.yaml:{expected}"]


@pytest.mark.parametrize("content", ["", b"\xef\xbb\xbf", "# only a comment\n", "\n\n",
                                     "---\nareas:\n  a: A\n...\n", "areas:\n  a: &x X\n  b: *x\n"])
def test_harmless_files_are_fine(theory, check, content):
    run = check(theory(**{"areas.yaml": content}))
    assert (run.code, run.out) == (0, "")


def test_an_empty_manifest_is_reported(theory, check):
    assert one_problem(check(theory(manifest=""))) == (
        "t/theory.yaml:1:1: E101 theory.yaml is empty: it needs `ptgraph: 1` and `theory: {id, title}`")


# --- size --------------------------------------------------------------------------------

def test_file_over_10_mib_is_refused_unless_the_limit_is_raised(theory, check):
    # Comment lines: cheap for libyaml to scan once the limit is raised.
    root = theory(**{"big.yaml": ("# " + "x" * 1021 + "\n") * (11 * 1024)})
    assert one_problem(check(root)) == (
        "t/big.yaml:1:1: E003 the file is 11.0 MiB, over the 10.0 MiB limit; "
        "split it into several files")
    run = check("--max-file-size", "12", root)
    assert (run.code, run.out) == (0, ""), run


def test_limit_just_under_the_size_shows_bytes(theory, check):
    root = theory(**{"areas.yaml": "areas:\n  enrolment: Enrolment\n" + "#" * 1040 + "\n"})
    assert one_problem(check("--max-file-size", "0.001", root)) == (
        "t/areas.yaml:1:1: E003 the file is 1071 bytes, over the 1048 bytes limit; "
        "split it into several files")


@pytest.mark.parametrize("size", ["0", "-1", "lots"])
def test_bad_max_file_size_is_a_usage_error(ptgraph, theory, size):
    run = ptgraph("check", "--max-file-size", size, theory())
    assert run.code == 2
    assert "--max-file-size" in run.err


# --- attacks -------------------------------------------------------------------------------------

BILLION_LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}' if prev else 'lol'] * 9)}]\n"
    for prev, name in zip([None, *"abcdefgh"], "abcdefghi")
)


def test_alias_bomb_is_refused_without_expanding_it(theory, check):
    root = theory(**{"bomb.yaml": BILLION_LAUGHS})
    tracemalloc.start()
    try:
        run = check(root)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # 9**9 "lol"s would take gigabytes; refusing takes next to nothing.
    assert peak < 20 * 2**20, f"peak {peak / 2**20:.0f} MiB"
    assert one_problem(run) == (
        "t/bomb.yaml:4:1: E005 aliases expand to far more data than the file holds "
        "(an alias bomb?); write the values out")


def test_python_tags_are_refused_and_never_run(theory, check, tmp_path):
    marker = tmp_path / "ran"
    root = theory(**{"areas.yaml": f"areas:\n  a: !!python/object/apply:os.system ['touch {marker}']\n"})
    assert one_problem(check(root)) == (
        f"t/areas.yaml:2:6: E005 the tag !!python/object/apply:os.system {UNSUPPORTED}")
    assert not marker.exists()


# --- files and folders -----------------------------------------------------------------------

def test_unreadable_file(theory, check, tmp_path):
    root = theory(**{"areas.yaml": "areas:\n  a: A\n"})
    path = tmp_path / root / "areas.yaml"
    path.chmod(0)
    try:
        try:
            path.read_bytes()
        except PermissionError:
            pass
        else:
            pytest.skip("running as a user (root) whom chmod 000 does not stop reading")
        assert one_problem(check(root)) == (
            "t/areas.yaml:1:1: E001 cannot read the file: Permission denied")
    finally:
        path.chmod(0o644)


def test_dangling_symlink_cannot_be_read(theory, check, tmp_path):
    root = theory()
    (tmp_path / root / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    assert one_problem(check(root)) == (
        "t/gone.yaml:1:1: E001 cannot read the file: No such file or directory")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_not_read(theory, check, tmp_path):
    root = theory()
    os.mkfifo(tmp_path / root / "pipe.yaml")  # reading it would block forever
    assert one_problem(check(root)) == (
        "t/pipe.yaml:1:1: E001 cannot read the file: not a regular file")


def test_directory_without_theory_yaml(theory, check):
    root = theory(manifest=None, **{"areas.yaml": "areas:\n  a: A\n"})
    assert one_problem(check(root)) == (
        "t: E101 no theory.yaml in this directory: create one with `ptgraph: 1` and "
        "`theory: {id, title}`")


def test_directory_without_yaml_files(check, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("not a theory\n")
    assert one_problem(check("empty")) == (
        "empty: E101 no theory files here: a theory directory holds theory.yaml and other "
        "*.yaml or *.yml files (see the README)")


def test_yml_files_are_theory_files_too(theory, check):
    """Editors and pre-commit take both spellings; a file ending .yml is not skipped."""
    root = theory(**{"areas.yml": "areas:\n  a: A\n  a: B\n"})
    assert one_problem(check(root)).startswith("t/areas.yml:3:3: E004 ")


def test_manifest_spelled_yml_is_named(theory, check):
    root = theory(manifest=None, **{"theory.yml": MANIFEST})
    assert check(root).out.splitlines()[0] == (
        "t: E101 no theory.yaml in this directory: rename theory.yml to theory.yaml "
        "(the manifest has one name; other files may end .yml)")


def test_nonexistent_path_is_a_usage_error(check, tmp_path):
    run = check(tmp_path / "missing")
    assert run.code == 2
    assert "does not exist" in run.err
    assert run.out == ""


def test_a_file_path_checks_its_theory(theory, check):
    root = theory(**{"areas__more.yaml": "areas:\n  a: {label: A, descripton: B}\n"})
    assert one_problem(check(f"{root}/areas/more.yaml")) == (
        "t/areas/more.yaml:2:17: E102 unknown key 'descripton' in area 'a' "
        "(did you mean 'description'?)")


# --- positions of entities ---------------------------------------------------------------------

def test_every_entity_remembers_file_line_and_column(buyin):
    for section in ("areas", "sites", "concepts", "cmocs", "evidence", "pathways"):
        for entity_id in getattr(buyin, section):
            path, line, col = buyin.mark(section, entity_id)
            text = Path(path).read_text(encoding="utf-8").splitlines()[line - 1]
            assert text[col - 1:].startswith(f"{entity_id}:"), (section, entity_id, path, line)


def test_marks_reach_keys_and_list_items(buyin):
    path, line, col = buyin.mark("evidence", "q-en-01", "supports", 1)
    assert Path(path).name == "enrolment.yaml"
    assert Path(path).read_text(encoding="utf-8").splitlines()[line - 1][col - 1:].startswith("EN3")


# --- nothing produces a traceback ----------------------------------------------------------------

YAML_CHARS = st.sampled_from(list(":-?[]{},&*!|>'\"#%@`\t\n  ") + ["\n  ", "\n    ", "---", "<<",
                                                                     "!!python/object ", "~", "é"])
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "theory").rglob("*.yaml"))]


@st.composite
def garbled(draw):
    """A buy-in theory file with a few random cuts, insertions and swaps."""
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["cut", "insert", "dup"]))
        if op == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif op == "insert":
            text = text[:at] + "".join(draw(st.lists(YAML_CHARS, min_size=1, max_size=6))) + text[at:]
        else:
            text = text[:at] + text[max(0, at - 60):at] + text[at:]
    return text.encode("utf-8")


#: Well-formed YAML whose keys come from the format: exercises the rules, not the parser.
WORDS = sorted({*SECTIONS, "ptgraph", "theory", "id", "title", "source", "a", "EN1", "x y", "",
                *(name for section in SECTIONS.values() for name in section.fields)})
SCALARS = st.none() | st.booleans() | st.integers(-2, 2) | st.sampled_from(WORDS) | st.text(max_size=4)
TREES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.sampled_from(WORDS), inner, max_size=4), max_leaves=25)
STRUCTURED = st.dictionaries(st.sampled_from(WORDS), TREES, max_size=5).map(
    lambda data: yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))

CONTENT = st.one_of(
    st.binary(max_size=300),
    st.lists(YAML_CHARS | st.text(max_size=4), max_size=60).map(lambda xs: "".join(xs).encode()),
    garbled(),
    STRUCTURED,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=CONTENT, as_manifest=st.booleans(), fmt=st.sampled_from(["text", "json", "github"]))
def test_no_input_makes_a_traceback(ptgraph, content, as_manifest, fmt):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if as_manifest:
            (root / "theory.yaml").write_bytes(content)
        else:
            (root / "theory.yaml").write_text(MANIFEST)
            (root / "part.yaml").write_bytes(content)
        run = ptgraph("check", "--format", fmt, str(root))
        assert run.code in (0, 1), run  # 2 would be an internal error, caught by the CLI
        assert "internal error" not in run.err
