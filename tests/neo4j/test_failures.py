"""A load that fails half way leaves the database exactly as it was (compared as a full dump).

Two real failures: the connection cut by a TCP proxy between driver and server
after part of the load's bytes, and a write the server refuses because it
breaks a uniqueness constraint.
"""

from __future__ import annotations

import importlib.util
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from support.tcpproxy import TcpProxy

from ptgraph.check import load_theory
from ptgraph.graph import build_graph, dump_graph

from theory_edits import edit_theory

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
CMOCS = 300  # about 1,600 nodes and 3,000 relationships: many batches, many bytes
BATCH = 200


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A synthetic theory from the benchmark generator."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module.generate(CMOCS, tmp_path_factory.mktemp("generated") / "theory")


def relabel_concepts(root: Path) -> None:
    """Change every concept label: a reload that updates thousands of nodes."""
    for path in (root / "concepts").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("    label: Feels ", "    label: Now feels "), encoding="utf-8")


def through_proxy(server, proxy) -> dict:
    return server.env(NEO4J_URI=f"bolt://127.0.0.1:{proxy.port}")


def server_address(server) -> tuple[str, int]:
    parts = urlsplit(server.uri)
    return parts.hostname, parts.port or 7687


def bytes_of_load(ptgraph, server, path, *options) -> int:
    """Client-to-server bytes of one complete ``ptgraph load`` of ``path``."""
    with TcpProxy(*server_address(server)) as proxy:
        run = ptgraph("load", path, "--batch-size", BATCH, *options,
                      env=through_proxy(server, proxy))
        assert run.code == 0, run
        return proxy.bytes_up


def load_cut_half_way(ptgraph, server, path, total: int):
    with TcpProxy(*server_address(server)) as proxy:
        proxy.cut_after_bytes(total // 2)
        run = ptgraph("load", path, "--batch-size", BATCH, env=through_proxy(server, proxy))
        assert proxy.wait_cut(timeout=10), "the load finished before the cut"
    return run


@pytest.mark.parametrize("reload", [False, True], ids=["fresh", "reload"])
def test_connection_cut_mid_load_changes_nothing(reload, ptgraph, neo4j_server, neo4j_env,
                                                  new_theory, store, generated):
    measured_path, measured = new_theory(generated)
    path, tid = new_theory(generated)
    if reload:  # both loaded as generated, then edited: the cut load is a big update
        for p in (measured_path, path):
            assert ptgraph("load", p, env=neo4j_env).code == 0
            relabel_concepts(p)
    # Connecting, the hash look-up and reading the stored theory (all a dry run
    # does) send far less than the writes: half of the bytes is well inside them.
    before_writes = bytes_of_load(ptgraph, neo4j_server, measured_path, "--dry-run")
    total = bytes_of_load(ptgraph, neo4j_server, measured_path)
    assert total > 100_000 and before_writes < total // 4
    ptgraph("unload", measured, env=neo4j_env)

    before = store.dump_all()
    run = load_cut_half_way(ptgraph, neo4j_server, path, total)
    assert run.code == 2, run
    assert f"could not load {tid}; the database is unchanged: cannot reach Neo4j" in run.err
    assert "Traceback" not in run.err + run.out
    assert store.dump_all() == before
    if reload:
        assert "Now feels" not in str(store.read_dump(tid))
    else:
        assert store.read_dump(tid) == {"nodes": [], "relationships": []}

    assert ptgraph("load", path, env=neo4j_env).code == 0  # and the same load then succeeds
    assert store.read_dump(tid) == dump_graph(build_graph(load_theory(path)))


TOKEN_KEY = "ptgraph_test_token"


@pytest.fixture
def site_token(store, new_theory):
    """A uniqueness constraint on Site.ptgraph_test_token, and a Site of another theory
    holding a fresh token: loading a site with the same token must fail."""
    token = uuid.uuid4().hex
    _, other = new_theory()  # only its id: cleaned up like any test theory
    store.run_query_text(f"CREATE CONSTRAINT {TOKEN_KEY} IF NOT EXISTS "
                         f"FOR (n:Site) REQUIRE n.{TOKEN_KEY} IS UNIQUE", write=True)
    store.run_query_text(f"CREATE (:Site {{theory: $other, id: 'holder', {TOKEN_KEY}: $token}})",
                         {"other": other, "token": token}, write=True)
    yield token
    store.run_query_text(f"DROP CONSTRAINT {TOKEN_KEY} IF EXISTS", write=True)


def add_token_to_site(root: Path, token: str) -> None:
    sites = root / "sites.yaml"
    text = sites.read_text(encoding="utf-8")
    marker = "  site-7:\n    label: Site 7\n"
    assert marker in text
    sites.write_text(text.replace(marker, f"{marker}    {TOKEN_KEY}: {token}\n"), encoding="utf-8")


@pytest.mark.parametrize("reload", [False, True], ids=["fresh", "reload"])
def test_a_write_breaking_a_constraint_changes_nothing(reload, ptgraph, neo4j_env, new_theory,
                                                       store, site_token):
    path, tid = new_theory()
    if reload:
        assert ptgraph("load", path, env=neo4j_env).code == 0
        edit_theory(path)  # deletions and updates run before the refused Site write
    add_token_to_site(path, site_token)
    before = store.dump_all()
    run = ptgraph("load", path, env=neo4j_env)
    assert run.code == 2, run
    assert f"could not load {tid}; the database is unchanged" in run.err
    assert "ConstraintValidationFailed" in run.err and "Traceback" not in run.err
    assert store.dump_all() == before
