"""Benchmark harness: every step at every size, side by side, in one run.

Usage (from the repository root)::

    python -m bench.run                      # 100, 1,000, 10,000 and 100,000 CMOCs
    python -m bench.run --quick              # 100 and 1,000 CMOCs, about a minute
    python -m bench.run --sizes 100,10000 --out docs/benchmarks.md

Each step runs in a fresh child process under a timeout; its time is measured
inside the child around the step's own work (setup such as reading the theory
for a query is not timed); its peak memory is the child's peak resident set
(``VmHWM``, and that of its own children), which includes the interpreter and
the untimed setup. The Neo4j steps use the ``bench`` instance of ``scripts/neo4j-local`` (bolt port
7689), started here when needed and stopped afterwards; ``--instance NAME`` takes another
instance (on the ports it picks), ``--neo4j env`` the server the ``NEO4J_*`` variables name.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python bench/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    __package__ = "bench"  # noqa: A001

from bench import generate, report  # noqa: E402
from bench.steps import REPO, Context, Step, Unavailable, steps  # noqa: E402

SIZES = (100, 1_000, 10_000, 100_000)
QUICK_SIZES = (100, 1_000)
NEO4J_INSTANCE = "bench"
WARM_UP_CMOCS = 100
DEFAULT_REPEAT = 3
CACHE = "build-setup-cache"  # not a step: builds what the steps' setup would otherwise each rebuild
NEO4J_PORTS = {"PTGRAPH_NEO4J_BOLT_PORT": "7689", "PTGRAPH_NEO4J_HTTP_PORT": "7476"}
#: Defaults and the reason for them, printed with the results.
HEAP, PAGECACHE = "12g", "1g"
MEMORY_WHY = ("`ptgraph load` writes a theory in one transaction, and Neo4j lets all transactions "
              "together use 70% of the heap (dbms.memory.transaction.total.max); with every part "
              "of the format in use (resource, intervention, actor, sources, confidence) the load "
              "of 100,000 CMOCs needs more than the 5.6 GiB an 8 GiB heap allows (it stopped "
              "with MemoryPoolOutOfMemoryError, the database unchanged), and 12 GiB allows 8.4 GiB; "
              "the page cache holds the whole store of the largest theory (about 0.4 GiB on "
              "disk), so the loads measure work rather than disk eviction")


@dataclass
class Result:
    step: str
    title: str
    n: int
    status: str  # ok, n/a, skipped, timeout, error, extrapolated
    seconds: float | None = None
    peak_mib: float | None = None
    cpu: float | None = None  # this process, its children and (Neo4j steps) the server
    info: dict = field(default_factory=dict)
    reason: str = ""


# --- the child side --------------------------------------------------------------------

def child(key: str, root: str, n: int) -> int:
    """Run one step and print its outcome as one JSON line (the parent reads the last line)."""
    ctx = Context(Path(root), n)
    if key == CACHE:
        ctx.records, ctx.graph  # noqa: B018 - built and pickled for the steps of this size
        return 0
    step = _find(key)
    try:
        thunk = step.prepare(ctx)
        # Read after the setup, which may have restarted the server (a cold step).
        server_pid = int(os.environ.get("PTGRAPH_BENCH_SERVER_PID") or 0) if step.neo4j else 0
        # (seconds, cpu, info) of each repetition; the best one is reported. Each result is
        # verified and dropped before the next run, so that the peak memory is one run's.
        runs = []
        for attempt in range(repeats(step, n)):
            if attempt:
                step.reset(ctx)  # untimed: e.g. empty the database again
            cpu = cpu_seconds(server_pid)
            start = time.perf_counter()
            result = thunk()
            seconds = time.perf_counter() - start
            cpu = cpu_seconds(server_pid) - cpu
            runs.append((seconds, cpu, (step.verify(ctx, result) if step.verify else {}) or {}))
            del result
        seconds, cpu, info = min(runs, key=lambda r: r[0])
        if len(runs) > 1:
            info["runs"] = [round(r[0], 4) for r in runs]
        out = {"status": "ok", "seconds": seconds, "cpu": cpu, "info": info, "peak_mib": peak_mib()}
        if "estimate" in out["info"]:  # a partial run, scaled up
            out.update(status="extrapolated", seconds=out["info"].pop("estimate"),
                       reason=out["info"].pop("note"))
    except Unavailable as exc:
        out = {"status": "n/a", "reason": str(exc)}
    except Exception as exc:  # noqa: BLE001 - reported in the table, traceback in the log
        traceback.print_exc()
        out = {"status": "error", "reason": f"{type(exc).__name__}: {str(exc)[:300]}"}
    print(json.dumps(out), flush=True)
    return 0


def repeats(step: Step, n: int) -> int:
    """How many times a step runs (best of them reported): ``PTGRAPH_BENCH_REPEAT`` for the
    steps that can repeat, one fewer at 100,000 CMOCs and more, where a run takes minutes."""
    if step.reset is None:
        return 1
    wanted = int(os.environ.get("PTGRAPH_BENCH_REPEAT") or DEFAULT_REPEAT)
    return max(1, wanted - 1) if n >= 100_000 else max(1, wanted)


def cpu_seconds(server_pid: int = 0) -> float:
    """CPU time used so far by this process, its waited-for children and the Neo4j server.

    Unlike wall time it hardly moves when other work shares the cores.
    """
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    if server_pid:
        try:
            with open(f"/proc/{server_pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
        except (OSError, ValueError, IndexError):
            pass
    return total


def peak_mib() -> float:
    """Peak resident memory of this process and of the children it waited for, in MiB.

    ``VmHWM`` counts from the ``exec`` that started this process; the
    ``ru_maxrss`` that ``wait4`` reports to the parent would also count the
    parent's memory copied at ``fork``.
    """
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    try:
        with open("/proc/self/status") as f:
            own = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return max(own, children) / 1024  # KiB on Linux


def _find(key: str) -> Step:
    for step in steps():
        if step.key == key:
            return step
    if key.startswith("query:"):  # a query registered after the parent listed them
        return Step(key, key, _missing)
    raise SystemExit(f"unknown step {key}")


def _missing(ctx):
    raise Unavailable("no such step")


# --- the parent side -------------------------------------------------------------------

def run_child(step: Step, root: Path, n: int, timeout: float, env: dict, log: Path) -> Result:
    """One step in a fresh process group, killed whole if it outlives ``timeout``."""
    cmd = [sys.executable, "-m", "bench.run", "--child", step.key, "--theory", str(root), "--n", str(n)]
    with tempfile.TemporaryFile("w+") as out, open(log, "a") as err:
        err.write(f"\n==== {step.key} n={n}\n")
        err.flush()
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=err, start_new_session=True)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the step's own group: java children too
            proc.wait()
            return Result(step.key, step.title, n, "timeout", reason=f"still running after {timeout:.0f} s")
        out.seek(0)
        lines = [line for line in out.read().splitlines() if line.startswith("{")]
    if not lines:
        return Result(step.key, step.title, n, "error",
                      reason=f"the step exited {proc.returncode} without a result (see {log})")
    data = json.loads(lines[-1])
    return Result(step.key, step.title, n, data["status"], data.get("seconds"), data.get("peak_mib"),
                  data.get("cpu"), data.get("info", {}), data.get("reason", ""))


def theory_dir(data: Path, n: int, seed: int) -> Path:
    """The generated theory for ``n`` CMOCs, made once and kept under ``data``."""
    root = data / f"{n}-seed{seed}-v{generate.VERSION}"
    if not (root / "theory.yaml").exists():
        start = time.perf_counter()
        generate.generate(n, root, seed)
        print(f"  generated {n:,} CMOCs in {time.perf_counter() - start:.1f} s: {root}", file=sys.stderr)
    return root


# --- the Neo4j server ------------------------------------------------------------------

@dataclass
class Server:
    env: dict
    started: bool
    pid: int = 0
    version: str = ""
    heap: str = ""
    pagecache: str = ""
    reason: str = ""
    instance: str = ""  # the scripts/neo4j-local instance, "" for a server given by URI


def _neo4j_local(command: str, env: dict, timeout: float = 300, instance: str = NEO4J_INSTANCE
                 ) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(REPO / "scripts" / "neo4j-local"), "--instance", instance,
                           command], env=env, capture_output=True, text=True, timeout=timeout)


def server_pid(instance: str) -> int:
    """The process id of a running ``scripts/neo4j-local`` instance, 0 if unknown."""
    pid_file = REPO / ".neo4j" / instance / "run" / "neo4j-local.pid"
    try:
        return int(pid_file.read_text().strip() or 0)
    except (OSError, ValueError):
        return 0


def start_server(args, env: dict) -> Server | None:
    """The bench instance (or ``--instance``), started if needed; the server of ``--neo4j-uri``
    or of the ``NEO4J_*`` variables (``--neo4j env``) as it is; None (with the reason printed)
    when unavailable."""
    if args.neo4j == "off":
        return None
    instance = args.instance
    # The bench instance keeps its own ports, clear of dev (7687) and test (7688); any
    # other instance takes those scripts/neo4j-local picks for it.
    ports = NEO4J_PORTS if instance == NEO4J_INSTANCE else {}
    env = dict(env, **ports, PTGRAPH_NEO4J_HEAP=args.heap, PTGRAPH_NEO4J_PAGECACHE=args.pagecache)
    if args.neo4j_uri or args.neo4j == "env":
        if args.neo4j_uri:
            env.update(NEO4J_URI=args.neo4j_uri)
        if not env.get("NEO4J_URI"):
            print("  Neo4j steps skipped: --neo4j env, but NEO4J_URI is not set", file=sys.stderr)
            return None
        env.setdefault("NEO4J_USERNAME", "neo4j")
        return _describe(Server(env, started=False))
    running = _neo4j_local("status", env, 30, instance).returncode == 0
    if not running and args.neo4j == "running":
        print(f"  Neo4j steps skipped: the '{instance}' server is not running "
              f"(scripts/neo4j-local --instance {instance} start, or --neo4j auto)", file=sys.stderr)
        return None
    if not running:
        print(f"  starting Neo4j (instance {instance}, heap {args.heap}, page cache "
              f"{args.pagecache})...", file=sys.stderr)
        done = _neo4j_local("start", env, instance=instance)
        if done.returncode:
            print(f"  Neo4j steps skipped: {done.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
            return None
    for line in _neo4j_local("env", env, 30, instance).stdout.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = value
    pid = server_pid(instance)
    # The steps that restart the server (the first load of the day) need its name.
    env.update(PTGRAPH_BENCH_SERVER_PID=str(pid), PTGRAPH_BENCH_INSTANCE=instance)
    return _describe(Server(env, started=not running, pid=pid, instance=instance))


def _describe(server: Server) -> Server | None:
    try:
        from neo4j import GraphDatabase
        with GraphDatabase.driver(server.env["NEO4J_URI"], auth=(
                server.env.get("NEO4J_USERNAME", "neo4j"), server.env.get("NEO4J_PASSWORD", ""))) as d:
            comp = d.execute_query("CALL dbms.components() YIELD versions, edition "
                                   "RETURN versions[0] AS v, edition AS e").records[0]
            server.version = f"{comp['v']} {comp['e']}"
            settings = {r["name"]: r["value"] for r in d.execute_query(
                "SHOW SETTINGS YIELD name, value WHERE name IN "
                "['server.memory.heap.max_size', 'server.memory.pagecache.size'] RETURN name, value").records}
            server.heap = settings.get("server.memory.heap.max_size", "?")
            server.pagecache = settings.get("server.memory.pagecache.size", "?")
    except Exception as exc:  # noqa: BLE001
        print(f"  Neo4j steps skipped: cannot reach {server.env.get('NEO4J_URI')}: {exc}", file=sys.stderr)
        return None
    return server


# --- the run ---------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="100 and 1,000 CMOCs only")
    p.add_argument("--sizes", help="comma-separated numbers of CMOCs (default 100,1000,10000,100000)")
    p.add_argument("--timeout", type=float, help="seconds allowed per step (default 1200; 60 with --quick)")
    p.add_argument("--neo4j", choices=("auto", "running", "env", "off"),
                   help="auto: use the 'bench' local server (or --instance), starting it if needed "
                        "(the default); running: only if it is already running (the default with "
                        "--quick); env: the server NEO4J_URI, NEO4J_USERNAME and NEO4J_PASSWORD name, "
                        "as it is (its database is emptied; the steps that restart the server are "
                        "not run); off: embedded steps only")
    p.add_argument("--instance", default=os.environ.get("PTGRAPH_BENCH_INSTANCE") or NEO4J_INSTANCE,
                   help="the scripts/neo4j-local instance to use (default 'bench', on bolt port 7689; "
                        "another takes the ports the script picks; env PTGRAPH_BENCH_INSTANCE)")
    p.add_argument("--repeat", type=int, help="runs of each repeatable step, the best reported "
                   f"(default {DEFAULT_REPEAT}; one fewer at 100,000 CMOCs)")
    p.add_argument("--neo4j-uri", help="use this server instead; its database is emptied")
    p.add_argument("--heap", default=os.environ.get("PTGRAPH_NEO4J_HEAP", HEAP), help="Neo4j heap")
    p.add_argument("--pagecache", default=os.environ.get("PTGRAPH_NEO4J_PAGECACHE", PAGECACHE),
                   help="Neo4j page cache")
    p.add_argument("--naive-budget", type=float, help="seconds the naive load may run at each size "
                   "before it is extrapolated from its rates (default 120; 5 with --quick)")
    p.add_argument("--steps", help="only steps whose key matches this regular expression")
    p.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    p.add_argument("--data", type=Path, default=REPO / "bench" / "out" / "data",
                   help="where generated theories are kept")
    p.add_argument("--json", type=Path, help="also write the raw results here")
    p.add_argument("--out", type=Path, help="write the report into this Markdown file (docs/benchmarks.md)")
    p.add_argument("--from-json", type=Path, help="measure nothing: report the results of an earlier --json")
    p.add_argument("--keep-neo4j", action="store_true", help="leave a server started here running")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--theory", help=argparse.SUPPRESS)
    p.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.sizes:
        try:
            args.sizes = tuple(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())
        except ValueError:
            p.error("--sizes takes numbers separated by commas, e.g. 100,1000")
        if not args.sizes or min(args.sizes) < 1:
            p.error("--sizes needs positive numbers")
    else:
        args.sizes = QUICK_SIZES if args.quick else SIZES
    args.timeout = args.timeout or (60.0 if args.quick else 1200.0)
    args.naive_budget = args.naive_budget or (5.0 if args.quick else 120.0)
    args.neo4j = args.neo4j or ("running" if args.quick else "auto")
    return args


def plan(args) -> list[Step]:
    chosen = steps()
    if args.steps:
        pattern = re.compile(args.steps)
        chosen = [s for s in chosen if pattern.search(s.key)]
    elif args.quick:
        chosen = [s for s in chosen if s.quick]
    return chosen


def warm_up(args, env: dict, log: Path) -> None:
    """Load a small theory and run the Cypher twins once, unmeasured: a cold JVM and
    empty plan cache would otherwise be charged to whichever size came first (planning
    the larger twins takes seconds; the plans are then reused at every size)."""
    n = WARM_UP_CMOCS
    root = theory_dir(args.data, n, args.seed)
    for step in steps():
        if step.key.startswith("neo4j-floor") or step.key in ("neo4j-load", "neo4j-reload-force") \
                or step.key.startswith("neo4j-query:"):
            r = run_child(step, root, n, args.timeout, env, log)
            print(f"  warm-up {n:,}  {step.title:<45} {report.cell(r)}", file=sys.stderr)


def measure(args) -> dict:
    """Run every chosen step at every size; the results and the conditions they were taken in."""
    args.data.mkdir(parents=True, exist_ok=True)
    log = args.data.parent / "bench.log"
    log.write_text("")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    if args.repeat:
        env["PTGRAPH_BENCH_REPEAT"] = str(args.repeat)
    server = start_server(args, env)
    if server:
        env = dict(server.env, PTGRAPH_BENCH_NAIVE_BUDGET=str(args.naive_budget))
    machine = report.machine(server)
    for stale in args.data.glob("*.pickle"):  # setup caches are valid for one run only
        stale.unlink()
    if server is None:
        memory_why = ""
    elif (server.heap, server.pagecache) == (report.size_text(HEAP), report.size_text(PAGECACHE)):
        memory_why = MEMORY_WHY
    else:
        memory_why = "set for this run (--heap, --pagecache, or a server that was already running)"
    results: list[Result] = []
    data: dict[int, dict] = {}
    started = time.time()

    def summary() -> dict:
        return {
            "sizes": sorted(args.sizes), "seed": args.seed, "timeout": args.timeout,
            "naive_budget": args.naive_budget, "quick": args.quick,
            "seconds": round(time.time() - started, 1), "machine": machine,
            "memory_why": memory_why, "data": data,
            "results": [asdict(r) for r in results],
        }
    try:
        if server and any(s.neo4j for s in plan(args)):
            warm_up(args, env, log)
        for n in sorted(args.sizes):
            root = theory_dir(args.data, n, args.seed)
            files = generate.theory_files_of(root)
            data[n] = {"files": len(files), "bytes": sum(f.stat().st_size for f in files)}
            # Every query and Neo4j step then starts from the same unpickled setup, so
            # their peak memory is comparable (none of them also read the YAML).
            subprocess.run([sys.executable, "-m", "bench.run", "--child", CACHE, "--theory", str(root),
                            "--n", str(n)], cwd=REPO, env=env, check=True)
            for step in plan(args):
                if step.cold:
                    continue  # after every size: it restarts the server
                if step.neo4j and server is None:
                    r = Result(step.key, step.title, n, "skipped", reason="no Neo4j server in this run")
                elif step.max_cmocs and n > step.max_cmocs:
                    r = Result(step.key, step.title, n, "skipped",
                               reason=f"measured up to {step.max_cmocs:,} CMOCs")
                else:
                    r = run_child(step, root, n, args.timeout, env, log)
                results.append(r)
                print(f"  {n:>7,}  {step.title:<45} {report.cell(r)}", file=sys.stderr)
                if args.json:  # after every step, so a long run that is stopped still tells
                    _write_json(args.json, summary())
        # Last, as they restart the server: nothing after them pays for its cold start.
        for step in (s for s in plan(args) if s.cold):
            if server is None or not server.instance:
                r = Result(step.key, step.title, 0, "skipped",
                           reason="needs a scripts/neo4j-local instance of this run to restart")
            else:
                r = run_child(step, REPO / "theory", 0, args.timeout, env, log)
            results.append(r)
            print(f"  {step.title:<54} {report.cell(r)}", file=sys.stderr)
            if args.json:
                _write_json(args.json, summary())
    finally:
        if server and server.started and not args.keep_neo4j:
            _neo4j_local("stop", server.env, 120, server.instance)
        for cache in args.data.glob("*.pickle"):
            cache.unlink()
    machine["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return summary()


def _write_json(path: Path, run: dict) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(run, indent=1) + "\n")
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child(args.child, args.theory, args.n)
    if args.from_json:
        run = json.loads(args.from_json.read_text())
    else:
        run = measure(args)
    text = report.markdown(run)
    print(text)
    if args.json:
        _write_json(args.json, run)
    if args.out:
        report.write(args.out, text)
        print(f"report written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
