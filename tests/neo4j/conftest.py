"""The Neo4j tier: tests that write to a real Neo4j server, which must be on this machine.

Which server, first that applies:

1. ``PTGRAPH_TEST_NEO4J_URI`` (login from ``PTGRAPH_TEST_NEO4J_USERNAME``,
   ``_PASSWORD``, ``_DATABASE``, else the local one);
2. ``NEO4J_URI``, when it names this machine (with the other ``NEO4J_*``);
3. the test instance of ``scripts/neo4j-local`` (``--instance test``, bolt port 7688),
   the one ``make test`` starts, apart from the ``dev`` one ``make demo`` leaves running.

The tests write and delete data, so the tier refuses any address that is not
loopback (127.0.0.0/8, ::1, localhost): a shell whose ``NEO4J_URI`` points at
a team's Aura falls back to the local test instance, and a non-local
``PTGRAPH_TEST_NEO4J_URI`` stops the tier. ``neo4j://`` addresses are used as
``bolt://`` so that no routing table can send writes elsewhere. Every test
loads theories under fresh ids and unloads them; nothing else is touched.

Without a server the tier is skipped; with ``CI=true`` an unavailable or
refused server, and any other skip in the tier, fails the run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

import pytest

from ptgraph.errors import PtgraphError, UsageError
from ptgraph.store import Store, connect, is_loopback

ROOT = Path(__file__).resolve().parents[2]
THEORY = ROOT / "theory"
LOCAL_LOGIN = {"NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": "ptgraph-local"}


def ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


class Refused(Exception):
    """The configured server is not on this machine: the tier will not write to it."""


@dataclass(frozen=True)
class Server:
    uri: str
    user: str
    password: str
    database: str | None
    source: str  # which setting named it

    def env(self, **overrides: str) -> dict[str, str | None]:
        """``NEO4J_*`` for a ``ptgraph`` run against this server."""
        out = {"NEO4J_URI": self.uri, "NEO4J_USERNAME": self.user, "NEO4J_USER": None,
               "NEO4J_PASSWORD": self.password, "NEO4J_DATABASE": self.database}
        out.update(overrides)
        return out

    def connect(self) -> Store:
        return connect(self.uri, self.user, self.password, self.database)


def local_instance_env() -> dict[str, str]:
    """The ``export`` lines of ``scripts/neo4j-local --instance test env``."""
    out = subprocess.run([str(ROOT / "scripts" / "neo4j-local"), "--instance", "test", "env"],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    return dict(re.findall(r"^export (\w+)=(.*)$", out, re.M))


def select_server(env: Mapping[str, str],
                  local: Callable[[], Mapping[str, str]] = local_instance_env) -> Server:
    """The server the tier may use, or :class:`Refused` (see the module docstring)."""
    explicit = env.get("PTGRAPH_TEST_NEO4J_URI")
    if explicit:
        prefix = "PTGRAPH_TEST_"
        login = {**LOCAL_LOGIN, **{k[len(prefix):]: v for k, v in env.items() if k.startswith(prefix)}}
        uri, source = explicit, "PTGRAPH_TEST_NEO4J_URI"
        if not is_loopback(uri):
            raise Refused(
                f"refusing to run the Neo4j tests against {uri} (PTGRAPH_TEST_NEO4J_URI): they "
                "write and delete data, so they only run against a server on this machine "
                "(127.0.0.1, ::1, localhost)")
    elif env.get("NEO4J_URI") and is_loopback(env["NEO4J_URI"]):
        uri, login, source = env["NEO4J_URI"], {**LOCAL_LOGIN, **env}, "NEO4J_URI"
    else:
        login = dict(local())
        uri, source = login["NEO4J_URI"], "scripts/neo4j-local --instance test"
        if not is_loopback(uri):  # the script binds to loopback; check anyway
            raise Refused(f"refusing to run the Neo4j tests against {uri} ({source})")
    if uri.startswith("neo4j"):
        uri = "bolt" + uri[len("neo4j"):]
    user = login.get("NEO4J_USERNAME") or login.get("NEO4J_USER") or "neo4j"
    return Server(uri, user, login.get("NEO4J_PASSWORD", ""), login.get("NEO4J_DATABASE") or None,
                  source)


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
            from ptgraph.load import unload
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
