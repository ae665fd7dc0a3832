"""The tier's own safety rules: loopback servers only; with CI=true no skipping."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.neo4j_server import Refused, select_server

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
AURA = "neo4j+s://abcd1234.databases.neo4j.io"
LOCAL = {"NEO4J_URI": "bolt://127.0.0.1:7688", "NEO4J_USERNAME": "neo4j",
         "NEO4J_PASSWORD": "ptgraph-local", "NEO4J_DATABASE": "neo4j"}


def local() -> dict:
    return dict(LOCAL)


@pytest.mark.parametrize("uri", [AURA, "bolt://10.0.0.5:7687", "bolt://127.0.0.1.nip.io:7687",
                                 "neo4j://db.example.org", "bolt://0.0.0.0:7687"])
def test_a_server_elsewhere_is_refused(uri):
    with pytest.raises(Refused, match="only run against a server on this machine"):
        select_server({"PTGRAPH_TEST_NEO4J_URI": uri}, local)


def test_a_shell_pointing_at_aura_falls_back_to_the_local_test_server():
    server = select_server({"NEO4J_URI": AURA, "NEO4J_USERNAME": "team",
                            "NEO4J_PASSWORD": "the-team-secret"}, local)
    assert (server.uri, server.user, server.password) == ("bolt://127.0.0.1:7688", "neo4j",
                                                          "ptgraph-local")


@pytest.mark.parametrize("uri, used", [("neo4j://localhost:7688", "bolt://localhost:7688"),
                                       ("bolt://[::1]:7688", "bolt://[::1]:7688"),
                                       ("bolt://127.0.0.1:1", "bolt://127.0.0.1:1")])
def test_a_loopback_server_is_used_directly(uri, used):
    assert select_server({"NEO4J_URI": uri}, local).uri == used
    server = select_server({"PTGRAPH_TEST_NEO4J_URI": uri, "NEO4J_PASSWORD": "not-this-one"}, local)
    assert (server.uri, server.password) == (used, "ptgraph-local")


def run_tier(**env: str) -> subprocess.CompletedProcess:
    """One test of the tier in a fresh pytest, with only ``env`` saying where Neo4j is."""
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("NEO4J_", "PTGRAPH_TEST_")) and k != "CI"}
    target = "tests/neo4j/test_load.py::test_buyin_loads_with_the_counts_of_the_graph_model"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", target],
                          cwd=ROOT, env={**clean, **env}, capture_output=True, text=True,
                          timeout=300)


def test_with_ci_an_unreachable_server_fails_the_run():
    result = run_tier(CI="true", NEO4J_URI="bolt://127.0.0.1:1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "CI=true: the Neo4j tier may not be skipped" in result.stdout
    assert "cannot reach Neo4j at bolt://127.0.0.1:1" in result.stdout


def test_without_ci_an_unreachable_server_skips_the_tier():
    result = run_tier(NEO4J_URI="bolt://127.0.0.1:1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout and "cannot reach Neo4j" in result.stdout


def test_with_ci_a_refused_server_fails_the_run():
    result = run_tier(CI="true", PTGRAPH_TEST_NEO4J_URI=AURA)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"refusing to run the Neo4j tests against {AURA}" in result.stdout
