"""The benchmark steps, each a small function in one table.

A step's ``prepare(ctx)`` does the untimed setup (read the theory, empty the
database, write CSV files) and returns the thunk that is timed; ``verify``
checks the thunk's result afterwards, so a fast wrong answer is not a result.
Every step runs in a fresh child process (see :mod:`bench.run`), so its peak
memory is its own.

A step whose part of ptgraph is not importable yet raises :class:`Unavailable`
and is reported as "n/a", so the harness runs while the tool is being built.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

from . import references as ref

REPO = Path(__file__).resolve().parents[1]
NEO4J_LIB = REPO / ".neo4j" / "lib"
OUT = REPO / "bench" / "out"


class Unavailable(Exception):
    """The part of ptgraph this step measures does not exist (yet)."""


class Context:
    """What a step may use: the theory directory, its size and the Neo4j server."""

    def __init__(self, root: Path, n: int, env: dict[str, str] | None = None) -> None:
        self.root = Path(root)
        self.n = n
        self.env = dict(os.environ if env is None else env)

    @cached_property
    def theory(self):
        from ptgraph.check import load_theory
        return load_theory(self.root)

    @cached_property
    def graph(self):
        from ptgraph.graph import build_graph
        return self._cached("graph", lambda: build_graph(self.theory))

    @cached_property
    def records(self):
        from ptgraph.graph import records
        return self._cached("records", lambda: records(self.theory))

    @property
    def theory_id(self) -> str:
        return self.records[0][0].props["id"]  # the Theory node sorts first

    def _cached(self, what: str, make: Callable[[], Any]) -> Any:
        """Untimed setup shared by the steps of one size: built once per run, then unpickled,
        which at 100,000 CMOCs takes seconds instead of minutes."""
        path = cache_path(self.root, what)
        if path.exists():
            with open(path, "rb") as f:
                return pickle.load(f)
        value = make()
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return value

    @cached_property
    def driver(self):
        uri = self.env.get("NEO4J_URI")
        if not uri:
            raise Unavailable("no Neo4j server")
        from neo4j import GraphDatabase
        driver = GraphDatabase.driver(uri, auth=(self.env.get("NEO4J_USERNAME", "neo4j"),
                                                 self.env.get("NEO4J_PASSWORD", "")))
        driver.verify_connectivity()
        return driver


def cache_path(root: Path, what: str) -> Path:
    """Where the pickled ``what`` of the theory at ``root`` is kept during a run."""
    return root.parent / f"{root.name}.{what}.pickle"


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    prepare: Callable[[Context], Callable[[], Any]]
    verify: Callable[[Context, Any], dict] | None = None
    neo4j: bool = False
    max_cmocs: int | None = None  # larger theories are not measured (figures)
    quick: bool = True  # measured by --quick too
    #: Untimed, before each repetition after the first: steps with a reset run several
    #: times and report their best (``bench.run.repeats``); None: run once.
    reset: Callable[[Context], None] | None = None
    #: Measured once per run, after every size: it restarts the server (bench.run).
    cold: bool = False


def _again(ctx: Context) -> None:
    """Nothing to undo: the step can simply run again."""


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise Unavailable(f"{name} is not importable ({exc})") from None


def _attr(module: str, *names: str):
    mod = _module(module)
    for name in names:
        if hasattr(mod, name):
            return getattr(mod, name)
    raise Unavailable(f"{module} has no {' or '.join(names)}")


# --- embedded ------------------------------------------------------------------------

def _baseline(ctx: Context):
    import ptgraph.check, ptgraph.graph  # noqa: E401,F401 - what every step imports
    return lambda: None


def _parse_floor(ctx: Context):
    return lambda: ref.parse_floor(ctx.root)


def _check(ctx: Context):
    from ptgraph.check import check_theory
    return lambda: check_theory(ctx.root)


def _verify_check(ctx: Context, checked) -> dict:
    errors = checked.errors
    if errors:
        raise AssertionError(f"the generated theory has {len(errors)} errors: {errors[0]}")
    return {"files": len(checked.files.files), "problems": len(checked.problems)}


def _check_cli(ctx: Context):
    exe = Path(sys.executable).with_name("ptgraph")
    if not exe.exists():
        raise Unavailable("no ptgraph command next to this python")

    def run():
        done = subprocess.run([str(exe), "check", "-q", str(ctx.root)], capture_output=True, text=True)
        if done.returncode:
            raise AssertionError(f"ptgraph check exited {done.returncode}: {done.stdout[:300]}")
    return run


def _graph(ctx: Context):
    from ptgraph.graph import build_graph
    theory = ctx.theory
    return lambda: build_graph(theory)


def _verify_graph(ctx: Context, G) -> dict:
    return {"nodes": G.number_of_nodes(), "relationships": G.number_of_edges()}


def _materialise(result: Any) -> Any:
    """Queries may return lazy iterables: consume them inside the timed part."""
    if inspect.isgenerator(result) or type(result).__name__ in ("map", "filter", "zip"):
        return list(result)
    return result


def _result_size(result: Any) -> int | None:
    for name in ("rows", "records", "items"):
        value = getattr(result, name, None)
        if isinstance(value, (list, tuple)):
            return len(value)
    return len(result) if hasattr(result, "__len__") else None


def query_names() -> list[str]:
    """Names of the embedded named queries, [] while :mod:`ptgraph.queries` is not there."""
    try:
        from ptgraph.queries import QUERIES
    except Exception:  # noqa: BLE001 - being built: any failure means "not yet"
        return []
    return list(QUERIES)


#: Named queries measured with other parameters too, beside their defaults: a step
#: ``query:NAME/KEY=VALUE`` each, so that the code paths of the new CMOC fields are timed.
VARIANTS = {"contrasts": ({"by": "resource"}, {"by": "intervention"}, {"by": "context"})}


def query_variants() -> list[tuple[str, str, dict[str, str]]]:
    """(step suffix, query name, extra parameters) of every named query and variant."""
    out = []
    for name in query_names():
        out.append((name, name, {}))
        for extra in VARIANTS.get(name, ()):
            out.append((name + "/" + ",".join(f"{k}={v}" for k, v in extra.items()), name, extra))
    return out


def query_params(ctx: Context, name: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The query's defaults, plus what it requires: the ends of the longest pathway.

    Pathways follow causal chains, so its first concept reaches its last.
    """
    from ptgraph.queries import QUERIES
    required = [p for p, spec in QUERIES[name].params.items() if spec.required]
    if not required:
        return dict(extra or {})
    steps: dict[str, list[tuple[int, str]]] = {}
    for r in ctx.records[1]:
        if r.type == "STEP" and r.end[0] == "Concept":
            steps.setdefault(r.start[1], []).append((r.props["order"], r.end[1]))
    longest = max(([c for _, c in sorted(s)] for s in steps.values()), key=len)
    first, last = longest[0], longest[-1]
    choice = {"from": first, "to": last, "concept": last if name == "upstream" else first}
    return {**{p: choice[p] for p in required}, **(extra or {})}


