"""Neo4j: the one module that talks to the driver.

:func:`connect` opens a :class:`Store` from options or the driver's usual
environment variables (``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``,
``NEO4J_DATABASE``) and turns every driver failure into a
:class:`~ptgraph.errors.StoreError` with a plain message that never holds the
password. Cypher lives in ``.cypher`` files under ``queries/``, always with
``$parameters``: no text from a theory is ever pasted into a query.

Before Neo4j 5.26 a label or relationship type cannot come from a parameter
(5.26 takes ``$(expression)``, which ``ptgraph load`` uses when the server
has it: :func:`dynamic_labels`), so the files under ``queries/load/`` may
hold placeholders such as ``__LABEL__``. :func:`cypher`
fills them only with names from the fixed lists of the graph model
(:data:`ptgraph.graph.NODE_LABELS`, ``ROLE_LABELS``, ``REL_TYPES``) and
refuses anything else, so what reaches the server is always text written in
this repository.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar
from urllib.parse import urlsplit, urlunsplit

import neo4j
from neo4j import exceptions as nx

from . import __version__
from .errors import StoreError
from .graph import NODE_LABELS, REL_TYPES, ROLE_LABELS, dump

# The driver logs query notifications ("label does not exist" on a fresh database)
# and connection errors; without a handler Python would print them to stderr.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

DEFAULT_URI = "neo4j://localhost:7687"
DEFAULT_USER = "neo4j"
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
MIN_SERVER_MAJOR = 5
CONNECT_TIMEOUT = 15.0  # seconds; the driver's 30 s is long to wait for a typo
TRANSIENT_ATTEMPTS = 3
T = TypeVar("T")

#: Names that may fill a placeholder in a ``queries/load`` template.
SCHEMA_NAMES = frozenset(NODE_LABELS) | frozenset(ROLE_LABELS.values()) | frozenset(REL_TYPES)
_PLACEHOLDER = re.compile(r"__([A-Z]+)__")


def _queries_dir() -> Path:
    here = Path(__file__).resolve().parent
    # The source tree's queries/; an installed wheel carries them as ptgraph/cypher.
    for candidate in (here.parents[1] / "queries", here / "cypher"):
        if candidate.is_dir():
            return candidate
    return here.parents[1] / "queries"


QUERIES_DIR = _queries_dir()


@lru_cache(maxsize=None)
def _read_query(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def query_path(name: str | Path) -> Path:
    """The ``.cypher`` file for ``name``: a path, or a name relative to ``queries/``."""
    path = Path(name)
    if path.suffix != ".cypher":
        path = path.with_suffix(".cypher")
    return path if path.is_absolute() else QUERIES_DIR / path


def cypher(name: str, **names: str) -> str:
    """Text of ``queries/NAME.cypher`` with its ``__PLACEHOLDER__``\\ s filled.

    Every value must be a label or relationship type of the graph model, so a
    filled template holds only names written in this repository.

    >>> "MATCH (n:Concept)" in cypher("load/unload", LABEL="Concept")
    True
    >>> cypher("load/unload", LABEL="Concept) DETACH DELETE n //")
    Traceback (most recent call last):
    ...
    ValueError: 'Concept) DETACH DELETE n //' is not a label or relationship type of the graph model
    """
    text = _read_query(query_path(name))
    for value in names.values():
        if value not in SCHEMA_NAMES:
            raise ValueError(f"{value!r} is not a label or relationship type of the graph model")
    wanted = set(_PLACEHOLDER.findall(text))
    if wanted != set(names):
        raise ValueError(f"{name}: placeholders {sorted(wanted)}, given {sorted(names)}")
    return _PLACEHOLDER.sub(lambda m: names[m.group(1)], text)


def redact_uri(uri: str) -> str:
    """``uri`` without any ``user:password@`` part, fit to print."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<unparsable URI>"
    if "@" not in parts.netloc:
        return uri
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def is_loopback(uri: str) -> bool:
    """Does ``uri`` name a server on this machine (127.0.0.0/8, ::1 or localhost)?

    Names are not resolved: only a literal loopback address or ``localhost`` counts.

    >>> is_loopback("bolt://127.0.0.1:7688"), is_loopback("neo4j://[::1]:7687")
    (True, True)
    >>> is_loopback("neo4j+s://abcd1234.databases.neo4j.io")
    False
    """
    try:
        host = urlsplit(uri).hostname or ""
    except ValueError:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Settings:
    """Where to connect; the password is kept out of ``repr``."""

    uri: str
    user: str
    password: str
    database: str | None

    def __repr__(self) -> str:
        return f"Settings(uri={redact_uri(self.uri)!r}, user={self.user!r}, database={self.database!r})"

    @property
    def where(self) -> str:
        db = f" (database {self.database})" if self.database else ""
        return f"Neo4j at {redact_uri(self.uri)}{db}"


