"""Fixtures of the Neo4j tier; which server it uses, and why, is in neo4j_tier.py."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from neo4j_tier import Refused, Server, ci, select_server

from ptgraph.errors import PtgraphError, UsageError
from ptgraph.load import unload

THEORY = Path(__file__).resolve().parents[2] / "theory"


@pytest.fixture(scope="session")
def neo4j_server() -> Server:
    """The checked server, or a skip (a failure with CI=true) saying why not."""
    try:
        server = select_server(os.environ)
    except Refused as exc:
        pytest.skip(str(exc))
    except (subprocess.SubprocessError, OSError, KeyError) as exc:
        pytest.skip(f"no test server: scripts/neo4j-local --instance test env failed ({exc})")
    try:
        server.connect().close()
    except PtgraphError as exc:
        hint = ("start it with: scripts/neo4j-local --instance test start"
                if server.source.startswith("scripts") else f"(from {server.source})")
        pytest.skip(f"Neo4j tier: {exc}; {hint}")
    return server


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


@pytest.fixture
def new_theory(tmp_path, store):
    """``new_theory(source=theory/)`` -> (path, id): a copy under a fresh id, unloaded afterwards."""
    made: list[str] = []

    def make(source: Path = THEORY, prefix: str = "t") -> tuple[Path, str]:
        theory_id = f"{prefix}-{uuid.uuid4().hex[:10]}"
        target = tmp_path / theory_id
        shutil.copytree(source, target)
        set_theory_id(target, theory_id)
        made.append(theory_id)
        return target, theory_id

    yield make
    for theory_id in made:
        try:
            unload(store, theory_id)
        except UsageError:
            pass  # not loaded, or the test unloaded it


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With CI=true a skip in this tier is a failure: the tier must really run."""
    outcome = yield
    report = outcome.get_result()
    if ci() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"CI=true: the Neo4j tier may not be skipped: {reason}"


def pytest_report_header(config):
    try:
        server = select_server(os.environ)
    except Refused as exc:
        return f"neo4j tier: {exc}"
    except Exception as exc:  # noqa: BLE001 - a header must not break the run
        return f"neo4j tier: no server ({type(exc).__name__})"
    return f"neo4j tier: {server.uri} (from {server.source}){' CI=true: skips fail' if ci() else ''}"
