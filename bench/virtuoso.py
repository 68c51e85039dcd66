"""A real OpenLink Virtuoso server for the tests and the benchmark, started in a temporary folder on free loopback ports.

Debian's ``virtuoso-opensource`` package gives ``virtuoso-t`` and ``isql-vt`` (`.ci/run` installs
it). The server runs in the foreground under a minimal ``virtuoso.ini`` written here; the ``dba``
password is set to a fresh random one at start (it is handed to the tests, never written to a
file), and the server is stopped with its own shutdown (``isql-vt PORT dba PASSWORD -K``), since it
can take a long time over SIGTERM.
"""
from __future__ import annotations

import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

INI = """\
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {folder}/virtuoso-temp.db
TransactionFile    = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 0
CaseMode             = 2
DirsAllowed          = ., {folder}
NumberOfBuffers      = {buffers}
MaxDirtyBuffers      = {dirty}
MaxQueryMem          = 1G
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {folder}
MaxClientConnections = 10
ServerThreads        = 10
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryExecutionTime      = 300
MaxQueryCostEstimationTime = 0
"""

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Virtuoso:
    """A running server: its SPARQL query URL, Graph Store URL (digest authentication) and dba login."""

    folder: Path
    sql_port: int
    http_port: int
    password: str
    process: subprocess.Popen

    @property
    def sparql_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def graph_store_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud-auth"

    def isql(self, statement: str, password: str | None = None) -> str:
        done = subprocess.run([ISQL, str(self.sql_port), "dba", password or self.password, f"exec={statement}"],
                              capture_output=True, text=True, timeout=120)
        if done.returncode != 0 or "*** Error" in done.stdout:
            raise RuntimeError(f"isql-vt failed: {done.stdout[-500:]} {done.stderr[-500:]}")
        return done.stdout

    def stop(self) -> None:
        if self.process.poll() is None:
            subprocess.run([ISQL, str(self.sql_port), "dba", self.password, "-K"], capture_output=True, timeout=60)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(folder: Path, buffers: int = 85000) -> Virtuoso:
    """Start a server storing its database in ``folder`` (made if missing); ready when this returns."""
    if not (VIRTUOSO and ISQL):
        raise FileNotFoundError("virtuoso-t and isql-vt are not installed (apt-get install virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = _free_port(), _free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(folder=folder, sql_port=sql_port, http_port=http_port, buffers=buffers,
                              dirty=buffers * 3 // 4), encoding="utf-8")
    log = open(folder / "stdout.log", "wb")
    process = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(ini)], cwd=folder,
                               stdout=log, stderr=subprocess.STDOUT)
    server = Virtuoso(folder, sql_port, http_port, "dba", process)
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited at start: {(folder / 'virtuoso.log').read_text(errors='replace')[-800:]}")
        try:
            with urllib.request.urlopen(server.sparql_url + "?query=ASK%7B%7D", timeout=5):
                break
        except (urllib.error.URLError, ConnectionError, OSError):
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError("virtuoso-t did not answer within 120 s")
            time.sleep(0.5)
    # isql-vt reads the password as an identifier: a letter, then letters and digits
    password = "k" + secrets.token_hex(16)
    server.isql(f"set password dba {password};", password="dba")
    server.password = password
    return server


def comparable_rows(rows, lists: tuple[int, ...] = ()) -> list[tuple]:
    """Rows of one query from two engines, made comparable: numbers by value (Virtuoso writes 3.0 as 3
    and true as 1), the GROUP_CONCAT columns at ``lists`` as sorted words (SPARQL leaves their order to
    the engine), the rows sorted."""
    def cell(value):
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, (int, float)):
            return Decimal(str(value)).normalize()
        try:
            return Decimal(value).normalize() if value.replace(".", "", 1).lstrip("-").isdigit() else value
        except (InvalidOperation, AttributeError):
            return value
    return sorted((tuple(" ".join(sorted(str(v).split())) if i in lists else cell(v) for i, v in enumerate(row))
                   for row in rows), key=repr)


def concatenated_columns(sparql: str, columns: list[str]) -> tuple[int, ...]:
    """The positions of the columns a query fills with GROUP_CONCAT."""
    names = set(re.findall(r"GROUP_CONCAT\([^()]*\)\s+AS\s+\?(\w+)", sparql, re.I))
    return tuple(i for i, column in enumerate(columns) if column in names)
