"""``ptgraph load`` and ``ptgraph unload``: a theory's graph model, written to Neo4j.

A load is one write transaction per theory, so a failure at any point (lost
connection, a refused write, Ctrl-C) leaves the database as it was; one the
server calls transient (a deadlock, memory pressure) is tried again. Inside
it, the theory's current nodes and relationships are read back and compared
with :func:`ptgraph.graph.records`; only the difference is written, in UNWIND
batches: stale relationships and nodes deleted, changed nodes updated (with
their role labels), new ones created. A theory loaded for the first time is
therefore a series of plain ``CREATE`` batches.

The Theory node records a hash of the theory's files (their bytes) and of
:data:`ptgraph.GRAPH_MODEL_VERSION`. The hash is computed before anything is
parsed: when a Theory node already carries it, the load is a no-op.

A shared vocabulary directory loads the same way, its ``Vocabulary`` node
keeping the hash. A theory with ``mappings:`` also writes its ``MAPS_TO``
relationships to the terms of its vocabulary, which must be loaded first (and
hold every term mapped to); a vocabulary load or unload that would remove a
term some loaded theory maps to is refused, so a stored theory never silently
loses its mappings.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter, defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from typing import Any, Callable, ContextManager, Iterable

import ptgraph

from .check import ReadTheory, load_vocabulary, read_for_check
from .errors import StoreError, UsageError
from .gcpause import collector_paused
from .graph import (NODE_LABELS, ROLE_LABELS, NodeRecord, RelRecord, mapping_records, records,
                    vocabulary_records)
from .loader import MANIFEST, VOCABULARY_MANIFEST, find_root, is_vocabulary_dir, theory_files
from .store import Store, Transaction, clashes, cypher, read_theory

DEFAULT_BATCH_SIZE = 5000
#: Loads writing fewer rows than this get no progress bar.
PROGRESS_MIN_ROWS = 10_000

Key = tuple[str, str]
#: The relationship properties create_relationships.cypher writes.
REL_PROPS = frozenset({"theory", "cmoc", "order", "match"})
#: The node that keeps the load's bookkeeping (content hash, graph-model version).
HEAD_LABELS = ("Theory", "Vocabulary")
ROLES = frozenset(ROLE_LABELS.values())


def content_hash(root: str | Path, model_version: int | None = None,
                 manifest_name: str = MANIFEST) -> str:
    """SHA-256 of the theory (or, with ``manifest_name="vocabulary.yaml"``, vocabulary)
    files' names and bytes and of the graph-model version.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / "theory.yaml").write_text("ptgraph: 1")
    ...     content_hash(d, 1) == content_hash(d, 1) != content_hash(d, 2)
    True
    """
    version = ptgraph.GRAPH_MODEL_VERSION if model_version is None else model_version
    root = Path(root)
    h = hashlib.sha256(f"ptgraph graph model {version}\n".encode())
    for path in theory_files(root, manifest_name):
        data = path.read_bytes()
        name = path.relative_to(root).as_posix().encode()
        h.update(len(name).to_bytes(8, "big") + name + len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


@dataclass
class Plan:
    """What a load writes: rows per label or relationship type.

    Node rows are ``{"id", "labels", "props"}``, ``labels`` holding the label of
    the graph model first and then the role labels a new node is created with;
    role labels to add to or remove from stored nodes are lists of concept ids
    per role label; relationship rows are ``{"start", "end", "type", "cmoc",
    "order"}`` keyed by ``(start label, type, end label)``, their ends named by
    id (the ``(theory, id)`` uniqueness index finds them); deletions are
    element ids read in the same transaction.
    """

    create_nodes: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    update_nodes: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    delete_nodes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    add_roles: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    remove_roles: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    updated: Counter[str] = field(default_factory=Counter)  # nodes changed, per label
    create_rels: dict[tuple[str, str, str], list[dict]] = field(default_factory=lambda: defaultdict(list))
    delete_rels: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    nodes: int = 0  # in the theory once the plan is applied
    stored: int = 0  # nodes of the theory before
    relationships: int = 0

    @property
    def size(self) -> int:
        """Rows written in all."""
        groups = (self.create_nodes, self.update_nodes, self.delete_nodes, self.add_roles,
                  self.remove_roles, self.create_rels, self.delete_rels)
        return sum(len(rows) for g in groups for rows in g.values())

    def node_changes(self) -> dict[str, tuple[int, int, int]]:
        """Label -> (added, updated, removed), labels with no change left out."""
        out = {label: (len(self.create_nodes.get(label, ())), self.updated[label],
                       len(self.delete_nodes.get(label, ())))
               for label in NODE_LABELS}
        return {k: v for k, v in out.items() if any(v)}

    def relationship_changes(self) -> dict[str, tuple[int, int]]:
        """Type -> (added, removed), types with no change left out."""
        added: Counter[str] = Counter()
        for (_, type, _), rows in self.create_rels.items():
            added[type] += len(rows)
        types = sorted(set(added) | {t for t, ids in self.delete_rels.items() if ids})
        return {t: (added[t], len(self.delete_rels.get(t, ()))) for t in types}


def _rel_identity(type: str, start: Key, end: Key, props: dict[str, Any]) -> tuple:
    return (type, tuple(start), tuple(end), tuple(sorted((k, repr(v)) for k, v in props.items())))


def plan(nodes: Iterable[NodeRecord], rels: Iterable[RelRecord], existing_nodes: Iterable[dict],
         existing_rels: Iterable[dict], meta: dict[str, Any] | None = None) -> Plan:
    """Compare the wanted graph with what is stored (:func:`ptgraph.store.read_theory`).

    ``meta`` are extra properties of the Theory node (the load bookkeeping).
    Relationship properties must be among :data:`REL_PROPS`.

    >>> n = NodeRecord("Area", ("Area",), {"theory": "t", "id": "a", "label": "A"})
    >>> old = {"label": "Area", "labels": ["Area"], "element_id": "4:x:1",
    ...        "props": {"theory": "t", "id": "a", "label": "old"}}
    >>> plan([n], [], [old], []).node_changes()
    {'Area': (0, 1, 0)}
    >>> plan([], [], [old], []).delete_nodes["Area"]
    ['4:x:1']
    """
    meta = meta or {}
    p = Plan()
    stored = {(n["label"], n["props"].get("id")): n for n in existing_nodes}
    p.stored = len(stored)
    for n in nodes:
        props = {**n.props, **meta} if n.label in HEAD_LABELS else n.props
        row = {"id": n.props["id"], "labels": list(n.labels), "props": props}
        old = stored.pop(n.key, None)
        if old is None:  # created with its role labels
            p.create_nodes[n.label].append(row)
            p.nodes += 1
            continue
        # Labels a user added by hand are left alone.
        had = set(old["labels"]) & (ROLES | {n.label})
        for role in set(n.labels[1:]) - had:
            p.add_roles[role].append(row["id"])
        for role in had - set(n.labels):
            p.remove_roles[role].append(row["id"])
        if old["props"] != props:
            p.update_nodes[n.label].append(row)
        if old["props"] != props or had != set(n.labels):
            p.updated[n.label] += 1
        p.nodes += 1
    for (label, _), old in stored.items():
        p.delete_nodes[label].append(old["element_id"])

    have: dict[tuple, list[str]] = defaultdict(list)
    for r in existing_rels:
        have[_rel_identity(r["type"], r["start"], r["end"], r["props"])].append(r["element_id"])
    for r in rels:
        if not set(r.props) <= REL_PROPS:
            raise ValueError(f"{r.type} has properties {sorted(set(r.props) - REL_PROPS)} that "
                             "queries/load/create_relationships.cypher does not write")
        ids = have.get(_rel_identity(r.type, r.start, r.end, r.props)) if have else None
        if ids:
            ids.pop()
        else:
            p.create_rels[r.start[0], r.type, r.end[0]].append(
                {"start": r.start[1], "end": r.end[1], "type": r.type,
                 "cmoc": r.props.get("cmoc"), "order": r.props.get("order"),
                 "match": r.props.get("match")})
        p.relationships += 1
    for identity, ids in have.items():
        p.delete_rels[identity[0]].extend(ids)
    return p


def _batches(rows: list, size: int) -> Iterable[list]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def apply(tx: Transaction, p: Plan, theory_id: str, *, batch_size: int = DEFAULT_BATCH_SIZE,
          advance: Callable[[int], None] = lambda n: None,
          timings: dict[str, float] | None = None, vocabulary: str | None = None) -> None:
    """Write a :class:`Plan` in ``tx``: deletions first, then updates, then creations.

    On Neo4j 5.26 or later (``tx.dynamic_labels``) a theory loaded for the
    first time that fits in one batch is one statement, nodes and
    relationships (``MAPS_TO`` apart); otherwise all new nodes are one statement,
    labels taken from each row, and the new relationships one statement per pair of end
    labels, the type taken from each row; before
    5.26 there is a statement per label and per relationship type. Either way
    relationships find their ends through the ``(theory, id)`` uniqueness
    index of each label, so nothing needs to come back from the node creation.
    A theory's ``MAPS_TO`` end at the terms of ``vocabulary`` (its id), found
    the same way in that vocabulary's scope; when some find no term,
    :class:`Unmapped` is raised (the caller says which terms, and the
    transaction is rolled back), so a load needs no statement of its own
    reading the vocabulary first.
    ``timings``, when given, receives the seconds spent writing nodes (with
    deletions, updates and role labels) as ``write nodes`` and relationships
    as ``write relationships``.
    """
    started = perf_counter()
    def write(text: str, rows: list, key: str = "rows", counted: bool = True) -> None:
        for batch in _batches(rows, batch_size):
            tx.write(text, {"theory": theory_id, key: batch})
            if counted:  # the progress bar moves after each batch of the plan's rows
                advance(len(batch))

    def connect(text: str, rows: list, error: type[StoreError] = StoreError,
                **params: str | None) -> None:
        for batch in _batches(rows, batch_size):
            made = tx.write(text, {"theory": theory_id, "rows": batch, **params}).relationships_created
            # An end the index does not find would make MATCH drop the row without a word.
            if made != len(batch):
                raise error(f"{len(batch) - made} relationships found no end node")
            advance(len(batch))

    for ids in p.delete_rels.values():
        write(cypher("load/delete_relationships"), ids, "ids")
    for ids in p.delete_nodes.values():
        write(cypher("load/delete_nodes"), ids, "ids")
    for label in NODE_LABELS:
        write(cypher("load/update_nodes", LABEL=label), p.update_nodes.get(label, []))
    # a theory's MAPS_TO end in its vocabulary's scope, not its own: written apart
    mappings = [row for (_, type, _), rows in sorted(p.create_rels.items()) if type == "MAPS_TO"
                for row in rows]
    own_rels = {k: rows for k, rows in p.create_rels.items() if k[1] != "MAPS_TO"}
    new_nodes = [row for label in NODE_LABELS for row in p.create_nodes.get(label, [])]
    new_rels = sum(len(rows) for rows in own_rels.values())
    if (tx.dynamic_labels and not p.stored and not p.update_nodes
            and max(len(new_nodes), new_rels) <= batch_size):
        at = {(row["labels"][0], row["id"]): i for i, row in enumerate(new_nodes)}
        rels = [{**row, "start": at[start, row["start"]], "end": at[end, row["end"]]}
                for (start, _, end), rows in sorted(own_rels.items()) for row in rows]
        made = tx.write(cypher("load/create_theory"),
                        {"theory": theory_id, "nodes": new_nodes, "rels": rels})
        if made.relationships_created != len(rels):
            raise StoreError(f"{len(rels) - made.relationships_created} relationships were not made")
        advance(len(new_nodes) + len(rels))
        nodes_done = perf_counter()
        connect(cypher("load/create_mappings"), mappings, Unmapped, vocabulary=vocabulary)
        if timings is not None:
            timings["write nodes"] = nodes_done - started
            timings["write relationships"] = perf_counter() - nodes_done
        return
    new_roles: dict[str, list[str]] = defaultdict(list)  # of new nodes, before Neo4j 5.26
    if tx.dynamic_labels:
        write(cypher("load/create_nodes"), new_nodes)
    else:
        for label in NODE_LABELS:
            rows = p.create_nodes.get(label, [])
            write(cypher("load/create_nodes_by_label", LABEL=label), rows)
            for row in rows:
                for role in row["labels"][1:]:
                    new_roles[role].append(row["id"])
    for role, ids in sorted(p.remove_roles.items()):
        write(cypher("load/remove_role", ROLE=role), ids, "ids")
    for role, ids in sorted(p.add_roles.items()):
        write(cypher("load/add_role", ROLE=role), ids, "ids")
    for role, ids in sorted(new_roles.items()):  # part of creating those nodes: not counted
        write(cypher("load/add_role", ROLE=role), ids, "ids", counted=False)
    nodes_done = perf_counter()
    if tx.dynamic_labels:
        pairs: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for (start, _, end), rows in sorted(own_rels.items()):
            pairs[start, end].extend(rows)
        for (start, end), rows in pairs.items():
            connect(cypher("load/create_relationships", START=start, END=end), rows)
    else:
        for (start, type, end), rows in sorted(own_rels.items()):
            connect(cypher("load/create_relationships_by_type", START=start, TYPE=type, END=end),
                    rows)
    connect(cypher("load/create_mappings"), mappings, Unmapped, vocabulary=vocabulary)
    if timings is not None:
        timings["write nodes"] = nodes_done - started
        timings["write relationships"] = perf_counter() - nodes_done


def ensure_schema(store: Store) -> None:
    """Create the ``(theory, id)`` uniqueness constraint of every label, if missing.

    The constraints are read first (one statement) and only the missing ones are
    created, each a schema transaction of its own: after the first load there are none.
    """
    have = {(tuple(r["labels"] or ()), tuple(r["properties"] or ()))
            for r in store.run_file("load/constraints")}
    for label in NODE_LABELS:
        if ((label,), ("theory", "id")) not in have:
            store.schema(cypher("load/constraint", LABEL=label))


@dataclass
class LoadResult:
    """What ``ptgraph load`` did (or, with ``dry_run``, would do)."""

    theory: str
    content_hash: str
    status: str  # "unchanged", "loaded" or "dry-run"
    seconds: float
    plan: Plan | None = None
    #: Seconds per phase, in order: hash, read, check, records, schema, stored (reading
    #: what the database holds of the theory), plan, write nodes, write relationships,
    #: commit; a phase the load did not reach is absent.
    timings: dict[str, float] = field(default_factory=dict)

    def message(self) -> str:
        """The lines ``ptgraph load`` prints."""
        short = self.content_hash[:12]
        if self.status == "unchanged":
            return (f"{self.theory} is unchanged since the last load (hash {short}); "
                    "nothing to do")
        p = self.plan
        assert p is not None
        totals = f"{p.nodes} nodes, {p.relationships} relationships"
        changes = _changes_text(p)
        if self.status == "dry-run":
            lines = [f"dry run: loading {self.theory} ({totals}) would "
                     + (changes or "change nothing") + "; nothing was written"]
            nodes, rels = p.node_changes(), p.relationship_changes()
            width = max(map(len, [*nodes, *rels]), default=0) + 1
            lines += [f"  {label:<{width}}+{a} ~{u} -{r}" for label, (a, u, r) in nodes.items()]
            lines += [f"  {type:<{width}}+{a} -{r}" for type, (a, r) in rels.items()]
            return "\n".join(lines)
        detail = f" ({changes or 'no change'})" if p.stored else ""
        return f"loaded {self.theory}: {totals} in {self.seconds:.1f} s{detail}"


def _changes_text(p: Plan) -> str:
    nodes = [sum(v[i] for v in p.node_changes().values()) for i in range(3)]
    rels = [sum(v[i] for v in p.relationship_changes().values()) for i in range(2)]
    parts = [f"{verb} {n} node{'s' * (n != 1)}" for verb, n in
             zip(("add", "update", "remove"), nodes) if n]
    parts += [f"{verb} {n} relationship{'s' * (n != 1)}" for verb, n in
              zip(("add", "remove"), rels) if n]
    return ", ".join(parts)


Progress = Callable[[int], ContextManager[Any]]


def load(store: Store, path: str | Path, *, batch_size: int = DEFAULT_BATCH_SIZE,
         dry_run: bool = False, force: bool = False, progress: Progress | None = None) -> LoadResult:
    """Load the theory at ``path`` into ``store``, in one transaction.

    Parameters
    ----------
    store
        An open :class:`~ptgraph.store.Store`.
    path
        The theory directory (or a file in it).
    batch_size
        Rows per UNWIND statement.
    dry_run
        Only work out what would change; write nothing.
    force
        Compare and write even when the files' hash says nothing changed.
    progress
        ``progress(total)`` returns a context manager with ``update(n)``, such as
        ``click.progressbar(length=total)``; used for loads of many rows.

    Raises
    ------
    TheoryError
        The theory fails ``check``.
    StoreError
        Neo4j failed; the database is as it was.
    """
    if batch_size < 1:
        raise UsageError("the batch size must be at least 1")
    # A large theory is millions of objects alive for the whole load: the cyclic
    # collector would rescan them at every threshold while records and batches are
    # built (a tenth of the load's time at 100,000 CMOCs).
    gates: list[_Gate] = []
    with collector_paused():
        try:
            return _load(store, path, batch_size, dry_run, force, progress, gates)
        except Exception:
            for gate in gates:  # a theory that fails check: its problems, not what writing it did
                gate.verdict()
            raise


def _load(store: Store, path: str | Path, batch_size: int, dry_run: bool, force: bool,
          progress: Progress | None, gates: list[_Gate]) -> LoadResult:
    start = lap = perf_counter()
    timings: dict[str, float] = {}

    def clock(phase: str) -> None:
        nonlocal lap
        now = perf_counter()
        timings[phase] = now - lap
        lap = now

    root = find_root(Path(path))
    vocabulary_dir = is_vocabulary_dir(root)
    head = "Vocabulary" if vocabulary_dir else "Theory"
    digest = content_hash(root, manifest_name=VOCABULARY_MANIFEST if vocabulary_dir else MANIFEST)
    known: set[str] | None = None  # the theories and vocabularies stored, when asked
    vocabularies: set[str] = set()  # of those, the vocabularies
    if not force:
        loaded = store.run_file("load/heads")
        found = [r["id"] for r in loaded if r["label"] == head and r["content_hash"] == digest]
        if found:
            clock("hash")
            return LoadResult(found[0], digest, "unchanged", perf_counter() - start,
                              timings=timings)
        known = {r["id"] for r in loaded}
        vocabularies = {r["id"] for r in loaded if r["label"] == "Vocabulary"}
    clock("hash")
    vocabulary_id = None  # the vocabulary a theory's MAPS_TO end in
    gate: _Gate | None = None  # a theory's check, run beside its write
    if vocabulary_dir:
        vocabulary = load_vocabulary(root)
        scope, what = vocabulary.id, "vocabulary"
        clock("check")
        nodes, rels = vocabulary_records(vocabulary)
    else:
        read = read_for_check(root, timings=timings)
        gate = _Gate(read)
        gates.append(gate)
        if dry_run:
            gate.verdict()
        theory, vocabulary = read.theory, read.vocabulary
        scope, what = theory.id, "theory"
        lap = perf_counter()  # read and built, timed by read_for_check
        nodes, rels = records(theory)
        if theory.mappings and vocabulary is not None:
            vocabulary_id = vocabulary.id
            rels = rels + mapping_records(theory)
    clock("records")
    meta = {"content_hash": digest, "graph_model": ptgraph.GRAPH_MODEL_VERSION}  # META_KEYS

    def make_plan(runner: Store | Transaction, fresh: bool) -> Plan:
        stored = ([], []) if fresh else read_theory(runner, scope)
        clock("stored")
        other = next((n["label"] for n in stored[0] if n["label"] in HEAD_LABELS
                      and n["label"] != head), None)
        if other is not None:
            raise UsageError(f"the id '{scope}' of this {what} is that of a loaded "
                             f"{other.lower()}; give one of them another id")
        p = plan(nodes, rels, *stored, meta)
        if vocabulary_dir:
            _refuse_to_unmap(runner, scope, p.delete_nodes.get("Term", []), "load")
        if vocabulary_id and dry_run:
            # A load finds out by writing: its MAPS_TO statement counts the terms it found.
            _check_terms(runner, vocabulary_id, scope, rels)
        clock("plan")
        return p

    if dry_run:
        p = make_plan(store, False)
        return LoadResult(scope, digest, "dry-run", perf_counter() - start, p, timings)
    if vocabulary_id and known is not None and vocabulary_id not in vocabularies:
        raise _not_loaded(vocabulary_id, scope)
    ensure_schema(store)
    clock("schema")

    # An id no Theory or Vocabulary node has has never been loaded (a load writes all or
    # nothing), so there is nothing stored to read: on a server just started, not planning
    # that read saves a first load about a second. Should nodes of it be there all the
    # same (the head node deleted by hand), their uniqueness constraint refuses the new
    # ones, and the load is done again, reading what is stored.
    fresh = known is not None and scope not in known

    def work(tx: Transaction) -> Plan:
        nonlocal lap
        lap = perf_counter()
        p = make_plan(tx, fresh)
        bar = progress(p.size) if progress and p.size >= PROGRESS_MIN_ROWS else nullcontext()
        if gate is not None:
            gate.start()  # now that records and plan are built: the rules run while the server writes

        def advance(n: int) -> None:
            if gate is not None:
                gate.stop_if_failed()
            if shown is not None:
                shown.update(n)

        with bar as shown:
            try:
                apply(tx, p, scope, batch_size=batch_size, advance=advance,
                      timings=timings, vocabulary=vocabulary_id)
            except Unmapped:
                # Some MAPS_TO found no term: say which (exit 2); the transaction rolls back.
                assert vocabulary_id is not None
                _check_terms(tx, vocabulary_id, scope, rels)
                raise
            except Exception as exc:
                if gate is not None:
                    gate.verdict()
                if fresh and clashes(exc):
                    raise _AlreadyStored from None
                raise
        if gate is not None:
            gate.verdict()  # nothing is committed that check refuses
        lap = perf_counter()
        return p

    doing = f"could not load {scope}; the database is unchanged"
    try:
        p = store.write_transaction(work, doing)
    except _AlreadyStored:  # rolled back; now read what is there and compare
        fresh = False
        p = store.write_transaction(work, doing)
    clock("commit")
    return LoadResult(scope, digest, "loaded", perf_counter() - start, p, timings)


class _Gate:
    """``check`` of a theory, run in a thread beside the writing of it.

    The rules are the pure-Python half of a load; the write is mostly the
    server's work, with this process waiting on the socket. So a theory read
    and built is turned into records and a plan, the write begins in the load's
    one transaction, and the rules run meanwhile. Nothing is committed until
    :meth:`verdict` says the theory passes: a theory that fails ``check`` is
    rolled back and reported with its problems, as if checked first (only the
    uniqueness constraints ptgraph needs, made before the transaction, stay).
    """

    def __init__(self, read: ReadTheory) -> None:
        self._read = read
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="ptgraph-check", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self._read.passed()  # adds its time to the load's timings
        except BaseException as exc:  # noqa: BLE001 - handed to the loading thread
            self._error = exc

    def verdict(self) -> None:
        """Wait for the rules (running them now if not started); raise what they raised,
        :class:`TheoryError` with the problems when the theory fails ``check``."""
        self.start()
        assert self._thread is not None
        self._thread.join()
        if self._error is not None:
            raise self._error

    def stop_if_failed(self) -> None:
        """Raise now, between two batches, when the rules are done and failed."""
        if self._thread is not None and not self._thread.is_alive() and self._error is not None:
            raise self._error


class _AlreadyStored(Exception):
    """A first load met nodes of its theory that the database already held."""


class Unmapped(StoreError):
    """Some of a theory's ``MAPS_TO`` found no term of its vocabulary to end at."""


