"""Drive the real Neo4j Browser (served by the Neo4j server) in headless Chromium.

A researcher pastes a query file into Browser's editor and presses Ctrl+Enter;
:class:`NeoBrowser` does the same through Playwright (a real paste, Ctrl+V) and reads back what the
frame shows: the status of each statement (Browser runs a text whose
statements all end with ``;`` in its multi-statement mode) and the text of any
error. Browser keeps ``:param`` values between runs, so :meth:`NeoBrowser.run_file`
clears them first, and it clears the stream so that the new frame is the only one.

Playwright is imported by the caller (the ``page`` comes from it), so this
module imports without it.
"""

from __future__ import annotations

import base64
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

#: Multi-statement statuses that mean the statement did not run to success.
BAD_STATUSES = ("error", "skipped", "ignored")
#: Statuses of statements still to finish.
BUSY_STATUSES = ("pending", "waiting")

# What the newest frame shows, read in the page. Browser's own data-testid
# attributes are the stable hooks; the "ERROR" badge (Browser's
# StyledCypherErrorMessage) marks an error in every kind of frame: a Cypher
# error, a failed command, a failed statement of a multi-statement run.
_FRAME_STATE = r"""
() => {
  const frame = document.querySelector('[data-testid="frame"]');
  if (!frame) return null;
  const titles = Array.from(frame.querySelectorAll('[data-testid="multi-statement-list-title"]'));
  const statements = titles.map(t => {
    const icon = t.querySelector('[data-testid="multi-statement-list-icon"]');
    const label = t.querySelector('label');
    return {
      cmd: label ? label.textContent : t.textContent,
      status: icon ? icon.title.replace(/^Status: /, '') : 'unknown'
    };
  });
  const badges = Array.from(frame.querySelectorAll('*')).filter(e =>
    e.children.length === 0 && e.textContent.trim() === 'ERROR' &&
    !e.closest('[role="cell"], svg'));
  const has = id => frame.querySelector(`[data-testid="${id}"]`) !== null;
  return {
    statements,
    multi: has('multi-statement-list'),
    done: has('rerunFrameButton') && !has('spinner'),
    loaded: has('frame-loaded-contents'),
    graph: frame.querySelector('svg.neod3viz, [data-testid="cypherFrameSidebarVisualization"]') !== null,
    error: badges.length > 0,
    text: frame.innerText
  };
}
"""


class BrowserTimeout(AssertionError):
    """Browser did not finish showing a frame in time."""


@dataclass
class Frame:
    """What the newest frame of Browser's stream shows once it has settled."""

    text: str  # the frame's visible text
    statements: list[tuple[str, str]] = field(default_factory=list)  # (statement, status)
    multi: bool = False  # a multi-statement frame
    loaded: bool = False  # a Cypher result (table, graph, or "no records") is shown
    graph: bool = False  # the result is drawn as a graph
    error: bool = False  # an ERROR badge is shown

    @property
    def problems(self) -> list[str]:
        """Every way the frame says something went wrong; empty when all ran."""
        out = [f"{status}: {cmd.strip()}" for cmd, status in self.statements if status in BAD_STATUSES]
        if self.error and not out:
            out.append("error frame")
        return out

    @property
    def records(self) -> int | None:
        """How much the result holds: records streamed (a table) or nodes drawn (a graph)."""
        found = re.findall(r"Started streaming (\d+) records?|Displaying (\d+) nodes?", self.text)
        if found:
            return int("".join(found[-1]))
        return 0 if "no records" in self.text else None


