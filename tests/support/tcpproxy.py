"""A small real TCP proxy for failure-injection tests (stdlib only).

    from tests.support.tcpproxy import TcpProxy

    with TcpProxy("127.0.0.1", 7688) as proxy:
        driver = GraphDatabase.driver(f"bolt://127.0.0.1:{proxy.port}", auth=...)
        driver.execute_query("RETURN 1")      # goes through the proxy
        proxy.cut()                           # RST every connection, refuse new ones
        ...                                   # the next query fails (ServiceUnavailable/SessionExpired)
        proxy.restore()                       # accept connections again, same port

        proxy.cut_after_bytes(200)            # forward 200 more client->server bytes, then cut
        proxy.wait_cut(timeout=10)

The proxy listens on 127.0.0.1 on a free port (``port``) and forwards both ways.
One I/O thread runs a selector loop over non-blocking sockets: nothing blocks
in recv(), so ``cut()`` really sends RST at once (SO_LINGER 0, then close) on
both the client and the server side of each connection, and closes the
listening socket so new connections are refused (ECONNREFUSED) until
``restore()`` opens the same port again.

Counters (written by the I/O thread only, safe to read anywhere):
``bytes_up`` bytes sent on to the server, ``bytes_down`` bytes sent back to
the client, ``accepted`` connections accepted, ``active`` connections open.
"""

from __future__ import annotations

import queue
import selectors
import socket
import struct
import threading
from typing import Callable, Optional

__all__ = ["TcpProxy"]

_CHUNK = 65536
_LINGER_RST = struct.pack("ii", 1, 0)  # l_onoff=1, l_linger=0: close() sends RST


def _reset(sock: Optional[socket.socket]) -> None:
    """Close abruptly: RST instead of FIN."""
    if sock is None:
        return
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RST)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class _Conn:
    """One client connection and its upstream connection."""

    __slots__ = ("client", "upstream", "to_up", "to_down", "eof_client", "eof_upstream",
                 "shut_up", "shut_down")

    def __init__(self, client: socket.socket, upstream: socket.socket) -> None:
        self.client = client
        self.upstream = upstream
        self.to_up = bytearray()    # read from client, not yet sent to upstream
        self.to_down = bytearray()  # read from upstream, not yet sent to client
        self.eof_client = False     # client sent FIN
        self.eof_upstream = False   # upstream sent FIN
        self.shut_up = False        # FIN passed on to upstream
        self.shut_down = False      # FIN passed on to client