def _not_loaded(vocabulary_id: str, theory_id: str) -> UsageError:
    return UsageError(f"theory {theory_id} maps its concepts to vocabulary '{vocabulary_id}', "
                      "which is not loaded in this database; load it first (`ptgraph load "
                      "VOCABULARY_DIR`)")


def _check_terms(runner: Store | Transaction, vocabulary_id: str, theory_id: str,
                 rels: list[RelRecord]) -> None:
    """Refuse (exit 2) a theory whose vocabulary is not loaded, or lacks a term it maps to."""
    stored = runner.run_file("load/theory_nodes", {"theory": vocabulary_id})
    if not any(r["label"] == "Vocabulary" for r in stored):
        raise _not_loaded(vocabulary_id, theory_id)
    found = {r["props"]["id"] for r in stored if r["label"] == "Term"}
    missing = sorted({r.end[1] for r in rels if r.type == "MAPS_TO" and r.end[1] not in found})
    if missing:
        raise UsageError(f"theory {theory_id} maps to term(s) {', '.join(missing)} that "
                         f"vocabulary '{vocabulary_id}' as loaded lacks; load the vocabulary "
                         "again first (`ptgraph load VOCABULARY_DIR`)")


def _refuse_to_unmap(runner: Store | Transaction, vocabulary_id: str, term_ids: list[str],
                     doing: str) -> None:
    """Refuse (exit 2) to remove terms (by element id) that a loaded theory maps to."""
    if not term_ids:
        return
    mapped = runner.run_query_text(cypher("load/mapped_terms"), {"ids": term_ids})
    if mapped:
        by = sorted({r["theory"] for r in mapped})
        terms = sorted({r["term"] for r in mapped})
        raise UsageError(
            f"cannot {doing} vocabulary {vocabulary_id}: loaded theor"
            f"{'ies' if len(by) != 1 else 'y'} {', '.join(by)} map{'s' * (len(by) == 1)} to "
            f"term(s) {', '.join(terms)} it would remove; change or unload "
            f"{'them' if len(by) != 1 else 'it'} first; the database is unchanged")


