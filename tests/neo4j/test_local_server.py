"""``scripts/neo4j-local`` beside another server: ports taken by another process.

A researcher's machine often runs Neo4j Desktop on 7687 and 7474. The local
server then picks free ports, says which and why, and everything downstream
uses them: ``env``, ``status``, ``browser-url`` and the HTTP discovery endpoint
that Neo4j Browser reads. One server is started for the module (on a fresh
instance, deleted afterwards); the tests that need none check the settings
that ask for exact ports.
"""

from __future__ import annotations

import json
import os
import re
import urllib.request

import pytest

from support.local_instance import (PREFERRED_BOLT, PREFERRED_HTTP, HeldPorts, forget, free_port,
                                    instance_on_taken_ports, parse_env, run_script)

from ptgraph.store import connect

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def moved():
    """(instance, held ports): an instance started while 7687 and 7474 were taken."""
    with instance_on_taken_ports() as (instance, held):
        yield instance, held


def test_start_moves_off_taken_ports_and_says_why(moved):
    instance, held = moved
    said = instance.started.stderr
    for kind, preferred, chosen in (("bolt", PREFERRED_BOLT, instance.bolt),
                                    ("http", PREFERRED_HTTP, instance.http)):
        assert chosen != preferred
        found = re.search(rf"^neo4j-local\[{instance.name}\]: {kind} port {preferred} "
                          rf"is in use by (.*); using (\d+)$", said, re.M)
        assert found, said
        assert int(found.group(2)) == chosen
        if preferred in held.held:  # held by this test: the message names this process
            assert f"pid {os.getpid()} (" in found.group(1), found.group(0)
    assert "ready in" in said and f"bolt://127.0.0.1:{instance.bolt}" in said


def test_env_status_and_browser_url_name_the_chosen_ports(moved):
    instance, _ = moved
    assert instance.env() == {"NEO4J_URI": f"bolt://127.0.0.1:{instance.bolt}",
                              "NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": "ptgraph-local",
                              "NEO4J_DATABASE": "neo4j"}
    url = f"http://127.0.0.1:{instance.http}/browser/?dbms=bolt://neo4j@127.0.0.1:{instance.bolt}"
    assert instance.browser_url() == url
    status = instance.run("status")
    assert status.returncode == 0, status
    assert (f"bolt://127.0.0.1:{instance.bolt} http://127.0.0.1:{instance.http}/browser/"
            in status.stdout)


def test_discovery_endpoint_advertises_the_chosen_bolt_port(moved):
    # Browser asks this endpoint where Bolt is; Neo4j's default answer is 7687 whatever
    # port Bolt listens on, which would send Browser to the other server.
    instance, _ = moved
    request = urllib.request.Request(f"http://127.0.0.1:{instance.http}/",
                                     headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        discovery = json.load(response)
    assert discovery["bolt_direct"] == f"bolt://127.0.0.1:{instance.bolt}", discovery
    assert discovery["bolt_routing"] == f"neo4j://127.0.0.1:{instance.bolt}", discovery


def test_a_driver_connects_with_what_env_prints(moved):
    instance, _ = moved
    exported = instance.env()
    with connect(exported["NEO4J_URI"], exported["NEO4J_USERNAME"], exported["NEO4J_PASSWORD"],
                 exported["NEO4J_DATABASE"]) as store:
        rows = store.run_query_text(
            "SHOW SETTINGS YIELD name, value WHERE name = 'server.bolt.listen_address' "
            "RETURN value")
    assert rows and rows[0]["value"].endswith(f":{instance.bolt}"), rows


def test_a_stopped_instance_keeps_its_ports(moved):
    # Runs last in this module: it stops the server.
    instance, held = moved
    stopped = instance.run("stop")
    assert stopped.returncode == 0, stopped.stderr
    held.release()  # 7687 and 7474 may be free now: the instance still names its own ports
    assert instance.env()["NEO4J_URI"] == f"bolt://127.0.0.1:{instance.bolt}"
    assert instance.browser_url().startswith(f"http://127.0.0.1:{instance.http}/browser/")
    status = instance.run("status")
    assert status.returncode == 3 and "stopped" in status.stdout, status


def test_an_explicit_port_that_is_taken_fails_clearly():
    name = f"portclash-explicit-{os.getpid()}"
    port = free_port()
    with HeldPorts(port) as held:
        assert held.held == [port]
        result = run_script(name, "start", PTGRAPH_NEO4J_BOLT_PORT=str(port),
                            PTGRAPH_NEO4J_HTTP_PORT=str(free_port()))
    try:
        assert result.returncode == 1, result
        assert (f"bolt port {port} (PTGRAPH_NEO4J_BOLT_PORT) is in use by pid {os.getpid()} ("
                in result.stderr), result.stderr
        assert "unset it to let scripts/neo4j-local pick a free one" in result.stderr
        assert "starting Neo4j" not in result.stderr
    finally:
        forget(name)


@pytest.mark.parametrize("settings, message", [
    ({"PTGRAPH_NEO4J_BOLT_PORT": "seven"}, "bad PTGRAPH_NEO4J_BOLT_PORT 'seven'"),
    ({"PTGRAPH_NEO4J_HTTP_PORT": "70000"}, "bad PTGRAPH_NEO4J_HTTP_PORT '70000'"),
    ({"PTGRAPH_NEO4J_BOLT_PORT": "7691", "PTGRAPH_NEO4J_HTTP_PORT": "7691"},
     "PTGRAPH_NEO4J_BOLT_PORT and PTGRAPH_NEO4J_HTTP_PORT are both 7691"),
])
def test_bad_port_settings_are_a_usage_error(settings, message):
    name = f"portclash-usage-{os.getpid()}"
    try:
        for command in ("start", "env"):
            result = run_script(name, command, **settings)
            assert result.returncode == 2, result
            assert message in result.stderr, result.stderr
    finally:
        forget(name)


def test_an_explicit_port_is_what_env_names():
    settings = {"PTGRAPH_NEO4J_BOLT_PORT": "7693", "PTGRAPH_NEO4J_HTTP_PORT": "7483"}
    result = run_script("portclash-env", "env", **settings)
    assert result.returncode == 0, result
    assert parse_env(result.stdout)["NEO4J_URI"] == "bolt://127.0.0.1:7693"
    result = run_script("portclash-env", "browser-url", **settings)
    assert result.returncode == 0, result
    assert result.stdout == "http://127.0.0.1:7483/browser/?dbms=bolt://neo4j@127.0.0.1:7693\n"
    assert "not running" in result.stderr
