"""The references ptgraph's own steps are measured against.

* parsing floor: a bare ``yaml.load`` of the theory files with libyaml's
  ``CSafeLoader``, what any YAML tool pays;
* load floor: the same nodes and relationships, with the same properties,
  created in one transaction by batched ``UNWIND $rows AS r CREATE ...``
  into an empty database without constraints, every property spelled out (no
  ``SET x = map``, which makes Neo4j add an Eager step); relationships find
  their ends either through a plain index on ``(theory, id)`` or by the
  element ids the node creation returned. Both are measured; the faster is
  the floor, the least a transactional load can cost;
* old load floor: the reference of the first rounds, kept to be shown beside
  it: one transaction per batch, ``SET n = map``, each node's element id
  returned and sent back to find the relationships' ends;
* naive load: one ``MERGE`` per record, each in its own transaction, as a
  quick script would do (on a time budget, extrapolated from its rates when
  the budget runs out);
* offline bound: ``neo4j-admin database import full`` of the same graph as
  CSV into a throwaway home, which a transactional load cannot match.

All of them start from :func:`ptgraph.graph.records`, so they write exactly
the graph ptgraph's own load writes.
"""

from __future__ import annotations

import csv
import math
import os
import subprocess
from collections import defaultdict
from pathlib import Path
from time import perf_counter
from typing import Any, Iterable

import yaml

from ptgraph.graph import NodeRecord, RelRecord, edge_key
from ptgraph.loader import theory_files

BATCH = 10_000
#: Prefix of the synthetic theories' ids: the only data the benchmark may delete.
SYNTHETIC = "synthetic-"


def parse_floor(root: Path) -> int:
    """``yaml.load`` every file ptgraph would read, with the C loader; the number of files."""
    files = theory_files(root)
    for path in files:
        with open(path, "rb") as f:
            yaml.load(f, Loader=yaml.CSafeLoader)
    return len(files)


# --- Neo4j housekeeping ----------------------------------------------------------------

def clear_database(driver, *, schema: bool = True) -> None:
    """Empty the database (and drop its constraints and indexes), refusing to touch real data.

    Transactions a timed-out step left behind are terminated first, so they do
    not hold locks into the next step.
    """
    foreign = driver.execute_query(
        "MATCH (n) WHERE NOT coalesce(n.theory, '') STARTS WITH $prefix RETURN count(n) AS n",
        prefix=SYNTHETIC).records[0]["n"]
    if foreign:
        raise RuntimeError(f"the database holds {foreign} nodes that are not synthetic benchmark "
                           "data; benchmark on the 'bench' instance, not on a database in use")
    stale = [r["id"] for r in driver.execute_query(
        "SHOW TRANSACTIONS YIELD transactionId AS id, currentQuery "
        "WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' RETURN id").records]
    if stale:
        driver.execute_query("TERMINATE TRANSACTIONS $ids", ids=stale)
    with driver.session() as session:  # CALL ... IN TRANSACTIONS needs an auto-commit query
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    if schema:
        for r in driver.execute_query("SHOW CONSTRAINTS YIELD name").records:
            driver.execute_query(f"DROP CONSTRAINT `{r['name']}`")
        for r in driver.execute_query("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'").records:
            driver.execute_query(f"DROP INDEX `{r['name']}`")


def unique_constraints(driver, nodes: Iterable[NodeRecord]) -> None:
    """A uniqueness constraint on ``(theory, id)`` for every node label."""
    for label in sorted({n.label for n in nodes}):
        driver.execute_query(f"CREATE CONSTRAINT IF NOT EXISTS FOR (n:{label}) "
                             "REQUIRE (n.theory, n.id) IS UNIQUE")