@dataclass
class UnloadResult:
    theory: str
    nodes: int
    relationships: int
    seconds: float

    def message(self) -> str:
        return (f"unloaded {self.theory}: {self.nodes} nodes, {self.relationships} "
                f"relationships removed in {self.seconds:.1f} s")


def unload(store: Store, theory_id: str) -> UnloadResult:
    """Remove one theory's nodes and relationships, in one transaction; nothing else.

    Raises :class:`UsageError` when the database holds no such theory.
    """
    start = perf_counter()

    def work(tx: Transaction) -> tuple[int, int]:
        nodes = rels = 0
        terms = [t for t in tx.run_file("load/theory_nodes", {"theory": theory_id})
                 if t["label"] == "Term"]
        _refuse_to_unmap(tx, theory_id, [t["element_id"] for t in terms], "unload")
        for label in NODE_LABELS:
            counters = tx.write(cypher("load/unload", LABEL=label), {"theory": theory_id})
            nodes += counters.nodes_deleted
            rels += counters.relationships_deleted
        if not nodes:
            loaded = store.theories()
            raise UsageError(f"no theory '{theory_id}' in {store.settings.where}; loaded: "
                             + (", ".join(loaded) if loaded else "none"))
        return nodes, rels

    nodes, rels = store.write_transaction(
        work, f"could not unload {theory_id}; the database is unchanged")
    return UnloadResult(theory_id, nodes, rels, perf_counter() - start)
