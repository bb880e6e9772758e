#!/usr/bin/env bash
# Starts the web server with a Celery worker and beat beside it; Ctrl-C stops all three.
set -euo pipefail
BIN=${BIN:-.venv/bin}
PORT=${PORT:-8000}
mkdir -p var/log
"$BIN/celery" -A config worker --loglevel=INFO --concurrency=1 >var/log/worker.log 2>&1 &
worker=$!
"$BIN/celery" -A config beat --loglevel=INFO --schedule var/celerybeat-schedule >var/log/beat.log 2>&1 &
beat=$!
trap 'kill $worker $beat 2>/dev/null || true' EXIT INT TERM
cat <<MSG

  Platform: http://127.0.0.1:$PORT/        (residents' portal)
  Admin:    http://127.0.0.1:$PORT/admin/  (staff)
  API:      http://127.0.0.1:$PORT/api/docs/
  Worker and beat logs: var/log/worker.log, var/log/beat.log
  Logins: printed above by seed_demo (run "$BIN/python manage.py seed_demo --help" to reseed elsewhere);
  password of every demo login: demo-pass-2026

MSG
"$BIN/python" manage.py runserver "127.0.0.1:$PORT"
