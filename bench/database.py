"""A fresh benchmark database of its own, migrated: on the server of DATABASE_URL when
set, else in an embedded PostgreSQL under .data/<folder>."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def fresh_database(name: str, folder: str, database_url: str | None) -> dict[str, str]:
    """Drop and create database `name`, migrate it; the environment to run against it."""
    import psycopg
    from psycopg import sql

    from config import launcher, services

    env = dict(os.environ)
    if not database_url:
        os.environ["BAZARCHEH_DATA_DIR"] = str(ROOT / ".data" / folder)
        env["BAZARCHEH_DATA_DIR"] = os.environ["BAZARCHEH_DATA_DIR"]
        database_url = services.start_embedded_postgres()
    parts = urlsplit(database_url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        identifier = sql.Identifier(name)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(identifier))
    env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    env.update({"BAZARCHEH_DEV": "1", "DJANGO_SETTINGS_MODULE": "config.settings"})
    launcher.compile_translations()
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], check=True, env=env)
    return env
