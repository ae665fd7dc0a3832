"""The Neo4j tier: tests that write to a real Neo4j server on this machine.

Which server, and why only a loopback one: ``tests/support/neo4j_server.py``.
Without a server the tier is skipped; with ``CI=true`` any skip here fails the
run. Tests load theories under fresh ids (``new_theory``) and unload them.
"""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path

import pytest

from support.neo4j_server import Server, fail_skips_in_ci, require_server

from ptgraph.errors import UsageError
from ptgraph.load import unload

THEORY = Path(__file__).resolve().parents[2] / "theory"
VOCABULARY = THEORY.parent / "examples" / "vocabulary"


@pytest.fixture(scope="session")
def neo4j_server() -> Server:
    """The checked server, or a skip (a failure with CI=true) saying why not."""
    return require_server()


@pytest.fixture(scope="session")
def store(neo4j_server):
    with neo4j_server.connect() as s:
        yield s


@pytest.fixture
def neo4j_env(neo4j_server) -> dict:
    return neo4j_server.env()


def set_theory_id(root: Path, theory_id: str) -> None:
    manifest = root / "theory.yaml"
    text, n = re.subn(r"(?m)^  id: .*$", f"  id: {theory_id}", manifest.read_text(encoding="utf-8"),
                      count=1)
    assert n == 1, manifest
    manifest.write_text(text, encoding="utf-8")


def unload_all(store, ids: list[str]) -> None:
    """Unload the theories (or vocabularies) a fixture made, those still loaded."""
    for scope in ids:
        try:
            unload(store, scope)
        except UsageError:
            pass  # not loaded, or the test unloaded it


def set_vocabulary(root: Path, vocabulary: Path | None) -> None:
    """Point a theory copy's manifest at ``vocabulary``; with None, take its mappings out
    (``vocabulary:`` and ``mappings.yaml``), so the copy loads without a vocabulary."""
    manifest = root / "theory.yaml"
    text = manifest.read_text(encoding="utf-8")
    if vocabulary is None:
        text = re.sub(r"(?m)^  vocabulary: .*\n", "", text)
        (root / "mappings.yaml").unlink(missing_ok=True)
    else:
        text, n = re.subn(r"(?m)^  vocabulary: .*$", f"  vocabulary: {vocabulary}", text, count=1)
        assert n == 1, manifest
    manifest.write_text(text, encoding="utf-8")


@pytest.fixture
def new_vocabulary(tmp_path, store):
    """``new_vocabulary()`` -> (path, id): a copy of examples/vocabulary under a fresh id,
    unloaded afterwards (after the theories of ``new_theory``, when requested first)."""
    made: list[str] = []

    def make(source: Path = VOCABULARY) -> tuple[Path, str]:
        vocabulary_id = f"v-{uuid.uuid4().hex[:10]}"
        target = tmp_path / vocabulary_id
        shutil.copytree(source, target)
        manifest = target / "vocabulary.yaml"
        text, n = re.subn(r"(?m)^  id: .*$", f"  id: {vocabulary_id}",
                          manifest.read_text(encoding="utf-8"), count=1)
        assert n == 1, manifest
        manifest.write_text(text, encoding="utf-8")
        made.append(vocabulary_id)
        return target, vocabulary_id

    yield make
    unload_all(store, made)


@pytest.fixture
def new_theory(tmp_path, store):
    """``new_theory(source=theory/)`` -> (path, id): a copy under a fresh id, unloaded afterwards.

    The copy leaves the theory's mappings out, so that it loads without a vocabulary,
    unless ``vocabulary=`` names the vocabulary directory its mappings go to.
    """
    made: list[str] = []

    def make(source: Path = THEORY, prefix: str = "t",
             vocabulary: Path | None = None) -> tuple[Path, str]:
        theory_id = f"{prefix}-{uuid.uuid4().hex[:10]}"
        target = tmp_path / theory_id
        shutil.copytree(source, target)
        set_theory_id(target, theory_id)
        set_vocabulary(target, vocabulary)
        made.append(theory_id)
        return target, theory_id

    yield make
    unload_all(store, made)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With CI=true a skip in this tier is a failure: the tier must really run."""
    outcome = yield
    fail_skips_in_ci(outcome.get_result(), "the Neo4j tier")