def _query(name: str, extra: dict[str, str] | None = None):
    def prepare(ctx: Context):
        run_query = _attr("ptgraph.queries", "run_query")
        G, params = ctx.graph, query_params(ctx, name, extra)
        ctx.params = params
        return lambda: _materialise(run_query(name, G, params))
    return prepare


def _verify_query(ctx: Context, result) -> dict:
    out: dict[str, Any] = {}
    size = _result_size(result)
    if size is not None:
        out["rows"] = size
    if getattr(ctx, "params", None):
        out["params"] = ctx.params
    if getattr(result, "notes", None):
        out["notes"] = list(result.notes)
    return out


def _render_overview(ctx: Context):
    render = _attr("ptgraph.render", "render")
    theory = ctx.theory
    out = Path(tempfile.mkdtemp(prefix="overview-", dir=_scratch()))

    def run():
        try:
            return render(theory, ["overview"], out, formats=["svg"])
        finally:
            shutil.rmtree(out, ignore_errors=True)
    return run


def _verify_render(ctx: Context, done) -> dict:
    notes = list(getattr(done, "notes", []))
    return {"files": len(getattr(done, "files", [])), **({"notes": notes} if notes else {})}


def _scratch() -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    return OUT


# --- Neo4j -----------------------------------------------------------------------------

