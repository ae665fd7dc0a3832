"""A throwaway instance of ``scripts/neo4j-local``, started while its usual ports are taken.

The port tests (``tests/neo4j/test_local_server.py``,
``tests/browser/test_browser_local_server.py``) play a researcher's machine where Neo4j
Desktop already listens on 7687 and 7474: they hold those ports with listening
sockets of their own (:class:`HeldPorts`; a port something else holds already
is taken anyway), start an instance under a fresh name, and delete it
afterwards with ``reset``. An instance other than ``test`` prefers the ports of
``dev``, so it has to move just as ``make demo``'s server would.

Starting the server needs Java and the jars (``scripts/neo4j-local`` exits 2
without them): then the test is skipped, and with ``CI=true`` the tier's hook
makes that skip a failure.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "neo4j-local"
#: The ports ``dev`` (and so any instance but ``test``) prefers.
PREFERRED_BOLT, PREFERRED_HTTP = 7687, 7474
#: Settings of the shell that would change which ports the script picks.
PORT_VARS = ("PTGRAPH_NEO4J_BOLT_PORT", "PTGRAPH_NEO4J_HTTP_PORT", "PTGRAPH_NEO4J_INSTANCE")


def script_env(**extra: str) -> dict[str, str]:
    """This process's environment without port settings, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in PORT_VARS}
    env.update(extra)
    return env


def run_script(instance: str, *args: str, timeout: float = 120,
               **env: str) -> subprocess.CompletedProcess:
    """``scripts/neo4j-local --instance INSTANCE ARGS...``, output captured."""
    return subprocess.run([str(SCRIPT), "--instance", instance, *args], cwd=ROOT,
                          env=script_env(**env), capture_output=True, text=True, timeout=timeout)


def forget(instance: str) -> None:
    """Delete a throwaway instance (``reset``) and the lock file the script keeps for it."""
    reset = run_script(instance, "reset", timeout=300)
    assert reset.returncode == 0, f"reset of {instance} failed:\n{reset.stderr}"
    (ROOT / ".neo4j" / f".lock-{instance}").unlink(missing_ok=True)


def parse_env(text: str) -> dict[str, str]:
    """The ``export NAME=value`` lines of ``scripts/neo4j-local env``."""
    return dict(re.findall(r"^export (\w+)=(.*)$", text, re.M))


def free_port() -> int:
    """A port nothing listens on now (the kernel's choice)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HeldPorts:
    """Listening sockets on 127.0.0.1 on each of ``ports`` that is free.

    ``held`` lists the ports this process holds; the others were taken already.
    """

    def __init__(self, *ports: int) -> None:
        self.ports = ports
        self.held: list[int] = []
        self._sockets: list[socket.socket] = []

    def __enter__(self) -> "HeldPorts":
        for port in self.ports:
            s = socket.socket()
            try:
                s.bind(("127.0.0.1", port))
                s.listen(16)
            except OSError:  # taken already: by Neo4j Desktop, another instance...
                s.close()
                continue
            self._sockets.append(s)
            self.held.append(port)
        return self

    def release(self) -> None:
        for s in self._sockets:
            s.close()
        self._sockets.clear()

    def __exit__(self, *exc) -> None:
        self.release()


@dataclass
class LocalInstance:
    """A running instance of ``scripts/neo4j-local``: its name, start output and ports."""

    name: str
    started: subprocess.CompletedProcess
    bolt: int
    http: int

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        return run_script(self.name, *args, **env)

    def env(self) -> dict[str, str]:
        result = self.run("env")
        assert result.returncode == 0, result.stderr
        return parse_env(result.stdout)

    def browser_url(self) -> str:
        result = self.run("browser-url")
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()


@contextmanager
def instance_on_taken_ports(prefix: str = "portclash") -> Iterator[tuple[LocalInstance, HeldPorts]]:
    """A fresh instance started while 7687 and 7474 are taken; reset (deleted) afterwards."""
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    with HeldPorts(PREFERRED_BOLT, PREFERRED_HTTP) as held:
        try:
            started = run_script(name, "start", timeout=900)
            if started.returncode == 2:
                pytest.skip("scripts/neo4j-local cannot start a server here: "
                            + started.stderr.strip())
            assert started.returncode == 0, f"start failed:\n{started.stderr}"
            exported = parse_env(run_script(name, "env").stdout)
            bolt = int(exported["NEO4J_URI"].rsplit(":", 1)[1])
            status = run_script(name, "status").stdout
            http = int(re.search(r"http://127\.0\.0\.1:(\d+)/browser/", status).group(1))
            yield LocalInstance(name, started, bolt, http), held
        finally:
            forget(name)
