"""A private PostgreSQL server in a temporary directory, for tests that stop and start the real thing.

The machine's own cluster serves everyone, so it is never touched: this one is made with initdb,
listens only on 127.0.0.1 on a free port with its socket in its own directory, and is stopped and
removed afterwards. initdb and pg_ctl refuse to run as root, so as root (as in CI) they run as the
postgres user.
"""
from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 60
"""Seconds pg_ctl may wait for the server to start or stop, crash recovery included."""


def server_bindir() -> Path | None:
    """The directory of initdb and pg_ctl, or None: client-only installations have pg_config but no server."""
    candidates: list[Path] = []
    if pg_config := shutil.which("pg_config"):
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if found.returncode == 0:
            candidates.append(Path(found.stdout.strip()))
    versions = Path("/usr/lib/postgresql").glob("*/bin")
    candidates += sorted(versions, key=lambda bindir: int(bindir.parent.name) if bindir.parent.name.isdigit() else 0,
                         reverse=True)
    if initdb := shutil.which("initdb"):
        candidates.append(Path(initdb).resolve().parent)
    for bindir in candidates:
        if all(os.access(bindir / program, os.X_OK) for program in ("initdb", "pg_ctl")):
            return bindir
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivatePostgres:
    """with PrivatePostgres(bindir) as server: server.url; server.stop("fast"); server.start(); server.restart()."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = _free_port()
        self.base = Path(tempfile.mkdtemp(prefix="sora-pg-"))
        self.data = self.base / "data"
        self.log = self.base / "server.log"
        self._as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def __enter__(self) -> PrivatePostgres:
        try:
            if self._as_user:
                try:
                    owner = pwd.getpwnam("postgres")
                except KeyError:
                    raise RuntimeError("initdb refuses to run as root, and there is no postgres user to run it as")
                os.chown(self.base, owner.pw_uid, owner.pw_gid)
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                      "--locale=C.UTF-8", "--no-sync")
            with (self.data / "postgresql.conf").open("a") as conf:
                conf.write(f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                           f"unix_socket_directories = '{self.base}'\nshared_buffers = '32MB'\n")
            self.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def start(self) -> None:
        self._run("pg_ctl", "start", "-D", str(self.data), "-l", str(self.log), "-w", "-t", str(TIMEOUT))

    def stop(self, mode: str) -> None:
        """mode "fast" ends every session and shuts down cleanly; "immediate" is a crash: the next start recovers."""
        self._run("pg_ctl", "stop", "-D", str(self.data), "-m", mode, "-w", "-t", str(TIMEOUT))

    def restart(self) -> None:
        """A fast shutdown and a start in one step, as an administrator restarts a server."""
        self._run("pg_ctl", "restart", "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w",
                  "-t", str(TIMEOUT))

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run([*self._as_user, str(self.bindir / program), *args], cwd=self.base,
                              capture_output=True, text=True, timeout=TIMEOUT + 30, check=False)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{program} {' '.join(args)} failed ({done.returncode}):\n"
                               f"{done.stdout}{done.stderr}\n{log}")