def _store(ctx: Context):
    connect = _attr("ptgraph.store", "connect")
    _attr("ptgraph.load", "load")
    ctx.driver  # noqa: B018 - fails early, as "no Neo4j server", when there is none
    return connect()  # NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD from the harness


def _ptgraph_load(ctx: Context, **options):
    """``ptgraph load`` as the command runs it: hash, check, records, compare, write."""
    from ptgraph.load import load
    store = _store(ctx)
    return lambda: load(store, ctx.root, **options)

def _neo4j_floor(ends: str):
    def prepare(ctx: Context):
        nodes, rels = ctx.records
        _reset_floor(ctx)
        return lambda: ref.load_floor(ctx.driver, nodes, rels, ends)
    return prepare


def _reset_floor(ctx: Context) -> None:
    ref.clear_database(ctx.driver)
    ref.floor_indexes(ctx.driver, ctx.records[0])


def _neo4j_floor_old(ctx: Context):
    nodes, rels = ctx.records
    ref.clear_database(ctx.driver)
    return lambda: ref.load_floor_old(ctx.driver, nodes, rels)


def _reset_database(ctx: Context) -> None:
    ref.clear_database(ctx.driver)


def _neo4j_naive(ctx: Context):
    nodes, rels = ctx.records
    ref.clear_database(ctx.driver)
    # The constraints ptgraph's load has too: without them every MERGE scans its label.
    ref.unique_constraints(ctx.driver, nodes)
    budget = float(ctx.env.get("PTGRAPH_BENCH_NAIVE_BUDGET", "0")) or None
    return lambda: ref.naive_load(ctx.driver, nodes, rels, budget)


def _verify_naive(ctx: Context, done: dict) -> dict:
    estimate = ref.naive_estimate(done)
    if estimate is None:
        return {"nodes": done["nodes"], "relationships": done["relationships"]}
    written = done["nodes_done"] + done["relationships_done"]
    total = done["nodes"] + done["relationships"]
    return {**done, "estimate": estimate,
            "note": f"extrapolated from the {written:,} of {total:,} records written within the budget"
                    + ("" if done["relationships_done"] else
                       ", relationships priced as nodes (a lower bound)")}


def _neo4j_load(ctx: Context):
    thunk = _ptgraph_load(ctx)
    ref.clear_database(ctx.driver)
    return thunk


def _reload(**options):
    def prepare(ctx: Context):
        thunk = _ptgraph_load(ctx, **options)
        if not _loaded(ctx):
            raise Unavailable("the theory is not loaded (the fresh load did not run or failed)")
        return thunk
    return prepare


def _loaded(ctx: Context) -> bool:
    found = ctx.driver.execute_query("MATCH (n:Theory {id: $t}) RETURN count(n) AS n",
                                     t=ctx.theory_id).records[0]["n"]
    return bool(found)


def _verify_loaded(ctx: Context, result) -> dict:
    """The database holds exactly the theory's graph: counts of nodes and relationships."""
    nodes, rels = ctx.records
    t = ctx.theory_id
    got_nodes = ctx.driver.execute_query("MATCH (n {theory: $t}) RETURN count(n) AS n", t=t).records[0]["n"]
    got_rels = ctx.driver.execute_query("MATCH ()-[r {theory: $t}]->() RETURN count(r) AS n",
                                        t=t).records[0]["n"]
    if (got_nodes, got_rels) != (len(nodes), len(rels)):
        raise AssertionError(f"the database holds {got_nodes} nodes and {got_rels} relationships, "
                             f"expected {len(nodes)} and {len(rels)}")
    out = {"nodes": got_nodes, "relationships": got_rels, "status": getattr(result, "status", "")}
    timings = getattr(result, "timings", None)
    if timings:  # where the load's time went, phase by phase (LoadResult.timings)
        out["timings"] = {k: round(v, 4) for k, v in timings.items()}
    return out


# --- the first load of the day ------------------------------------------------------

VOCABULARY = REPO / "examples" / "vocabulary"
BUYIN = REPO / "theory"


