"""gunicorn settings of the web process (Dockerfile, docker-compose.yml, benchmarks).

Sync workers, one more than the CPUs: a worker waiting on PostgreSQL leaves its CPU
idle unless another worker has a request to run. On 2 CPUs, 3 workers completed about
5% more checkouts per second than 2 (bench/checkout_bench.py). WEB_CONCURRENCY sets the
number, e.g. where a container sees more CPUs than it may use.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY") or len(os.sched_getaffinity(0)) + 1)
bind = os.environ.get("WEB_BIND", "0.0.0.0:8000")