class NeoBrowser:
    """One Neo4j Browser tab, connected to one server.

    Parameters
    ----------
    page
        A Playwright ``Page`` (sync API).
    url
        Browser's address, e.g. ``http://127.0.0.1:7475/browser/``.
    timeout
        Seconds to wait for the connection and for each frame.
    """

    def __init__(self, page: Any, url: str, *, timeout: float = 60.0) -> None:
        self.page = page
        self.url = url
        self.timeout = timeout

    # ------------------------------------------------------------------ connection
    def connect(self, bolt_uri: str, user: str, password: str) -> None:
        """Open Browser and log in to ``bolt_uri`` (not the address Browser guesses)."""
        page = self.page
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.url))
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
        page.goto(self.url, timeout=self.timeout * 1000)
        page.get_by_test_id("boltaddress").fill(bolt_uri, timeout=self.timeout * 1000)
        page.get_by_test_id("username").fill(user)
        page.get_by_test_id("password").fill(password)
        page.get_by_test_id("connect").click()
        page.get_by_text("You are connected").first.wait_for(timeout=self.timeout * 1000)
        # The status frame fills in its connection details after it appears:
        # ask again until they are there, so a slow page is not taken for a wrong server.
        where = bolt_uri.split("://", 1)[-1]
        deadline = time.monotonic() + self.timeout
        while True:
            status = self.run(":server status").text
            if where in status:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"Browser connected elsewhere than {bolt_uri}:\n{status}")
            time.sleep(2)

    # ------------------------------------------------------------------ running
    def _type(self, text: str) -> None:
        """Paste ``text`` into the editor (Ctrl+V) and run it (Ctrl+Enter).

        A real paste, through the clipboard: typing the text instead
        (``keyboard.insert_text``) makes Browser's editor work on it for
        seconds per kilobyte, minutes for a long query.
        """
        page = self.page
        page.get_by_test_id("activeEditor").click()
        page.evaluate("text => navigator.clipboard.writeText(text)", text)
        page.keyboard.press("Control+V")
        page.keyboard.press("Control+Enter")

    def clear_stream(self) -> None:
        """Remove every frame (``:clear``)."""
        self._type(":clear")
        self.page.wait_for_function(
            "() => document.querySelectorAll('[data-testid=\"frame\"]').length === 0",
            timeout=self.timeout * 1000)

    def clear_params(self) -> None:
        """Forget the parameters earlier runs set.

        ``:params {}`` replaces them all with none (this Browser has no ``:params clear``).
        """
        frame = self.run(":params {}")
        if frame.problems:
            raise AssertionError(f"Browser could not clear its parameters:\n{frame.text}")

    def state(self) -> dict | None:
        return self.page.evaluate(_FRAME_STATE)

    def run(self, text: str) -> Frame:
        """Run ``text`` on an empty stream; the frame it makes, once settled."""
        self.clear_stream()
        self._type(text)
        return self.wait()

    def wait(self, settle: float = 0.3) -> Frame:
        """The newest frame, once done (see :func:`_finished`) and unchanged for ``settle`` s."""
        deadline = time.monotonic() + self.timeout
        last, since = None, time.monotonic()
        while True:
            state = self.state()
            if state != last:
                last, since = state, time.monotonic()
            elif state is not None and _finished(state) and time.monotonic() - since >= settle:
                return _frame(state)
            if time.monotonic() > deadline:
                raise BrowserTimeout(f"Browser did not finish within {self.timeout:.0f} s; "
                                     f"the frame shows:\n{(last or {}).get('text', '(no frame)')}")
            time.sleep(0.1)

    def run_file(self, text: str, **chosen: str) -> Frame:
        """Paste a query file as a researcher would, with no parameters left from before.

        ``chosen`` are string parameters set first with ``:param name => 'value'``,
        as a researcher sets ``theory`` by hand when several theories are loaded.
        """
        self.clear_params()
        for name, value in chosen.items():
            frame = self.run(f":param {name} => '{value}'")
            if frame.problems:
                raise AssertionError(f"Browser could not set ${name}:\n{frame.text}")
        return self.run(text)

    def params(self) -> dict[str, Any]:
        """The parameters Browser holds, as ``:params`` shows them (JSON)."""
        text = self.run(":params").text
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end < start:
            raise AssertionError(f"Browser shows no parameters:\n{text}")
        return json.loads(text[start:end + 1])

    def table(self) -> tuple[list[str], list[list[str]]]:
        """The newest frame's result table: its column names and each row's cells, as shown.

        A cell shows its value as Browser writes it: ``"text"`` (quotes, nothing
        escaped), ``12``, ``true``, ``null``, ``[1, "a"]``; :func:`cell` writes a
        value the same way. Browser shows the first 1,000 rows.
        """
        found = self.page.evaluate("""() => {
            const frame = document.querySelector('[data-testid="frame"]');
            const table = frame && frame.querySelector('table[role="table"]');
            if (!table) return null;
            const texts = (row, role) =>
              Array.from(row.querySelectorAll(`[role="${role}"]`)).map(c => c.textContent);
            return [texts(table.querySelector('thead tr'), 'columnheader'),
                    Array.from(table.querySelectorAll('tbody tr[role="row"]')).map(r => texts(r, 'cell'))];
          }""")
        if found is None:
            raise AssertionError("the newest frame shows no table")
        return found[0], found[1]

    # ------------------------------------------------------------------ style sheet
    def drop_file(self, name: str, data: str | bytes) -> Frame | None:
        """Drop a file on Browser, as dragging it from a file manager does.

        A ``.grass`` file is applied at once and Browser shows the style sheet
        in use: that ``:style`` frame is returned. A ``.zip`` of ``.cypher``
        files becomes a folder of favourites (nothing is returned).
        """
        self.clear_stream()
        raw = data.encode() if isinstance(data, str) else data
        transfer = self.page.evaluate_handle(
            """([name, b64]) => {
                 const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
                 const dt = new DataTransfer();
                 dt.items.add(new File([bytes], name));
                 return dt;
               }""", [name, base64.b64encode(raw).decode()])
        target = self.page.locator(".filedrop").first
        for event in ("dragenter", "dragover", "drop"):
            target.dispatch_event(event, {"dataTransfer": transfer})
        return self.wait() if name.endswith(".grass") else None

    def favourites(self, folder: str) -> list[str]:
        """The titles of the favourites in a folder of Browser's Favorites panel.

        Browser titles a favourite with its first line, less the ``//``.
        """
        page = self.page
        page.get_by_test_id("navigationFavorites").click()
        page.get_by_test_id(f"expandFolder-{folder}").click()
        titles = page.get_by_test_id(f"savedScriptsFolder-{folder}").locator(
            '[data-testid^="scriptTitle-"]')
        titles.first.wait_for(timeout=self.timeout * 1000)
        found = [t.removeprefix("scriptTitle-") for t in
                 (titles.nth(i).get_attribute("data-testid") for i in range(titles.count()))]
        page.get_by_test_id("navigationFavorites").click()  # close the panel again
        return found

    # ------------------------------------------------------------------ pictures
    def screenshot(self, path: Path) -> Path:
        """Save the newest frame as a PNG."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.locator('[data-testid="frame"]').first.screenshot(path=str(path))
        return path

    def drawn_nodes(self) -> dict[str, tuple[str, str]]:
        """Caption -> (fill, ring colour) of each node of the newest frame's graph."""
        self.page.locator('[data-testid="frame"] svg g.node').first.wait_for(
            timeout=self.timeout * 1000)
        nodes = self.page.evaluate("""() =>
            Array.from(document.querySelectorAll('[data-testid="frame"] svg g.node')).map(g => {
              const circle = g.querySelector('circle.b-outline');
              const caption = Array.from(g.querySelectorAll('text.caption'))
                .map(t => t.textContent.trim()).join(' ');
              return [caption, circle.getAttribute('fill'), circle.getAttribute('stroke')];
            })""")
        return {caption: (fill.upper(), stroke.upper()) for caption, fill, stroke in nodes}

    def screenshot_graph(self, path: Path) -> Path:
        """The whole page with the newest frame's graph full screen, zoomed to fit.

        The graph is zoomed out a notch after fitting, so that no node hides
        behind Browser's overview of labels (which serves as the legend).
        """
        page = self.page
        frame = page.locator('[data-testid="frame"]').first
        frame.get_by_title("Fullscreen").click()
        frame.get_by_title("Close fullscreen").wait_for(timeout=self.timeout * 1000)
        time.sleep(3)  # the force layout settles
        page.get_by_label("zoom-to-fit").click()
        time.sleep(1)
        box = page.locator('[data-testid="frame"] svg g.node').first.bounding_box()
        page.mouse.move(box["x"], box["y"])
        page.mouse.wheel(0, 120)
        time.sleep(1)
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path))
        frame.get_by_title("Close fullscreen").click()
        return path