def _restart_server(ctx: Context) -> None:
    """Restart the run's ``scripts/neo4j-local`` instance: a cold JVM, empty query caches."""
    instance = ctx.env.get("PTGRAPH_BENCH_INSTANCE")
    if not instance:
        raise Unavailable("needs a scripts/neo4j-local instance of this run to restart")
    ctx.driver.close()
    del ctx.driver
    done = subprocess.run(["bash", str(REPO / "scripts" / "neo4j-local"), "--instance", instance, "restart"],
                          env=ctx.env, capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise RuntimeError(f"could not restart the server: {done.stderr.strip()[-300:]}")
    pid_file = REPO / ".neo4j" / instance / "run" / "neo4j-local.pid"
    os.environ["PTGRAPH_BENCH_SERVER_PID"] = pid_file.read_text().strip() if pid_file.exists() else "0"


def _buyin_absent(ctx: Context) -> None:
    found = ctx.driver.execute_query("MATCH (t:Theory {id: 'buy-in'}) RETURN count(t) AS n").records[0]["n"]
    if found:
        raise Unavailable("the database already holds the buy-in theory")


def _cli_load(ctx: Context) -> Callable[[], str]:
    """``ptgraph load theory/`` as a user runs it: a new process, interpreter start included."""
    exe = Path(sys.executable).with_name("ptgraph")
    if not exe.exists():
        raise Unavailable("no ptgraph command next to this python")

    def run() -> str:
        done = subprocess.run([str(exe), "load", str(BUYIN)], capture_output=True, text=True, env=ctx.env)
        if done.returncode:
            raise AssertionError(f"ptgraph load exited {done.returncode}: {(done.stderr or done.stdout)[:300]}")
        return done.stdout
    return run


def _load_vocabulary(ctx: Context) -> None:
    """The shared vocabulary the buy-in theory maps to, loaded first (untimed), as ``make
    demo`` does; a no-op when it is loaded already."""
    exe = Path(sys.executable).with_name("ptgraph")
    done = subprocess.run([str(exe), "load", str(VOCABULARY)], capture_output=True, text=True,
                          env=ctx.env)
    if done.returncode:
        raise RuntimeError(f"could not load the vocabulary: {(done.stderr or done.stdout)[:300]}")


def _first_load(ctx: Context):
    """The first load of the day: an empty database without constraints but the shared
    vocabulary the theory maps to, the server just started (as ``make demo`` on a new
    machine, which loads the vocabulary first)."""
    ctx.driver  # noqa: B018 - fails early, as "no Neo4j server", when there is none
    _buyin_absent(ctx)
    ref.clear_database(ctx.driver)  # the synthetic theories and every constraint
    _load_vocabulary(ctx)
    _restart_server(ctx)
    return _cli_load(ctx)


def _second_load(ctx: Context):
    """The same load again on the now warm server, the theory unloaded in between."""
    _buyin_absent(ctx)
    _load_vocabulary(ctx)
    return _cli_load(ctx)


def _verify_buyin(ctx: Context, stdout: str) -> dict:
    """What ``ptgraph load`` said (its own figure, as the README quotes it); then unload it
    and its vocabulary, leaving the database as the synthetic steps want it."""
    from ptgraph.load import unload
    said = stdout.strip().splitlines()[-1] if stdout.strip() else ""
    with _store(ctx) as store:
        unload(store, "buy-in")
        unload(store, "realist-core")
    return {"said": said}


def cypher_names() -> list[str]:
    """Named queries with a Cypher twin in ``queries/``."""
    return sorted(p.stem for p in (REPO / "queries").glob("*.cypher"))


def _neo4j_query(name: str, extra: dict[str, str] | None = None):
    """The twin's Cypher alone, with the embedded query's parameters (``ptgraph query
    --neo4j`` also reads the stored ids first, to check the parameters), its plan cached.

    The setup runs it once: each load changes the database's statistics, and Neo4j
    then plans the query again on its next run (up to 2 s for ``conflicts``),
    which would be charged to whichever query came first after a load."""
    def prepare(ctx: Context):
        read_twin = _attr("ptgraph.twins", "read_twin")
        from ptgraph.queries import QUERIES
        store = _store(ctx)
        if not _loaded(ctx):
            raise Unavailable("the theory is not loaded in Neo4j")
        ctx.params = query_params(ctx, name, extra)
        twin = read_twin(name)
        params = {**twin.defaults(store), **QUERIES[name].parse(ctx.params), "theory": ctx.theory_id}
        store.run_query_text(twin.query, params)
        return lambda: store.run_query_text(twin.query, params)
    return prepare


def _offline_import(ctx: Context):
    if not (NEO4J_LIB / ".complete").exists():
        raise Unavailable("no Neo4j jars in .neo4j/lib (run scripts/neo4j-local start once)")
    nodes, rels = ctx.records
    home = Path(tempfile.mkdtemp(prefix="import-home-", dir=_scratch()))
    options = ref.write_import_csv(nodes, rels, home / "csv")
    cmd, env = ref.import_command(NEO4J_LIB, home, options, ctx.env.get("PTGRAPH_NEO4J_HEAP", "1g"))

    def run():
        try:
            ref.offline_import(cmd, env, home / "import.log")
        finally:
            shutil.rmtree(home, ignore_errors=True)
        return {"nodes": len(nodes), "relationships": len(rels)}
    return run


def _counts(ctx: Context, result) -> dict:
    return result if isinstance(result, dict) else {}


def _title(key: str) -> str:
    """``contrasts/by=resource`` as ``contrasts by=resource``."""
    return key.replace("/", " ")


def steps() -> list[Step]:
    """Every step, in the order a run measures them (Neo4j steps depend on that order)."""
    out = [
        Step("baseline", "baseline: python + imports", _baseline),
        Step("parse-floor", "parsing floor: yaml.load (CSafeLoader)", _parse_floor, reset=_again),
        Step("check", "check", _check, _verify_check, reset=_again),
        Step("check-cli", "check: whole `ptgraph check` process", _check_cli),
        Step("graph", "graph build", _graph, _verify_graph),
    ]
    out += [Step(f"query:{key}", f"query {_title(key)} (embedded)", _query(q, extra), _verify_query,
                 reset=_again) for key, q, extra in query_variants()]
    if not query_names():
        out.append(Step("query:*", "queries (embedded)", _query("*")))
    out += [
        Step("render-overview", "render overview (svg, dot)", _render_overview, _verify_render,
             max_cmocs=1000),
        Step("neo4j-floor-old", "old load floor: a transaction per batch, element ids", _neo4j_floor_old,
             _counts, neo4j=True, reset=_reset_database),
        Step("neo4j-floor-index", "bare write, one transaction: ends by index", _neo4j_floor("index"),
             _counts, neo4j=True, reset=_reset_floor),
        Step("neo4j-floor-eid", "bare write, one transaction: ends by element id", _neo4j_floor("element-id"),
             _counts, neo4j=True, reset=_reset_floor),
        Step("neo4j-naive", "naive load: one MERGE per record", _neo4j_naive, _verify_naive, neo4j=True),
        Step("neo4j-load", "load (fresh)", _neo4j_load, _verify_loaded, neo4j=True, reset=_reset_database),
        Step("neo4j-reload", "load (unchanged reload)", _reload(), _verify_loaded, neo4j=True),
        Step("neo4j-reload-force", "load --force (unchanged: compare, write nothing)",
             _reload(force=True), _verify_loaded, neo4j=True),
    ]
    twins = set(cypher_names())
    out += [Step(f"neo4j-query:{key}", f"query {_title(key)} (Neo4j)", _neo4j_query(q, extra), _verify_query,
                 neo4j=True, reset=_again) for key, q, extra in query_variants() if q in twins]
    out.append(Step("offline-import", "offline bound: neo4j-admin import", _offline_import, _counts,
                    quick=False))
    out += [
        Step("buyin-first-load", "first load of the day: `ptgraph load theory/` after a restart",
             _first_load, _verify_buyin, neo4j=True, cold=True, quick=False),
        Step("buyin-second-load", "the same load again, server warm", _second_load, _verify_buyin,
             neo4j=True, cold=True, quick=False),
    ]
    return out
