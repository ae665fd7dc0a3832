"""Fixtures of the Browser tier: headless Chromium, Neo4j Browser logged in, buy-in loaded.

Chromium is Debian's (``apt-get install chromium``), driven by Playwright's
Python package with the driver it ships; Playwright's own browser download is
never used. The server is chosen as for the Neo4j tier
(``tests/support/neo4j_server.py``: loopback only, the local test instance by
default). Without Chromium, Playwright or a server the tests are skipped; with
``CI=true`` every skip in this tier fails the run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ptgraph.errors import StoreError
from support.neo4j_server import fail_skips_in_ci, require_server

from neo4j_browser import NeoBrowser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_executable() -> str | None:
    """``PTGRAPH_CHROMIUM``, else ``chromium`` (Debian) or ``chromium-browser`` on PATH."""
    if os.environ.get("PTGRAPH_CHROMIUM"):
        return shutil.which(os.environ["PTGRAPH_CHROMIUM"])
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    fail_skips_in_ci(outcome.get_result(), "the Browser tier")


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium, launched once for the session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed: pip install -e '.[browser]'")
    executable = chromium_executable()
    if not executable:
        pytest.skip("Chromium is not installed: apt-get install chromium (or set PTGRAPH_CHROMIUM)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def neo4j_server():
    return require_server()


@pytest.fixture(scope="session")
def buyin_loaded(neo4j_server, repo_root):
    """The buy-in theory in the test server, for the query files to query.

    A load is a no-op when the same files are loaded already; a theory this
    session loaded is unloaded at its end.
    """
    from ptgraph.load import load, unload

    try:
        with neo4j_server.connect() as store:
            # the buy-in theory maps its concepts to this vocabulary: it loads first
            vocabulary = load(store, repo_root / "examples" / "vocabulary")
            result = load(store, repo_root / "theory")
    except StoreError as exc:
        pytest.skip(f"the Neo4j test server does not answer: {exc}")
    yield result.theory
    with neo4j_server.connect() as store:
        if result.status == "loaded":
            unload(store, result.theory)
        if vocabulary.status == "loaded":
            unload(store, vocabulary.theory)


@pytest.fixture(scope="session")
def browser_url(neo4j_server) -> str:
    """Browser's address: ``PTGRAPH_TEST_NEO4J_BROWSER_URL``, else the server's own HTTP port.

    The host is the Bolt URI's (a loopback address), whatever address HTTP listens on.
    """
    if os.environ.get("PTGRAPH_TEST_NEO4J_BROWSER_URL"):
        return os.environ["PTGRAPH_TEST_NEO4J_BROWSER_URL"]
    try:
        with neo4j_server.connect() as store:
            found = store.run_query_text(
                "SHOW SETTINGS YIELD name, value WHERE name = 'server.http.listen_address' "
                "RETURN value")
    except StoreError as exc:
        pytest.skip(f"the Neo4j test server does not answer: {exc}")
    if not found:
        pytest.fail("the server does not say where its HTTP connector listens; "
                    "set PTGRAPH_TEST_NEO4J_BROWSER_URL", pytrace=False)
    host = urlsplit(neo4j_server.uri).hostname
    port = found[0]["value"].rsplit(":", 1)[1]
    return f"http://{'[' + host + ']' if ':' in host else host}:{port}/browser/"


@pytest.fixture(scope="session")
def neo4j_browser(chromium, browser_url, neo4j_server, buyin_loaded) -> NeoBrowser:
    """One Browser tab, logged in to the test server, shared by the session's tests."""
    page = chromium.new_page(viewport={"width": 1280, "height": 800}, device_scale_factor=1.5)
    browser = NeoBrowser(page, browser_url)
    browser.connect(neo4j_server.uri, neo4j_server.user, neo4j_server.password)
    yield browser
    page.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``test-artifacts/browser/`` (git-ignored): screenshots to look at after a run."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
