"""Fixtures shared by the whole suite."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ptgraph.check import load_theory
from ptgraph.cli import cli
from ptgraph.graph import build_graph

ROOT = Path(__file__).resolve().parents[1]
THEORY = ROOT / "theory"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def buyin():
    """The buy-in theory of the paper, loaded and checked."""
    return load_theory(THEORY)


@pytest.fixture(scope="session")
def buyin_graph(buyin):
    return build_graph(buyin)


@pytest.fixture
def theory_copy(tmp_path) -> Path:
    """A writable copy of the buy-in theory, for tests that edit it."""
    target = tmp_path / "theory"
    shutil.copytree(THEORY, target)
    # its manifest names ../examples/vocabulary: copy that too, so the copy checks as theory/ does
    shutil.copytree(THEORY.parent / "examples" / "vocabulary", tmp_path / "examples" / "vocabulary")
    return target


class Run:
    """Result of one CLI run: exit code, stdout and stderr kept apart."""

    def __init__(self, result) -> None:
        self.code = result.exit_code
        self.out = result.stdout
        self.err = result.stderr
        self.exception = result.exception

    def __repr__(self) -> str:
        return f"Run(code={self.code}, out={self.out[:200]!r}, err={self.err[:200]!r})"


@pytest.fixture
def ptgraph():
    """Run ``ptgraph ARGS...`` in-process: ``ptgraph("check", "theory")``."""
    def run(*args: str, input: str | None = None, env: dict | None = None) -> Run:
        result = CliRunner().invoke(cli, [str(a) for a in args], input=input, env=env,
                                    catch_exceptions=True)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception  # a traceback escaped the CLI: that is a bug
        return Run(result)
    return run
