"""Neo4j Browser of a local server that had to move off 7687 and 7474 connects to that server.

Neo4j Desktop (or another project) holds 7687 and 7474, as on many
researchers' machines; ``scripts/neo4j-local`` starts a throwaway instance on
other ports. The address it prints (``browser-url``, the line ``make demo``
shows) must open a Browser that offers that instance's Bolt port and, once
logged in, talks to that very server: the test writes a token into it and
reads it back through Browser. The plain ``/browser/`` address must do the
same on its own, from the HTTP discovery endpoint. Were either to go to 7687,
Browser would reach the other process (or, if that is a Neo4j with the same
login, a server without the token) and the test fails.
"""

from __future__ import annotations

import time
import uuid
from urllib.parse import urlsplit

import pytest

from neo4j_browser import NeoBrowser
from support.local_instance import PREFERRED_BOLT, instance_on_taken_ports

from ptgraph.store import connect

pytestmark = [pytest.mark.browser, pytest.mark.neo4j]

TIMEOUT = 60.0


@pytest.fixture(scope="module")
def moved(chromium):
    """(instance, token): a fresh instance off 7687/7474, holding one node with a random token.

    Asks for Chromium first, so that without it no server is started.
    """
    with instance_on_taken_ports("portclash-browser") as (instance, _):
        token = uuid.uuid4().hex
        exported = instance.env()
        with connect(exported["NEO4J_URI"], exported["NEO4J_USERNAME"],
                     exported["NEO4J_PASSWORD"], exported["NEO4J_DATABASE"]) as store:
            store.run_query_text("CREATE (:PortclashToken {token: $token})", {"token": token},
                                 write=True)
        yield instance, token


def open_browser(chromium, url: str) -> tuple[NeoBrowser, object]:
    """A new Browser tab at ``url``, in a context of its own (nothing remembered from other tabs)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    page = context.new_page()
    page.goto(url, timeout=TIMEOUT * 1000)
    return NeoBrowser(page, url, timeout=TIMEOUT), context


def offered_login(browser: NeoBrowser, port: int) -> tuple[str, str]:
    """The Bolt address and user name Browser's connect form offers.

    The form may fill in what discovery found after it appears: the address is
    read until it names ``port``, for up to 15 s, then taken as it is.
    """
    page = browser.page
    address = page.get_by_test_id("boltaddress")
    address.wait_for(timeout=TIMEOUT * 1000)
    deadline = time.monotonic() + 15
    while not address.input_value().endswith(f":{port}") and time.monotonic() < deadline:
        time.sleep(0.5)
    return address.input_value(), page.get_by_test_id("username").input_value()


def log_in(browser: NeoBrowser) -> None:
    """Log in where the connect form says, with the local login (the address untouched)."""
    page = browser.page
    user = page.get_by_test_id("username")
    if not user.input_value():
        user.fill("neo4j")
    page.get_by_test_id("password").fill("ptgraph-local")
    page.get_by_test_id("connect").click()
    page.get_by_text("You are connected").first.wait_for(timeout=TIMEOUT * 1000)


def assert_connected_to(browser: NeoBrowser, instance, token: str) -> None:
    # The status frame fills in its connection details after it appears: ask until they are there.
    deadline = time.monotonic() + TIMEOUT
    while f"127.0.0.1:{instance.bolt}" not in (status := browser.run(":server status").text):
        assert time.monotonic() < deadline, f"Browser is connected elsewhere:\n{status}"
        time.sleep(2)
    frame = browser.run("MATCH (t:PortclashToken) RETURN t.token AS token")
    assert not frame.problems, frame.text
    assert token in frame.text, f"Browser is not connected to its own server:\n{frame.text}"


def test_the_printed_browser_address_connects_to_its_own_server(chromium, moved):
    instance, token = moved
    url = instance.browser_url()
    assert url.startswith(f"http://127.0.0.1:{instance.http}/browser/"), url
    browser, context = open_browser(chromium, url)
    try:
        offered, offered_user = offered_login(browser, instance.bolt)
        assert offered.endswith(f"127.0.0.1:{instance.bolt}"), offered
        assert offered_user == "neo4j"
        log_in(browser)
        assert_connected_to(browser, instance, token)
    finally:
        context.close()


def test_browser_alone_discovers_its_own_bolt_port(chromium, moved):
    # No ?dbms= in the address: Browser asks the server's discovery endpoint where Bolt is.
    instance, token = moved
    browser, context = open_browser(chromium, f"http://127.0.0.1:{instance.http}/browser/")
    try:
        offered, _ = offered_login(browser, instance.bolt)
        assert offered.endswith(f"127.0.0.1:{instance.bolt}"), offered
        assert f":{PREFERRED_BOLT}" not in offered
        log_in(browser)
        assert_connected_to(browser, instance, token)
    finally:
        context.close()