def settings(uri: str | None = None, user: str | None = None, password: str | None = None,
             database: str | None = None) -> Settings:
    """Options, else ``NEO4J_URI``/``NEO4J_USERNAME`` (or ``NEO4J_USER``)/``NEO4J_PASSWORD``/
    ``NEO4J_DATABASE``, else ``neo4j://localhost:7687`` as user ``neo4j``.

    ``database`` None means the server's default database.
    """
    env = os.environ
    return Settings(
        uri=uri or env.get("NEO4J_URI") or DEFAULT_URI,
        user=user or env.get("NEO4J_USERNAME") or env.get("NEO4J_USER") or DEFAULT_USER,
        password=password if password is not None else env.get("NEO4J_PASSWORD", ""),
        database=database or env.get("NEO4J_DATABASE") or None,
    )


def _first_line(text: str) -> str:
    return (str(text).strip().splitlines() or [""])[0]


def _describe(exc: Exception, s: Settings) -> str:
    """A one-line, password-free message for a driver failure."""
    where = s.where
    if isinstance(exc, nx.AuthError):
        return (f"{where} refused the credentials of user '{s.user}' "
                "(set NEO4J_USERNAME and NEO4J_PASSWORD, or --user and --password)")
    if isinstance(exc, nx.IncompleteCommit):
        return (f"the connection to {where} was lost while committing: the change may or may "
                "not have been saved; run the command again")
    if isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired)):
        reason = _first_line(exc.args[0] if exc.args else exc).rstrip(" :")
        return (f"cannot reach {where}: {reason}. Is the server running? "
                "(the local one: scripts/neo4j-local start; another: set NEO4J_URI)")
    if isinstance(exc, nx.Neo4jError):
        code = exc.code or ""
        if _out_of_memory(exc):
            said = _first_line(exc.message or "").rstrip(". ")
            return (f"{where} ran out of transaction memory ({code}): {said}. "
                    "The work is one transaction, so the server needs a larger heap "
                    "(server.memory.heap.max_size; transactions may use "
                    "dbms.memory.transaction.total.max of it, 70% by default); for the local "
                    "server set PTGRAPH_NEO4J_HEAP and run scripts/neo4j-local restart")
        if code.endswith("DatabaseNotFound"):
            return (f"{where.split(' (')[0]} has no database '{s.database}' "
                    "(set NEO4J_DATABASE or --database, or leave it out for the default)")
        return f"{where} failed: {code}: {_first_line(exc.message or '')}"
    if isinstance(exc, nx.ConfigurationError):
        return f"cannot use the Neo4j URI '{redact_uri(s.uri)}': {_first_line(exc)}"
    if isinstance(exc, OverflowError):  # raised by the driver while packing a parameter
        # The driver's Python and Rust packers word this differently; say it once, our way.
        return (f"{where} cannot store a value: an integer is outside Neo4j's 64-bit range "
                f"(-2**63 to 2**63 - 1): {_first_line(exc)}")
    return f"{where}: {type(exc).__name__}: {_first_line(exc)}"


def _out_of_memory(exc: Exception) -> bool:
    """Did the server refuse the transaction for lack of memory? Retrying will not help."""
    code = getattr(exc, "code", None) or ""
    return "OutOfMemory" in code or "MemoryLimit" in code


