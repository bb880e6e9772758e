"""gunicorn's settings, for production (docker-compose.yml) and the benchmarks alike: `gunicorn -c config/gunicorn.py`.

Threads in each worker (gthread): a request that waits on its COMMIT's WAL flush (the 201 means committed:
synchronous_commit stays on) leaves the worker's CPU to the other threads, and PostgreSQL flushes the commits
that wait at the same moment together (group commit). With sync workers at most one commit per worker is in
flight, so on a disk whose flush takes milliseconds the petition create was bound by the flush, not the CPU
(benchmarks/README.md, peer benchmark). Each thread keeps its own PostgreSQL connection (CONN_MAX_AGE):
workers × threads connections."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
