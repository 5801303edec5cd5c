"""The servers a load benchmark runs against, and the CPU each one uses.

The marketplace is gunicorn (bench/catalog_bench.start_server). For online payments a
real gateway's payment page and API run on the gateway's machines, not ours: here the
built-in sandbox gateway can run as a server of its own (start_gateway), so what the
marketplace spends per paid checkout is measured apart from what the gateway spends,
and the marketplace reaches the gateway over HTTP as it would in production.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# The gateway server's PostgreSQL connections carry this name, so their backends'
# CPU is told apart from the marketplace's.
GATEWAY_APPLICATION = "bazarcheh-gateway"
GATEWAY_WORKERS = 2


def cpu_of(pid: int) -> float:
    """User + system CPU seconds of a process (0 when it is gone or not on this host)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu(master: int) -> float:
    """CPU seconds of a gunicorn master and its workers."""
    pids = [master]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return sum(cpu_of(pid) for pid in pids)


def with_application_name(database_url: str, name: str) -> str:
    parts = urlsplit(database_url)
    query = dict(parse_qsl(parts.query))
    query["application_name"] = name
    return urlunsplit(parts._replace(query=urlencode(query)))


@dataclass
class Usage:
    """CPU seconds so far: the marketplace's gunicorn and PostgreSQL backends, and the
    gateway server's (zero when the gateway runs inside the marketplace)."""

    app: float = 0.0
    database: float = 0.0
    gateway: float = 0.0

    def __sub__(self, other: Usage) -> Usage:
        return Usage(
            self.app - other.app, self.database - other.database, self.gateway - other.gateway
        )


@dataclass
class Servers:
    database_url: str
    database: str
    marketplace: int = 0
    gateway: int = 0
    # The marketplace's port on 127.0.0.1.
    port: int = 0

    def usage(self) -> Usage:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            backends = conn.execute(
                "SELECT pid, application_name FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [self.database],
            ).fetchall()
        ours = sum(cpu_of(pid) for pid, name in backends if name != GATEWAY_APPLICATION)
        theirs = sum(cpu_of(pid) for pid, name in backends if name == GATEWAY_APPLICATION)
        gateway = tree_cpu(self.gateway) + theirs if self.gateway else 0.0
        return Usage(tree_cpu(self.marketplace), ours, gateway)


def start_gateway(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """The sandbox gateway as a server of its own (the same code, its own gunicorn and
    database connections); returns the process and its origin."""
    from bench.catalog_bench import start_server

    gateway_env = {
        **env,
        "PAYMENT_SANDBOX": "1",
        "WEB_CONCURRENCY": str(GATEWAY_WORKERS),
        "DATABASE_URL": with_application_name(env["DATABASE_URL"], GATEWAY_APPLICATION),
    }
    return start_server(gateway_env, cache_seconds=0)


def marketplace_env(env: dict[str, str], *, port: int, gateway: str | None) -> dict[str, str]:
    """The marketplace's settings for the sandbox gateway: served in process (as in
    `make run`) when `gateway` is None, else reached at that origin over HTTP."""
    extra = {"PAYMENT_SANDBOX": "1"}
    if gateway:
        extra.update(
            {
                "SANDBOX_API_BASE": f"{gateway}/payments/sandbox",
                "SANDBOX_PUBLIC_URL": gateway,
                "PAYMENT_PUBLIC_URL": f"http://127.0.0.1:{port}",
            }
        )
    return {**env, **extra}