def clashes(exc: BaseException) -> bool:
    """Did the server refuse a write because a uniqueness constraint already holds its value?"""
    return isinstance(exc, nx.ConstraintError)


def _scrub(message: str, password: str) -> str:
    return message.replace(password, "***") if password else message


@contextmanager
def errors(s: Settings, doing: str = "") -> Iterator[None]:
    """Turn driver failures inside the block into :class:`StoreError`."""
    try:
        yield
    except StoreError:
        raise
    except (nx.DriverError, nx.Neo4jError, ValueError, OverflowError, OSError) as exc:
        message = _describe(exc, s)
        if doing and not isinstance(exc, nx.IncompleteCommit):  # its outcome is unknown
            message = f"{doing}: {message}"
        raise StoreError(_scrub(message, s.password)) from None


def _records(result: neo4j.Result) -> list[dict[str, Any]]:
    return [dict(zip(r.keys(), r.values())) for r in result]


class Transaction:
    """One explicit transaction: everything run in it is committed together or not at all.

    ``dynamic_labels`` says whether the server takes labels and relationship
    types from an expression (:func:`dynamic_labels`).
    """

    def __init__(self, tx: neo4j.Transaction, dynamic_labels: bool = False) -> None:
        self._tx = tx
        self.dynamic_labels = dynamic_labels

    def run_query_text(self, text: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return _records(self._tx.run(text, params or {}))

    def run_file(self, name: str | Path, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self.run_query_text(_read_query(query_path(name)), params)

    def write(self, text: str, params: dict[str, Any] | None = None) -> neo4j.SummaryCounters:
        """Run a write and return its counters (nodes_created, relationships_deleted, ...)."""
        return self._tx.run(text, params or {}).consume().counters


class Store:
    """An open connection to one database of one Neo4j server.

    Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, driver: neo4j.Driver, s: Settings, server: str) -> None:
        self._driver = driver
        # Shared by all sessions, so that on a cluster each read sees the writes before it.
        self._bookmarks = neo4j.GraphDatabase.bookmark_manager()
        self.settings = s
        self.server = server  # e.g. "Neo4j/5.26.0"
        self.dynamic_labels = dynamic_labels(server)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._driver.close()

    def _session(self, write: bool) -> neo4j.Session:
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        return self._driver.session(database=self.settings.database, default_access_mode=mode,
                                    bookmark_manager=self._bookmarks)

    def run_query_text(self, text: str, params: dict[str, Any] | None = None, *,
                       write: bool = False) -> list[dict[str, Any]]:
        """Run Cypher in a managed transaction (retried on transient failures); records as dicts."""
        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            return _records(tx.run(text, params or {}))

        with errors(self.settings), self._session(write) as session:
            return (session.execute_write if write else session.execute_read)(work)

    def run_file(self, name: str | Path, params: dict[str, Any] | None = None, *,
                 write: bool = False) -> list[dict[str, Any]]:
        """:meth:`run_query_text` of a ``.cypher`` file (a path, or a name under ``queries/``)."""
        return self.run_query_text(_read_query(query_path(name)), params, write=write)

    def schema(self, text: str) -> None:
        """Run one schema command (constraints, indexes) in its own auto-commit transaction."""
        with errors(self.settings, "could not create the constraints ptgraph needs"), \
                self._session(True) as session:
            session.run(text).consume()

    @contextmanager
    def _explicit(self) -> Iterator[Transaction]:
        with self._session(True) as session:
            tx = session.begin_transaction()
            try:
                yield Transaction(tx, self.dynamic_labels)
                tx.commit()
            finally:
                if not tx.closed():
                    try:
                        tx.close()  # rolls back
                    except (nx.DriverError, nx.Neo4jError, OSError):
                        pass  # the connection is gone: the server rolls back by itself

    @contextmanager
    def transaction(self, doing: str = "") -> Iterator[Transaction]:
        """An explicit write transaction, committed when the block ends without error.

        It is not retried: on any failure it is rolled back (by the server, if
        the connection is gone) and a :class:`StoreError` says so, after ``doing``.
        """
        with errors(self.settings, doing), self._explicit() as tx:
            yield tx

    def write_transaction(self, work: Callable[[Transaction], T], doing: str = "", *,
                          attempts: int = TRANSIENT_ATTEMPTS) -> T:
        """``work(tx)`` in one explicit write transaction, committed when it returns.

        When the server reports a transient failure (a deadlock, a leader
        switch) the transaction is rolled back and ``work`` runs again in a
        new one, up to ``attempts`` times. Running out of transaction memory
        is not retried (the same work would need the same memory), nor is a
        lost connection: their :class:`StoreError` comes at once.
        """
        with errors(self.settings, doing):
            for attempt in range(1, attempts + 1):
                try:
                    with self._explicit() as tx:
                        return work(tx)
                except nx.TransientError as exc:
                    if attempt == attempts or _out_of_memory(exc):
                        raise
                    time.sleep(0.5 * 2 ** attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def read_dump(self, theory_id: str, *, meta: bool = False, tx: Transaction | None = None) -> dict:
        """Canonical dump (:func:`ptgraph.graph.dump`) of one theory as stored.

        ``meta`` keeps the load bookkeeping on the Theory node (content hash,
        graph-model version), which the embedded graph does not have.
        """
        nodes, rels = read_theory(tx or self, theory_id)
        drop = () if meta else META_KEYS
        return dump(((n["labels"], {k: v for k, v in n["props"].items() if k not in drop}) for n in nodes),
                    ((r["type"], r["start"], r["end"], r["props"]) for r in rels))

    def dump_all(self) -> dict:
        """Canonical dump of the whole database, for "nothing else changed" comparisons.

        Nodes are ``(labels, properties)``; a relationship names its end nodes by
        their full content, since arbitrary nodes have no key.
        """
        nodes = self.run_file("load/all_nodes")

        def content(labels: list[str], props: dict) -> tuple[str, str]:
            return (":".join(sorted(labels)), _canonical(props))

        return dump(((n["labels"], _plain(n["props"])) for n in nodes),
                    ((r["type"], content(n["labels"], n["props"]),
                      content(r["end_labels"], r["end_props"]), _plain(r["props"]))
                     for n in nodes for r in n["out"]))

    def theories(self) -> list[str]:
        """Ids of the theories loaded in this database."""
        return [r["id"] for r in self.run_file("load/theories")]


#: Theory-node properties written by ``ptgraph load`` for its own bookkeeping.
META_KEYS = ("content_hash", "graph_model")


def _plain(props: dict[str, Any]) -> dict[str, Any]:
    """Properties with driver types (dates, points) as text, so they sort and compare."""
    def value(v: Any) -> Any:
        if isinstance(v, list):
            return [value(x) for x in v]
        return v if v is None or isinstance(v, (str, int, float, bool)) else f"{type(v).__name__}:{v}"
    return {k: value(v) for k, v in props.items()}


def _canonical(props: dict[str, Any]) -> str:
    return json.dumps(_plain(props), sort_keys=True, ensure_ascii=False)


def primary_label(labels: list[str]) -> str | None:
    """The graph-model label among a node's labels (not a role label)."""
    return next((label for label in NODE_LABELS if label in labels), None)


def read_theory(runner: Store | Transaction, theory_id: str) -> tuple[list[dict], list[dict]]:
    """Every node and relationship of one theory, with element ids.

    Nodes: ``label``, ``labels``, ``props``, ``element_id``; relationships:
    ``type``, ``start`` and ``end`` (``(label, id)`` keys), ``props``,
    ``element_id``. The nodes are one statement (``queries/load/theory_nodes.cypher``
    seeks each label's ``(theory, id)`` uniqueness index); the relationships leaving
    them another, run only when there are nodes (not for a theory loaded for the first time).
    """
    params = {"theory": theory_id, "types": list(REL_TYPES)}
    nodes = runner.run_file("load/theory_nodes", params)
    if not nodes:
        return [], []
    key = {n["element_id"]: (n["label"], n["props"].get("id")) for n in nodes}
    rels = [{"type": r["type"], "start": key[r["start"]],
             "end": (primary_label(r["end_labels"]), r["end"]),
             "props": r["props"], "element_id": r["element_id"]}
            for r in runner.run_file("load/theory_relationships", {**params, "ids": list(key)})]
    return nodes, rels


_VERSION = re.compile(r"Neo4j/(\d+)\.")
_MAJOR_MINOR = re.compile(r"Neo4j/(\d+)\.(\d+)")
#: The first Neo4j that takes labels and relationship types from an expression, ``:$(...)``.
DYNAMIC_LABELS_SINCE = (5, 26)


def dynamic_labels(agent: str) -> bool:
    """Does a server announcing itself as ``agent`` take ``CREATE (n:$(expr))``?

    >>> [dynamic_labels(a) for a in ("Neo4j/5.26.0", "Neo4j/2025.01.0", "Neo4j/5.25.1", "x")]
    [True, True, False, False]
    """
    match = _MAJOR_MINOR.match(agent)
    return bool(match) and (int(match.group(1)), int(match.group(2))) >= DYNAMIC_LABELS_SINCE


def unsupported(agent: str) -> str | None:
    """Why a server announcing itself as ``agent`` cannot be used, or None.

    >>> unsupported("Neo4j/5.26.0"), unsupported("Neo4j/2025.01.0")
    (None, None)
    >>> unsupported("Neo4j/4.4.30")
    'runs Neo4j/4.4.30; ptgraph needs Neo4j 5 or later'
    """
    match = _VERSION.match(agent)
    if not match:
        return f"is '{agent}', not a Neo4j server ptgraph supports"
    if int(match.group(1)) < MIN_SERVER_MAJOR:
        return f"runs {agent}; ptgraph needs Neo4j {MIN_SERVER_MAJOR} or later"
    return None


def connect(uri: str | None = None, user: str | None = None, password: str | None = None,
            database: str | None = None, *, ping: bool = True) -> Store:
    """Open a :class:`Store`, checking that the server answers, accepts the
    credentials, has the database and is Neo4j 5 or later.

    Arguments left out come from the environment (see :func:`settings`).
    Raises :class:`StoreError` with a clear message otherwise. With ``ping=False``
    the database is not asked for until the first statement, which then fails with
    the same message when there is no such database: a caller whose first statement
    is a plain read saves a round trip, and on a server just started the planning
    of one more statement.
    """
    s = settings(uri, user, password, database)
    scheme = s.uri.split("://", 1)[0].lower() if "://" in s.uri else ""
    if scheme not in SCHEMES:
        raise StoreError(f"cannot use the Neo4j URI '{redact_uri(s.uri)}': it must start with "
                         + ", ".join(f"{x}://" for x in SCHEMES))
    if redact_uri(s.uri) != s.uri:  # the driver would echo the whole URI in its errors
        raise StoreError(f"cannot use the Neo4j URI '{redact_uri(s.uri)}': give the user and "
                         "password in NEO4J_USERNAME and NEO4J_PASSWORD (or --user, --password), "
                         "not in the URI")
    try:
        driver = neo4j.GraphDatabase.driver(
            s.uri, auth=neo4j.basic_auth(s.user, s.password),
            connection_timeout=CONNECT_TIMEOUT, user_agent=f"ptgraph/{__version__}",
            max_transaction_retry_time=15.0)
    except (nx.ConfigurationError, ValueError) as exc:
        raise StoreError(_scrub(f"cannot use the Neo4j URI '{redact_uri(s.uri)}': "
                                f"{_first_line(exc)}", s.password)) from None
    try:
        with errors(s):
            agent = driver.get_server_info().agent or ""
            problem = unsupported(agent)
            if problem:
                raise StoreError(f"{s.where} {problem}")
            store = Store(driver, s, agent)
            if ping:
                store.run_file("load/ping")  # fails here for an unknown database
    except BaseException:
        driver.close()
        raise
    return store