class TcpProxy:
    """TCP proxy 127.0.0.1:<port> -> target_host:target_port, with cut() for failure injection."""

    def __init__(self, target_host: str, target_port: int, *, listen_host: str = "127.0.0.1",
                 port: int = 0, connect_timeout: float = 5.0) -> None:
        self.target = (target_host, int(target_port))
        self.listen_host = listen_host
        self.port = int(port)  # 0 until started: then the real port
        self.connect_timeout = connect_timeout
        self.bytes_up = 0
        self.bytes_down = 0
        self.accepted = 0
        self.cut_event = threading.Event()  # set by each cut (manual or automatic)
        self._budget: Optional[int] = None  # bytes still allowed client->server before a cut
        self._listener: Optional[socket.socket] = None
        self._conns: dict[int, _Conn] = {}  # id -> conn
        self._sel: Optional[selectors.BaseSelector] = None
        self._cmds: "queue.Queue[tuple[Callable[[], None], threading.Event, list]]" = queue.Queue()
        self._wake_r: Optional[socket.socket] = None
        self._wake_w: Optional[socket.socket] = None
        self._thread: Optional[threading.Thread] = None
        self._stopping = False

    # ------------------------------------------------------------------ public API
    def start(self) -> "TcpProxy":
        if self._thread is not None:
            return self
        self._sel = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._sel.register(self._wake_r, selectors.EVENT_READ, ("wake", None))
        self._listen()
        self._thread = threading.Thread(target=self._loop, name=f"TcpProxy:{self.port}", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop the proxy; open connections are closed (FIN), the port is released."""
        if self._thread is None:
            return
        self._call(self._shutdown_all)
        self._thread.join(timeout=5)
        self._thread = None
        for s in (self._wake_r, self._wake_w):
            if s is not None:
                s.close()
        if self._sel is not None:
            self._sel.close()

    def __enter__(self) -> "TcpProxy":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def address(self) -> tuple[str, int]:
        return (self.listen_host, self.port)

    @property
    def active(self) -> int:
        return len(self._conns)

    @property
    def is_cut(self) -> bool:
        return self._listener is None and self._thread is not None

    def cut(self) -> None:
        """RST every current connection (both sides) and refuse new ones until restore()."""
        self._call(self._do_cut)

    def cut_after_bytes(self, n: int) -> None:
        """Forward at most n more client->server bytes, then cut() by itself.

        n counts from this call, over all connections; the n-th byte is sent to
        the server before the RST. n=0 cuts as soon as a client sends anything.
        Use wait_cut() or cut_event to wait for it.
        """
        if n < 0:
            raise ValueError("n must be >= 0")

        def arm() -> None:
            self.cut_event.clear()
            self._budget = int(n)

        self._call(arm)

    def wait_cut(self, timeout: Optional[float] = None) -> bool:
        """Wait for a cut (manual or from cut_after_bytes); True if it happened."""
        return self.cut_event.wait(timeout)

    def restore(self) -> None:
        """Accept connections again, on the same port (after a cut)."""

        def do() -> None:
            self._budget = None
            self.cut_event.clear()
            if self._listener is None:
                self._listen()

        self._call(do)

    # ------------------------------------------------------------------ internals
    def _listen(self) -> None:
        lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lst.bind((self.listen_host, self.port))
        lst.listen(64)
        lst.setblocking(False)
        self.port = lst.getsockname()[1]
        self._listener = lst
        assert self._sel is not None
        self._sel.register(lst, selectors.EVENT_READ, ("listen", None))

    def _call(self, fn: Callable[[], None]) -> None:
        """Run fn on the I/O thread and wait for it (synchronous for the caller)."""
        if self._thread is None or threading.current_thread() is self._thread:
            fn()
            return
        done = threading.Event()
        errors: list = []
        self._cmds.put((fn, done, errors))
        assert self._wake_w is not None
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass
        if not done.wait(10):
            raise TimeoutError("TcpProxy I/O thread did not answer")
        if errors:
            raise errors[0]

    def _loop(self) -> None:
        assert self._sel is not None
        while not self._stopping:
            for key, mask in self._sel.select(timeout=0.5):
                kind, conn = key.data
                if kind == "wake":
                    self._run_commands()
                elif kind == "listen":
                    self._accept()
                else:
                    self._service(conn, key.fileobj, mask)
        # leave no command waiting
        self._run_commands()

    def _run_commands(self) -> None:
        assert self._wake_r is not None
        try:
            while self._wake_r.recv(4096):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            pass
        while True:
            try:
                fn, done, errors = self._cmds.get_nowait()
            except queue.Empty:
                return
            try:
                fn()
            except BaseException as exc:  # handed to the caller
                errors.append(exc)
            finally:
                done.set()

    def _accept(self) -> None:
        if self._listener is None:
            return
        while True:
            try:
                client, _ = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            self.accepted += 1
            try:
                upstream = socket.create_connection(self.target, timeout=self.connect_timeout)
            except OSError:
                _reset(client)
                continue
            for s in (client, upstream):
                s.setblocking(False)
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn = _Conn(client, upstream)
            self._conns[id(conn)] = conn
            self._update(conn)

    def _update(self, conn: _Conn) -> None:
        """(Re)register both sockets with the events they need now."""
        assert self._sel is not None
        want = {
            conn.client: (0 if (conn.eof_client or conn.to_up) else selectors.EVENT_READ)
            | (selectors.EVENT_WRITE if conn.to_down else 0),
            conn.upstream: (0 if (conn.eof_upstream or conn.to_down) else selectors.EVENT_READ)
            | (selectors.EVENT_WRITE if conn.to_up else 0),
        }
        for sock, events in want.items():
            try:
                registered = self._sel.get_key(sock)
            except KeyError:
                registered = None
            if events == 0:
                if registered is not None:
                    self._sel.unregister(sock)
            elif registered is None:
                self._sel.register(sock, events, ("conn", conn))
            elif registered.events != events:
                self._sel.modify(sock, events, ("conn", conn))

    def _drop(self, conn: _Conn, abrupt: bool) -> None:
        assert self._sel is not None
        self._conns.pop(id(conn), None)  # first: a peer that sees the RST must see active drop
        for sock in (conn.client, conn.upstream):
            try:
                self._sel.unregister(sock)
            except (KeyError, ValueError, OSError):
                pass
            if abrupt:
                _reset(sock)
            else:
                try:
                    sock.close()
                except OSError:
                    pass

    def _service(self, conn: _Conn, sock: socket.socket, mask: int) -> None:
        if id(conn) not in self._conns:
            return
        from_client = sock is conn.client
        try:
            if mask & selectors.EVENT_WRITE:
                self._flush(conn, to_upstream=not from_client)
            if id(conn) in self._conns and mask & selectors.EVENT_READ:
                self._read(conn, from_client)
        except OSError:
            # a reset or broken pipe on one side: pass it on abruptly to the other
            self._drop(conn, abrupt=True)
            return
        if id(conn) in self._conns:
            if conn.shut_up and conn.shut_down:
                self._drop(conn, abrupt=False)
            else:
                self._update(conn)

    def _read(self, conn: _Conn, from_client: bool) -> None:
        sock = conn.client if from_client else conn.upstream
        try:
            data = sock.recv(_CHUNK)
        except (BlockingIOError, InterruptedError):
            return
        if not data:  # FIN
            if from_client:
                conn.eof_client = True
            else:
                conn.eof_upstream = True
            self._flush(conn, to_upstream=from_client)
            return
        if from_client:
            cut_now = False
            if self._budget is not None:
                take = min(len(data), self._budget)
                data = data[:take]
                self._budget -= take
                cut_now = self._budget == 0
            if data:
                conn.to_up += data
                self._flush(conn, to_upstream=True, drain=cut_now)
            if cut_now:
                self._do_cut()
        else:
            conn.to_down += data
            self._flush(conn, to_upstream=False)

    def _flush(self, conn: _Conn, to_upstream: bool, drain: bool = False) -> None:
        """Send what is buffered towards one side; pass on a FIN once the buffer is empty."""
        buf = conn.to_up if to_upstream else conn.to_down
        sock = conn.upstream if to_upstream else conn.client
        if buf:
            if drain:  # cut_after_bytes: the last allowed bytes must really leave before the RST
                sock.setblocking(True)
                sock.settimeout(2.0)
                try:
                    sock.sendall(buf)
                finally:
                    sock.setblocking(False)
                sent = len(buf)
            else:
                try:
                    sent = sock.send(buf)
                except (BlockingIOError, InterruptedError):
                    sent = 0
            del buf[:sent]
            if to_upstream:
                self.bytes_up += sent
            else:
                self.bytes_down += sent
        if not buf:
            if to_upstream and conn.eof_client and not conn.shut_up:
                conn.shut_up = True
                sock.shutdown(socket.SHUT_WR)
            elif not to_upstream and conn.eof_upstream and not conn.shut_down:
                conn.shut_down = True
                sock.shutdown(socket.SHUT_WR)

    def _close_listener(self) -> None:
        if self._listener is not None:
            assert self._sel is not None
            try:
                self._sel.unregister(self._listener)
            except (KeyError, ValueError):
                pass
            self._listener.close()
            self._listener = None

    def _do_cut(self) -> None:
        self._budget = None
        self._close_listener()  # new connections: ECONNREFUSED
        for conn in list(self._conns.values()):
            self._drop(conn, abrupt=True)
        self.cut_event.set()

    def _shutdown_all(self) -> None:
        self._stopping = True
        for conn in list(self._conns.values()):
            self._drop(conn, abrupt=False)
        self._close_listener()
