"""The Cypher twins of the named queries: ``queries/NAME.cypher``, read as Neo4j Browser reads them.

A twin is a file a researcher pastes or drops into Neo4j Browser as it is:
header comment lines (the first is its title in Browser's favourites), one
``:param name => expression;`` statement per parameter, ``theory`` last,
then the query. Browser runs such a text in its multi-statement mode only
when every statement ends with ``;``. Browser sends the expression of a
``:param`` to the server behind an implicit ``RETURN``, without the
parameters already set, and so does :meth:`Twin.defaults`: the values are
never parsed here.

The ``theory`` line names no theory: its expression reads the database. It
is the id of the only theory loaded; with none or several it fails with a
message listing them and the ``:param theory => '...'`` lines to run. Browser
then stops the file there, before the query, and keeps the ``theory`` it
had, so a theory chosen by hand stays chosen. That is why ``theory`` comes
last: the file's other parameters are set before it stops. Every twin has
the same ``theory`` line (:func:`check_twins`).

``ptgraph query NAME --neo4j`` always names its theory: it runs the twin's
query with the other ``:param`` defaults, overridden by the parameters given
(:func:`run_twin`), and returns the very rows of the embedded engine
(:mod:`ptgraph.queries`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import networkx as nx

from .errors import UsageError
from .queries import QUERIES, Query, Rows
from .graph import edge_key
from .store import QUERIES_DIR, Store, read_theory

_PARAM = re.compile(r":param\s+([A-Za-z_][A-Za-z0-9_]*)\s*=>\s*(\S.*)\Z", re.S)
_DOLLAR = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
#: A string literal: a 'theory' line that names one theory.
_LITERAL = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"")
#: Parameters that name a concept of the theory queried.
_CONCEPT_PARAMS = ("concept", "from", "to")
#: The check that stops a twin, in Browser, on a concept the theory lacks (its default is the
#: worked example's), with the words of `ptgraph query`; one text in every twin that has it.
_GUARD = re.compile(r"AS missing\n(WHERE CASE WHEN missing IS NULL .*? IS NULL END)\n", re.S)
#: The query (under ``queries/``) reading the ids a parameter may name, for :func:`stored_skeleton`.
SKELETON_QUERY = "support/ids"


@dataclass(frozen=True)
class Statement:
    text: str  # comments removed, stripped, without the closing ';'
    line: int  # where it starts, from 1
    ended: bool  # closed by ';'


def split_statements(text: str) -> list[Statement]:
    """Statements as Browser splits them: at ``;`` outside strings, names and comments.

    >>> [(s.text, s.line, s.ended) for s in split_statements("// hi\\n:param a => 'x;y';\\nRETURN $a")]
    [(":param a => 'x;y'", 2, True), ('RETURN $a', 3, False)]
    """
    out: list[Statement] = []
    buf: list[str] = []
    start = None
    i, line, n = 0, 1, len(text)

    def close(ended: bool) -> None:
        nonlocal start
        body = "".join(buf).strip()
        if body:
            out.append(Statement(body, start or line, ended))
        buf.clear()
        start = None

    while i < n:
        ch = text[i]
        if text.startswith("//", i):  # a comment, up to the end of the line
            i = text.find("\n", i)
            i = n if i < 0 else i
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            line += text.count("\n", i, end)
            buf.append(" ")
            i = end
            continue
        if ch == ";":
            close(True)
            i += 1
            continue
        if start is None and not ch.isspace():
            start = line
        if ch in "'\"`":  # a string or a quoted name: copied whole
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if text[j] == "\\" and ch != "`" else 1
            j = min(j + 1, n)
            buf.append(text[i:j])
            line += text.count("\n", i, j)
            i = j
            continue
        line += ch == "\n"
        buf.append(ch)
        i += 1
    close(False)
    return out


def _outside_strings(text: str) -> str:
    return re.sub(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|`[^`]*`", "''", text)


@dataclass(frozen=True)
class Twin:
    """One ``queries/NAME.cypher`` file, as Browser reads it."""

    name: str
    path: Path
    title: str  # the first header line
    params: dict[str, str]  # name -> Cypher expression, in file order
    query: str  # without the closing ';'

    @property
    def uses(self) -> set[str]:
        """The ``$parameters`` the query refers to."""
        return set(_DOLLAR.findall(_outside_strings(self.query)))

    def defaults(self, store: Store) -> dict[str, Any]:
        """The ``:param`` values but ``theory``'s, each evaluated by the server as Browser does.

        The ``theory`` expression is left out: it stands for the researcher's
        choice in Browser, and fails when the database holds several theories.
        """
        names = [name for name in self.params if name not in SCOPES]
        if not names:
            return {}
        text = "RETURN " + ", ".join(f"{self.params[name]} AS p{k}" for k, name in enumerate(names))
        row = store.run_query_text(text)[0]
        return {name: row[f"p{k}"] for k, name in enumerate(names)}


#: The parameter each kind of twin ends with, read from the database: the theory a query
#: of one theory asks, the vocabulary a query across theories asks.
SCOPES = ("theory", "vocabulary")


def parse_twin(text: str, path: Path, scope: str = "theory") -> Twin:
    """A twin from the text of its file; a :class:`UsageError` naming ``path:line`` if malformed.

    ``scope`` is the parameter the file's ``:param`` lines end with (:data:`SCOPES`).
    """
    def fail(line: int, message: str) -> UsageError:
        return UsageError(f"{path.name}:{line}: {message}")

    header = []
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        header.append(line[2:].strip())
    if not header or not header[0]:
        raise fail(1, "a twin starts with comment lines saying what it answers, a title first")
    statements = split_statements(text)
    if not statements:
        raise fail(1, "no query")
    *commands, query = statements
    params: dict[str, str] = {}
    for s in statements:
        # A command is one line: a second one in the same statement lacks the ';' before it.
        if not s.ended or (s.text.startswith(":") and "\n" in s.text):
            raise fail(s.line, "every statement ends with ';' (Browser runs a file of several "
                               "statements only then)")
    if query.text.startswith(":"):
        raise fail(query.line, "the last statement must be the query")
    for s in commands:
        match = _PARAM.match(s.text)
        if not match:
            raise fail(s.line, "before the query only ':param name => value;' lines may come")
        if match.group(1) in params:
            raise fail(s.line, f"parameter '{match.group(1)}' is set twice")
        params[match.group(1)] = match.group(2).strip()
    if next(reversed(params), None) != scope:
        raise fail(commands[-1].line if commands else query.line,
                   f"the last parameter, right before the query, is ':param {scope} => ...;'")
    twin = Twin(path.stem, path, header[0], params, query.text)
    undeclared = sorted(twin.uses - set(params))
    if undeclared:
        raise fail(query.line, f"the query uses ${undeclared[0]}, which has no ':param' line")
    unused = [p for p in params if p not in twin.uses]
    if unused:
        raise fail(commands[0].line, f"':param {unused[0]}' is not used by the query")
    return twin


def twin_names(folder: Path = QUERIES_DIR) -> list[str]:
    """The names of the ``*.cypher`` files in ``folder`` (``queries/``)."""
    return sorted(p.stem for p in folder.glob("*.cypher"))


def read_twin(name: str, folder: Path = QUERIES_DIR, scope: str = "theory") -> Twin:
    """The twin of the named query ``name`` (in ``queries/``, or ``queries/across/`` with
    ``scope="vocabulary"``)."""
    path = folder / f"{name}.cypher"
    if not path.is_file():
        where = "queries/" if scope == "theory" else "queries/across/"
        raise UsageError(f"query {name} has no Cypher twin: {path.name} is missing from {where}")
    return parse_twin(path.read_text(encoding="utf-8"), path, scope)


def stored_skeleton(store: Store, theory: str) -> nx.MultiDiGraph:
    """The stored theory's CMOCs, concepts and sites, without relationships, as a graph.

    Enough for a query function to check its parameters against the stored
    ids, with the same messages as on the embedded engine. Raises
    :class:`UsageError` when the database holds no such theory.
    """
    rows = store.run_file(SKELETON_QUERY, {"theory": theory})
    if not any(r["label"] == "Theory" for r in rows):
        loaded = store.theories()
        raise UsageError(f"no theory '{theory}' in {store.settings.where}; loaded: "
                         + (", ".join(loaded) if loaded else "none (ptgraph load puts one there)"))
    G = nx.MultiDiGraph(theory=theory)
    for r in rows:
        G.add_node((r["label"], r["id"]), labels=(r["label"],), **r["props"])
    return G


def stored_graph(store: Store, theory: str) -> nx.MultiDiGraph:
    """The stored theory read back whole, as the graph :func:`ptgraph.graph.build_graph` makes."""
    nodes, rels = read_theory(store, theory)
    G = nx.MultiDiGraph(theory=theory)
    for n in nodes:
        G.add_node((n["label"], n["props"]["id"]), labels=tuple(n["labels"]), **n["props"])
    for r in rels:
        G.add_edge(r["start"], r["end"], key=edge_key(r["type"], r["props"]), type=r["type"],
                   **r["props"])
    return G


def run_twin(store: Store, query: Query, parsed: Mapping[str, Any], theory: str, *,
             explain: bool = False) -> Rows:
    """Run the twin of ``query`` on ``theory`` with parameters as :meth:`Query.parse` gives them.

    The parameters are first checked as the embedded engine checks them, on
    the stored theory's ids (:func:`stored_skeleton`): an unknown id or a bad
    value is the same :class:`UsageError`. The ``:param`` defaults of the file
    fill in what ``parsed`` leaves out. With ``explain``, an empty answer gets
    the note of :meth:`Query.why_empty`, worded by the same Python code as on
    the embedded engine, from the stored theory read back (:func:`stored_graph`).
    """
    twin = read_twin(query.name)
    query.run(stored_skeleton(store, theory), parsed)  # checks only: no relationships to walk
    params = {**twin.defaults(store), **parsed, "theory": theory}
    rows = Rows(store.run_query_text(twin.query, params))
    if explain and not rows and query.explain is not None:
        query.why_empty(stored_graph(store, theory), parsed, rows)
    return rows


def check_twins(folder: Path = QUERIES_DIR) -> list[str]:
    """Problems of the ``*.cypher`` files in ``folder`` as twins of :data:`ptgraph.queries.QUERIES`.

    A named query without a file, a file that names no query, a malformed
    file, parameters other than the query's own and then ``theory``, in
    order, a ``theory`` line that names one theory (a researcher who loaded
    another would get its rows), or one unlike the other twins'; a concept
    parameter that defaults to an id without the guard that stops on a concept
    the theory lacks, or a guard unlike the other twins'.
    """
    names = twin_names(folder)
    guarded: list[tuple[str, str]] = []
    problems = [f"query {name} has no twin queries/{name}.cypher" for name in QUERIES if name not in names]
    first: Twin | None = None
    for name in names:
        if name not in QUERIES:
            problems.append(f"queries/{name}.cypher is named after no query of `ptgraph query --list`")
            continue
        try:
            twin = read_twin(name, folder)
        except UsageError as exc:
            problems.append(str(exc))
            continue
        wanted = [*QUERIES[name].params, "theory"]
        if list(twin.params) != wanted:
            problems.append(f"{twin.path.name}: its ':param' lines are {list(twin.params)}, "
                            f"not {wanted}")
        theory = twin.params.get("theory", "")
        if _LITERAL.fullmatch(theory):
            problems.append(f"{twin.path.name}: ':param theory => {theory}' names one theory, so a "
                            "researcher who loaded another would get its rows; use the 'theory' "
                            "line of the other twins, which reads the database")
        elif first is None:
            first = twin
        elif theory != first.params["theory"]:
            problems.append(f"{twin.path.name}: its ':param theory' line differs from "
                            f"{first.path.name}'s; every twin has the same one")
        problems += _guard_problems(twin, guarded)
    return problems


def _guard_problems(twin: Twin, guarded: list[tuple[str, str]]) -> list[str]:
    """A twin whose concept parameter defaults to an id lacks the concept guard, or has
    one unlike the first twin's (``guarded`` collects ``(file name, guard)``)."""
    found = _GUARD.search(twin.query)
    named = [p for p in _CONCEPT_PARAMS if _LITERAL.fullmatch(twin.params.get(p, ""))]
    if found is None:
        return [f"{twin.path.name}: ':param {named[0]}' names a concept of one theory, and the "
                "file has no guard for a concept the theory queried lacks, so Browser shows "
                "'no records' there; use upstream.cypher's"] if named else []
    if guarded and found.group(1) != guarded[0][1]:
        return [f"{twin.path.name}: its concept guard differs from {guarded[0][0]}'s; every "
                "twin that has one has the same"]
    guarded.append((twin.path.name, found.group(1)))
    return []