def cell(value: Any) -> str:
    """A value written as a cell of Browser's result table shows it.

    >>> cell(["a", 2, None, True])
    '["a", 2, null, true]'
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cell(x) for x in value) + "]"
    return str(value)


def _finished(state: dict) -> bool:
    # A frame is done when it offers "re-run" instead of "stop" and shows no
    # spinner; a multi-statement frame also when no statement waits any more.
    busy = any(s["status"] in BUSY_STATUSES for s in state["statements"])
    return state["done"] and not (state["multi"] and (busy or not state["statements"]))


def _frame(state: dict) -> Frame:
    return Frame(text=state["text"], statements=[(s["cmd"], s["status"]) for s in state["statements"]],
                 multi=state["multi"], loaded=state["loaded"], graph=state["graph"],
                 error=state["error"])


_GRASS_RULE = re.compile(r"""([^\s{}]+)\s*\{((?:'[^']*'|"[^"]*"|[^'"}])*)\}""")


def parse_grass(text: str) -> dict[str, dict[str, str]]:
    """A Browser style sheet as ``{selector: {property: value}}``, read as Browser reads it.

    Like Browser's parser: quotes are dropped from values, and a declaration
    with more than one ``:`` is ignored. Browser knows no comments.

    >>> parse_grass("node.CMOC {\\n  color: #DDDDDD;\\n  caption: '{id}';\\n}")
    {'node.CMOC': {'color': '#DDDDDD', 'caption': '{id}'}}
    """
    rules = {}
    for match in _GRASS_RULE.finditer(text):
        props = {}
        for declaration in match.group(2).split(";"):
            parts = declaration.split(":")
            if len(parts) == 2 and parts[0].strip() and parts[1].strip():
                props[parts[0].strip()] = parts[1].strip().strip("'\"")
        rules[match.group(1)] = props
    return rules
