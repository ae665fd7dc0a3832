"""Which Neo4j server the tiers that need one (``tests/neo4j``, ``tests/browser``) may use.

Which server, first that applies:

1. ``PTGRAPH_TEST_NEO4J_URI`` (login from ``PTGRAPH_TEST_NEO4J_USERNAME``,
   ``_PASSWORD``, ``_DATABASE``, else the local one);
2. ``NEO4J_URI``, when it names this machine (with the other ``NEO4J_*``);
3. the test instance of ``scripts/neo4j-local`` (``--instance test``, bolt port 7688 when free;
   its ``env`` gives the port it took),
   the one ``make test`` starts (and passes on as ``PTGRAPH_LOCAL_NEO4J_*``), apart
   from the ``dev`` one ``make demo`` leaves running.

The tests write and delete data, so any address that is not loopback
(127.0.0.0/8, ::1, localhost) is refused: a shell whose ``NEO4J_URI`` points
at a team's Aura falls back to the local test instance, and a non-local
``PTGRAPH_TEST_NEO4J_URI`` stops the tier. ``neo4j://`` addresses are used as
``bolt://`` so that no routing table can send writes elsewhere.

Without a server a tier is skipped; with ``CI=true`` every skip in a tier
fails the run (:func:`fail_skips_in_ci`, called from the tier's
``pytest_runtest_makereport`` hook).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

import pytest

from ptgraph.errors import PtgraphError
from ptgraph.store import Store, connect, is_loopback

ROOT = Path(__file__).resolve().parents[2]
LOCAL_LOGIN = {"NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": "ptgraph-local"}


def ci() -> bool:
    """``CI=true`` (or 1, yes): a tier must really run."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


class Refused(Exception):
    """The configured server is not on this machine: the tests will not write to it."""


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
    """``NEO4J_*`` of the local test instance: from ``PTGRAPH_LOCAL_NEO4J_*`` (set by
    ``make test``), else the ``export`` lines of ``scripts/neo4j-local --instance test env``."""
    prefix = "PTGRAPH_LOCAL_"
    given = {k[len(prefix):]: v for k, v in os.environ.items() if k.startswith(prefix + "NEO4J_")}
    if given.get("NEO4J_URI"):
        return given
    out = subprocess.run([str(ROOT / "scripts" / "neo4j-local"), "--instance", "test", "env"],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    return dict(re.findall(r"^export (\w+)=(.*)$", out, re.M))


def select_server(env: Mapping[str, str],
                  local: Callable[[], Mapping[str, str]] = local_instance_env) -> Server:
    """The server the tests may use, or :class:`Refused` (see the module docstring).

    >>> select_server({"PTGRAPH_TEST_NEO4J_URI": "neo4j://127.0.0.1:7688"}).uri
    'bolt://127.0.0.1:7688'
    >>> select_server({"NEO4J_URI": "neo4j+s://x.databases.neo4j.io"},
    ...               local=lambda: {"NEO4J_URI": "bolt://127.0.0.1:7688"}).source
    'scripts/neo4j-local --instance test'
    """
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


def require_server() -> Server:
    """The selected server once it answers, or a skip saying why not (for a session fixture)."""
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
        pytest.skip(f"no Neo4j test server: {exc}; {hint}")
    return server


def fail_skips_in_ci(report: pytest.TestReport, tier: str) -> None:
    """With ``CI=true``, turn a skipped test report of ``tier`` into a failure."""
    if ci() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"CI=true: {tier} may not be skipped: {reason}"