ACROSS_DIR = QUERIES_DIR / "across"


def stored_vocabulary(store: Store, vocabulary: str) -> nx.MultiDiGraph:
    """The stored vocabulary's terms and the theories loaded beside it, as a graph without
    relationships: enough for a query across theories to check its parameters.

    Raises :class:`UsageError` when the database holds no such vocabulary.
    """
    rows = store.run_file("support/vocabulary", {"vocabulary": vocabulary})
    if not rows:
        raise UsageError(f"no vocabulary '{vocabulary}' in {store.settings.where}; load it with "
                         "`ptgraph load VOCABULARY_DIR`, then the theories that map to it")
    G = nx.MultiDiGraph(theories=rows[0]["theories"], vocabulary=vocabulary)
    for term in rows[0]["terms"]:
        G.add_node((vocabulary, "Term", term["id"]), labels=("Term",), label=term["label"])
    return G


def run_across_twin(store: Store, query: Query, parsed: Mapping[str, Any], vocabulary: str,
                    theories: list[str]) -> Rows:
    """Run the twin (``queries/across/NAME.cypher``) of a query across ``theories`` that map
    to ``vocabulary``, with parameters as :meth:`Query.parse` gives them; checked first as
    the embedded engine checks them (:func:`stored_vocabulary`)."""
    twin = read_twin(query.name, ACROSS_DIR, "vocabulary")
    query.func(stored_vocabulary(store, vocabulary), theories=theories, **query.kwargs(parsed))
    params = {**twin.defaults(store), **parsed, "theories": theories, "vocabulary": vocabulary}
    return Rows(store.run_query_text(twin.query, params))


__all__ = ["ACROSS_DIR", "SCOPES", "Twin", "check_twins", "run_across_twin", "stored_vocabulary", "parse_twin", "read_twin", "run_twin", "split_statements",
           "stored_graph", "stored_skeleton", "twin_names"]
