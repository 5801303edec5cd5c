"""One-command start and test: `python -m config.launcher run|test [pytest args]`.

`run` starts the embedded PostgreSQL (unless DATABASE_URL is set) and the embedded Redis
as the broker (unless CELERY_BROKER_URL or REDIS_URL is set), migrates, loads the demo
data once, then runs the web server, a Celery worker and the beat scheduler until
Ctrl-C, which stops every process it started, the embedded servers included. A worker,
the scheduler or the embedded Redis that dies is started again (config.supervisor); the
web server ending stops everything. `test` runs the whole pytest suite on the embedded
PostgreSQL and Redis, or on DATABASE_URL and REDIS_URL when set.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from config import services
from config.supervisor import Service, Supervisor

ROOT = Path(__file__).resolve().parent.parent


def compile_translations() -> None:
    """Build .mo catalogues from the committed .po files (no gettext tools needed)."""
    import polib

    for po_path in ROOT.glob("locale/*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


def prepare_environment(*, dev: bool) -> bool:
    """Set up the environment; True when it started (or joined) the embedded PostgreSQL.
    With no broker configured it starts the embedded Redis (`stop_embedded_redis` stops
    it): the development one keeps its queue across runs; the test run's starts empty,
    so no message of a test ever reaches the development worker."""
    os.environ.setdefault("BAZARCHEH_DATA_DIR", str(services.data_dir()))
    embedded = not os.environ.get("DATABASE_URL")
    if embedded:
        os.environ["DATABASE_URL"] = services.start_embedded_postgres()
    if not (os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL")):
        # Not exported as CELERY_BROKER_URL: Celery would let that variable override the
        # broker a test points the app at. The settings find the server by the data folder.
        folder = services.embedded_redis_dir(testing=not dev)
        if not dev:
            shutil.rmtree(folder, ignore_errors=True)
        services.start_embedded_redis(folder)
    if dev:
        os.environ.setdefault("BAZARCHEH_DEV", "1")
        os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    (Path(os.environ["BAZARCHEH_DATA_DIR"]) / "static").mkdir(parents=True, exist_ok=True)
    compile_translations()
    return embedded


def manage(*args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)


def run() -> int:
    embedded = prepare_environment(dev=True)
    try:
        return serve()
    finally:
        services.stop_embedded_redis(services.embedded_redis_dir())
        # The embedded PostgreSQL package stops only the server process it saw start, so a
        # database restarted by hand meanwhile would outlive Ctrl-C without this.
        if embedded:
            services.stop_embedded_postgres()


def serve() -> int:
    port = os.environ.get("PORT", "8000")
    host = os.environ.get("HOST", "127.0.0.1")
    manage("migrate", "--noinput")
    manage("load_demo_data")
    manage("ensure_operator")
    data = Path(os.environ["BAZARCHEH_DATA_DIR"])
    commands = {
        "web": [sys.executable, "manage.py", "runserver", f"{host}:{port}", "--noreload"],
        "worker": [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            os.environ.get("WORKER_CONCURRENCY", "2"),
        ],
        "beat": [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(data / "celerybeat-schedule"),
        ],
    }
    supervisor = Supervisor(
        [
            Service("web", commands["web"], essential=True),
            Service("worker", commands["worker"]),
            Service("beat", commands["beat"]),
        ],
        cwd=ROOT,
    )
    redis = services.embedded_redis_process()
    if redis is not None:
        # Started before the migrations, which publish jobs: kept running from here on
        # (the outbox's sweep sends what was published while it was down).
        folder = services.embedded_redis_dir().resolve()
        command = services.embedded_redis_command(folder)
        launch = functools.partial(services.launch_embedded_redis, folder)
        supervisor.adopt(Service("redis", command, stops_last=True, launch=launch), redis)
    supervisor.start()
    print(f"\nBazarcheh is serving on http://{host}:{port}/  (GraphQL: /graphql/, admin: /admin/)")
    print("Ctrl-C stops the web server, the worker, the scheduler and the database.\n")

    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        return supervisor.run(lambda: stopping)
    finally:
        supervisor.stop()


def test(args: list[str]) -> int:
    os.environ["BAZARCHEH_TESTING"] = "1"
    prepare_environment(dev=False)
    try:
        result = subprocess.run([sys.executable, "-m", "pytest", *args], cwd=ROOT)
    finally:
        services.stop_embedded_redis(services.embedded_redis_dir(testing=True))
    return result.returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test"}:
        print("usage: python -m config.launcher run | test [pytest arguments]")
        return 2
    if argv[0] == "run":
        return run()
    return test(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
