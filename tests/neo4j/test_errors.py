"""Neo4j that cannot be used: a clear message and exit 2, never a traceback or the password."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.neo4j

SECRET = "s3cret-Pa55word-not-to-print"


def assert_clean_failure(run, *phrases: str) -> None:
    assert run.code == 2, run
    text = run.out + run.err
    assert "Traceback" not in text and SECRET not in text, text
    assert run.err.startswith("ptgraph: ") and run.err.count("\n") == 1, run.err
    for phrase in phrases:
        assert phrase in run.err, run.err


def test_unreachable_server(ptgraph, neo4j_server, repo_root):
    env = neo4j_server.env(NEO4J_URI="bolt://127.0.0.1:1", NEO4J_PASSWORD=SECRET)
    for command in (("load", repo_root / "theory"), ("unload", "buy-in")):
        assert_clean_failure(ptgraph(*command, env=env), "cannot reach Neo4j at bolt://127.0.0.1:1")


def test_wrong_password(ptgraph, neo4j_server, repo_root):
    run = ptgraph("load", repo_root / "theory", env=neo4j_server.env(NEO4J_PASSWORD=SECRET))
    assert_clean_failure(run, f"refused the credentials of user '{neo4j_server.user}'")


def test_password_in_the_uri_is_not_printed(ptgraph, neo4j_server, repo_root):
    env = neo4j_server.env(NEO4J_URI=f"bolt://neo4j:{SECRET}@127.0.0.1:1")
    assert_clean_failure(ptgraph("load", repo_root / "theory", env=env),
                         "cannot use the Neo4j URI 'bolt://127.0.0.1:1'", "not in the URI")


def test_unknown_database(ptgraph, neo4j_server, repo_root):
    run = ptgraph("load", repo_root / "theory", env=neo4j_server.env(NEO4J_DATABASE="nosuchdb"))
    assert_clean_failure(run, "has no database 'nosuchdb'")


def test_bad_uri(ptgraph, neo4j_server, repo_root):
    run = ptgraph("load", repo_root / "theory", "--uri", "http://127.0.0.1:7474",
                  env=neo4j_server.env(NEO4J_PASSWORD=SECRET))
    assert_clean_failure(run, "cannot use the Neo4j URI 'http://127.0.0.1:7474'")


def test_no_password_and_no_terminal(ptgraph, neo4j_server, repo_root):
    run = ptgraph("load", repo_root / "theory", env=neo4j_server.env(NEO4J_PASSWORD=None))
    assert_clean_failure(run, "set NEO4J_PASSWORD, or use --password")


def test_password_prompt_is_hidden(ptgraph, neo4j_server, new_theory):
    path, tid = new_theory()
    env = neo4j_server.env(NEO4J_PASSWORD=SECRET)  # --password asks, whatever the environment says
    run = ptgraph("load", path, "--password", input=neo4j_server.password + "\n", env=env)
    assert run.code == 0, run
    assert run.out.startswith(f"loaded {tid}: ")
    assert "Neo4j password" in run.err and neo4j_server.password not in run.out + run.err


def test_a_theory_that_fails_check_is_not_loaded(ptgraph, neo4j_env, new_theory, store):
    path, tid = new_theory()
    (path / "areas.yaml").write_text("areas:\n  bad id!: {label: x}\n", encoding="utf-8")
    before = store.dump_all()
    run = ptgraph("load", path, env=neo4j_env)
    assert run.code == 2 and "fix them first" in run.err, run
    assert store.dump_all() == before


@pytest.mark.parametrize("value, says", [
    ("123456789012345678901234567890", "is the whole number 123456789012345678901234567890, beyond"),
    ('[1, "a"]', "mixes integer and text"),
])
def test_a_value_neo4j_cannot_store(value, says, ptgraph, neo4j_env, new_theory, store):
    # check is the gate: the load stops at the value's place, before Neo4j sees it
    path, tid = new_theory()
    sites = path / "sites.yaml"
    text = sites.read_text(encoding="utf-8")
    assert text.count("    months_in_role: 24\n") == 1
    sites.write_text(text.replace("    months_in_role: 24\n", f"    months_in_role: {value}\n"),
                     encoding="utf-8")
    before = store.dump_all()
    run = ptgraph("load", path, env=neo4j_env)
    assert run.code == 2, run
    assert f"sites.yaml:8:21: E108 attribute 'months_in_role' of site 'site-1' {says}" in run.err
    assert "Traceback" not in run.err
    assert store.dump_all() == before
