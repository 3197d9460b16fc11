"""A real PostgreSQL with PostGIS for tests: 127.0.0.1, a free port, stopped by its pid.

Debian's ``postgresql`` and ``postgresql-15-postgis-3`` (``make test`` installs
them).  The cluster lives in a temporary folder and is gone afterwards;
PostgreSQL refuses to run as root, so as root it runs as ``postgres``.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager

from tests.app_server import free_port, stop_group


def postgres_bin() -> str | None:
    """The folder of Debian's PostgreSQL programs (the newest), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    return os.path.dirname(found[-1]) if found else None


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres_server(*, timeout: float = 60):
    """Start a throwaway cluster; yield a function that makes a new empty database
    with PostGIS and returns its ``postgresql://`` URL."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql "
                           "postgresql-15-postgis-3 (make test does)")
    folder = tempfile.mkdtemp(prefix="covermap-pg-")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data = os.path.join(folder, "data")
    subprocess.run(_as_postgres([f"{bin_dir}/initdb", "-D", data, "-U", "covermap",
                                 "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    port = free_port()
    log = open(os.path.join(folder, "log"), "wb")
    process = subprocess.Popen(
        _as_postgres([f"{bin_dir}/postgres", "-D", data, "-p", str(port),
                      "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={folder}",
                      "-c", "fsync=off", "-c", "max_connections=50"]),
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"postgresql://covermap@127.0.0.1:{port}"
    made = []

    def new_database(name: str | None = None, *, template: str | None = None) -> str:
        """A new database with PostGIS, or a copy of ``template`` (a database's name)."""
        import psycopg

        name = name or f"store{len(made) + 1}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"'
                        + (f' TEMPLATE "{template}"' if template else ""))
        if not template:
            with psycopg.connect(f"{base}/{name}", autocommit=True) as con:
                con.execute("CREATE EXTENSION postgis")
        made.append(name)
        return f"{base}/{name}"

    try:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(f"{base}/postgres", connect_timeout=2).close()
                break
            except psycopg.OperationalError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    with open(os.path.join(folder, "log"), "rb") as seen:
                        raise RuntimeError("postgres did not start:\n"
                                           + seen.read().decode(errors="replace")) from None
                time.sleep(0.2)
        yield new_database
    finally:
        stop_group(process, timeout=20)             # SIGTERM: PostgreSQL's "smart" shutdown
        log.close()
        shutil.rmtree(folder, ignore_errors=True)
