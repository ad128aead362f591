"""A TCP proxy in the test process that can take the database away and give it back.

The app under test connects to the proxy's port instead of PostgreSQL's. cut() drops every open
connection at once and refuses new ones, as a restarted or unreachable server does; cut(stall=True)
instead leaves new connections unanswered, as a server behind a broken network does. restore() forwards
again on the same port. Nothing else on the machine notices: PostgreSQL itself keeps running.
"""
from __future__ import annotations

import socket
import threading


class TcpProxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = 0
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._held: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._stalled = False

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), name="tcp-proxy", daemon=True).start()

    def cut(self, *, stall: bool = False) -> None:
        """Drop every open connection; refuse new ones, or with stall=True accept them and never answer."""
        with self._lock:
            self._stalled = stall
            if not stall:
                self._close_listener()
            open_sockets, self._open = self._open, set()
        for sock in open_sockets:
            _close(sock)

    def restore(self) -> None:
        with self._lock:
            self._stalled = False
            held, self._held = self._held, []
        for sock in held:
            _close(sock)
        if self._listener is None:
            self.start()

    def stop(self) -> None:
        self.cut()
        with self._lock:
            held, self._held = self._held, []
        for sock in held:
            _close(sock)

    def _close_listener(self) -> None:
        if self._listener is not None:
            _close(self._listener)
            self._listener = None

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # the listener was closed by cut() or stop()
            with self._lock:
                if self._stalled:
                    self._held.append(client)
                    continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self._lock:
                if self._listener is not listener or self._stalled:  # cut while connecting
                    _close(client), _close(server)
                    continue
                self._open.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._open.discard(source)
                self._open.discard(target)
            _close(source)
            _close(target)


def _close(sock: socket.socket) -> None:
    """Shut down first: that wakes a thread blocked reading the socket, which close() alone does not."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