def _batches(items: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- the load floor ----------------------------------------------------------------

def floor_indexes(driver, nodes: Iterable[NodeRecord]) -> None:
    """A plain (not unique) index on ``(theory, id)`` for every node label, online."""
    for label in sorted({n.label for n in nodes}):
        driver.execute_query(f"CREATE INDEX IF NOT EXISTS FOR (n:{label}) ON (n.theory, n.id)")
    driver.execute_query("CALL db.awaitIndexes(300)")


def _node_groups(nodes: list[NodeRecord]) -> dict[tuple, tuple[list[str], list[dict]]]:
    """Nodes by their labels: the property keys of the group, and the property maps."""
    groups: dict[tuple, tuple[set, list[dict]]] = {}
    for n in nodes:
        keys, rows = groups.setdefault(n.labels, (set(), []))
        keys.update(n.props)
        rows.append(n.props)
    return {labels: (sorted(keys), rows) for labels, (keys, rows) in groups.items()}


def _spelled(keys: Iterable[str], row: str) -> str:
    """``{k: row.k, ...}``: properties spelled out, so that no ``SET x = map`` makes the
    planner add an Eager step holding every row of the batch (a missing key is null,
    which Neo4j does not store)."""
    return "{" + ", ".join(f"`{k}`: {row}.`{k}`" for k in keys) + "}"


def load_floor(driver, nodes: list[NodeRecord], rels: list[RelRecord], ends: str = "index") -> dict[str, int]:
    """A bare write of the records in one transaction, by batched ``UNWIND ... CREATE``
    with every property spelled out; counts of what was created.

    ``ends="index"``: relationships find their ends through the ``(theory, id)``
    indexes of :func:`floor_indexes`. ``ends="element-id"``: each node's element id
    is returned by its creation and sent back with the relationships.
    """
    element: dict[tuple[str, str], str] = {}
    with driver.session() as session, session.begin_transaction() as tx:
        for labels, (keys, rows) in _node_groups(nodes).items():
            if ends == "element-id":  # spelled out: SET n = r before a RETURN adds an Eager step
                query = (f"UNWIND $rows AS r CREATE (n:{':'.join(labels)} {_spelled(keys, 'r')}) "
                         "RETURN r.id AS id, elementId(n) AS e")
            else:  # without a RETURN, SET n = r streams, and measured faster than spelling out
                query = f"UNWIND $rows AS r CREATE (n:{':'.join(labels)}) SET n = r"
            for chunk in _batches(rows):
                result = tx.run(query, rows=chunk)
                if ends == "element-id":
                    element.update(((labels[0], r["id"]), r["e"]) for r in result)
                else:
                    result.consume()
        groups: dict[tuple, list[dict]] = defaultdict(list)
        keys: dict[str, set[str]] = defaultdict(set)
        for r in rels:
            if ends == "element-id":
                groups[r.type, "", ""].append({"s": element[r.start], "e": element[r.end], "p": r.props})
            else:
                groups[r.type, r.start[0], r.end[0]].append({"s": r.start[1], "e": r.end[1], "p": r.props})
            keys[r.type].update(r.props)
        for (type, start, end), rows in groups.items():
            if ends == "element-id":
                match = "MATCH (a) WHERE elementId(a) = r.s MATCH (b) WHERE elementId(b) = r.e"
            else:
                match = (f"MATCH (a:{start} {{theory: $theory, id: r.s}}) "
                         f"MATCH (b:{end} {{theory: $theory, id: r.e}})")
            query = f"UNWIND $rows AS r {match} CREATE (a)-[:{type} {_spelled(sorted(keys[type]), 'r.p')}]->(b)"
            for chunk in _batches(rows):
                tx.run(query, rows=chunk, theory=chunk[0]["p"].get("theory")).consume()
        tx.commit()
    return {"nodes": len(nodes), "relationships": len(rels)}


def load_floor_old(driver, nodes: list[NodeRecord], rels: list[RelRecord]) -> dict[str, int]:
    """The first rounds' floor: a transaction per batch, element ids; counts of what was created."""
    by_labels: dict[tuple, list[dict]] = defaultdict(list)
    for n in nodes:
        by_labels[n.labels].append(n.props)
    element: dict[tuple[str, str], str] = {}
    with driver.session() as session:
        for labels, rows in by_labels.items():
            query = (f"UNWIND $rows AS r CREATE (n:{':'.join(labels)}) SET n = r "
                     "RETURN r.id AS id, elementId(n) AS e")
            for chunk in _batches(rows):
                got = session.execute_write(lambda tx: [(r["id"], r["e"]) for r in tx.run(query, rows=chunk)])
                element.update(((labels[0], i), e) for i, e in got)
        by_type: dict[str, list[dict]] = defaultdict(list)
        for r in rels:
            by_type[r.type].append({"s": element[r.start], "e": element[r.end], "p": r.props})
        for type, rows in by_type.items():
            query = ("UNWIND $rows AS r MATCH (a) WHERE elementId(a) = r.s "
                     f"MATCH (b) WHERE elementId(b) = r.e CREATE (a)-[x:{type}]->(b) SET x = r.p")
            for chunk in _batches(rows):
                session.execute_write(lambda tx: tx.run(query, rows=chunk).consume())
    return {"nodes": len(nodes), "relationships": len(rels)}


# --- the naive load ----------------------------------------------------------------

def naive_load(driver, nodes: list[NodeRecord], rels: list[RelRecord],
               budget: float | None = None) -> dict[str, Any]:
    """One ``MERGE`` per node and per relationship, each its own (auto-commit) transaction.

    With a ``budget`` (seconds) it stops early: half the budget for nodes,
    the rest for the relationships between the nodes it wrote. The counts and
    times of what it did are returned, for :func:`naive_estimate`.
    """
    start = perf_counter()
    node_deadline = start + budget / 2 if budget else math.inf
    done: set[tuple[str, str]] = set()
    node_seconds = rel_seconds = 0.0  # time in MERGE calls only, not in skipping records
    with driver.session() as session:
        for n in nodes:
            if perf_counter() > node_deadline:
                break
            extra = "".join(f":{label}" for label in n.labels[1:])
            set_labels = f" SET n{extra}" if extra else ""
            t0 = perf_counter()
            session.run(f"MERGE (n:{n.label} {{theory: $theory, id: $id}}) SET n += $props{set_labels}",
                        theory=n.props["theory"], id=n.props["id"], props=n.props).consume()
            node_seconds += perf_counter() - t0
            done.add(n.key)
        deadline = start + budget if budget else math.inf
        rels_done = 0
        for r in rels:
            if perf_counter() > deadline:
                break
            if r.start not in done or r.end not in done:
                continue
            t0 = perf_counter()
            _, cmoc, order = edge_key(r.type, r.props)
            keys = {k: v for k, v in (("cmoc", cmoc), ("order", order)) if v is not None}
            pattern = ", ".join(f"{k}: ${k}" for k in keys)
            session.run(
                f"MATCH (a:{r.start[0]} {{theory: $theory, id: $s}}) "
                f"MATCH (b:{r.end[0]} {{theory: $theory, id: $e}}) "
                f"MERGE (a)-[x:{r.type}{' {' + pattern + '}' if pattern else ''}]->(b) SET x += $props",
                theory=r.props["theory"], s=r.start[1], e=r.end[1], props=r.props, **keys).consume()
            rel_seconds += perf_counter() - t0
            rels_done += 1
    return {"nodes": len(nodes), "relationships": len(rels), "nodes_done": len(done),
            "relationships_done": rels_done, "node_seconds": node_seconds,
            "relationship_seconds": rel_seconds}


def naive_estimate(done: dict[str, Any]) -> float | None:
    """Time the whole naive load would take, from the rates of a partial one (None if complete)."""
    if done["nodes_done"] == done["nodes"] and done["relationships_done"] == done["relationships"]:
        return None
    per_node = done["node_seconds"] / max(1, done["nodes_done"])
    # No relationship written within the budget: price them as nodes, a lower bound
    # (a relationship MERGE looks up two nodes first).
    per_rel = (done["relationship_seconds"] / done["relationships_done"]
               if done["relationships_done"] else per_node)
    return per_node * done["nodes"] + per_rel * done["relationships"]


# --- the offline bound -------------------------------------------------------------

def _column(name: str, values: list[Any]) -> tuple[str, Any]:
    """``name:type`` for neo4j-admin's CSV header and a function writing one value."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return f"{name}:boolean", lambda v: "true" if v else "false"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return f"{name}:long", str
    if present and all(isinstance(v, list) for v in present):
        return f"{name}:string[]", lambda v: ";".join(map(str, v))
    return name, str


def _write_csv(path: Path, header_keys: list[str], rows: list[dict], fixed: list[tuple[str, list]]) -> None:
    columns = [_column(k, [r.get(k) for r in rows]) for k in header_keys]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow([name for name, _ in fixed] + [c for c, _ in columns])
        for i, row in enumerate(rows):
            w.writerow([values[i] for _, values in fixed]
                       + ["" if row.get(k) is None else fmt(row[k]) for k, (_, fmt) in zip(header_keys, columns)])


def write_import_csv(nodes: list[NodeRecord], rels: list[RelRecord], folder: Path) -> list[str]:
    """The graph as neo4j-admin CSV files in ``folder``; the ``--nodes``/``--relationships`` options."""
    folder.mkdir(parents=True, exist_ok=True)
    options = []
    by_label: dict[str, list[NodeRecord]] = defaultdict(list)
    for n in nodes:
        by_label[n.label].append(n)
    for label, group in by_label.items():
        rows = [n.props for n in group]
        keys = sorted({k for r in rows for k in r} - {"id"})
        path = folder / f"nodes-{label}.csv"
        _write_csv(path, keys, rows, [(f"id:ID({label})", [r["id"] for r in rows]),
                                      (":LABEL", [";".join(n.labels) for n in group])])
        options.append(f"--nodes={path}")
    by_ends: dict[tuple, list[RelRecord]] = defaultdict(list)
    for r in rels:
        by_ends[(r.type, r.start[0], r.end[0])].append(r)
    for (type, start, end), group in by_ends.items():
        rows = [r.props for r in group]
        keys = sorted({k for r in rows for k in r})
        path = folder / f"rels-{type}-{start}-{end}.csv"
        _write_csv(path, keys, rows, [(f":START_ID({start})", [r.start[1] for r in group]),
                                      (f":END_ID({end})", [r.end[1] for r in group])])
        options.append(f"--relationships={type}={path}")
    return options


def import_command(lib: Path, home: Path, options: list[str], heap: str) -> tuple[list[str], dict]:
    """The ``neo4j-admin database import full`` command and environment for a throwaway home."""
    conf = home / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "neo4j.conf").write_text("".join(
        f"server.directories.{d}={home / d}\n" for d in ("data", "logs", "import", "run", "plugins")))
    env = dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(conf))
    cmd = ["java", f"-Xmx{heap}", "-cp", f"{lib}/*", "org.neo4j.cli.AdminTool",
           "database", "import", "full", "neo4j", "--overwrite-destination=true", *options]
    return cmd, env


def offline_import(cmd: list[str], env: dict, log: Path) -> None:
    with open(log, "w") as out:
        done = subprocess.run(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    if done.returncode:
        tail = log.read_text(errors="replace").strip().splitlines()[-5:]
        raise RuntimeError(f"neo4j-admin import failed ({done.returncode}): " + " | ".join(tail))
