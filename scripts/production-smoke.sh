#!/usr/bin/env bash
# The production smoke (CI runs it after the tests): a fresh virtualenv outside the tree with `pip install .`
# only (no test extras), production settings, its own PostgreSQL database and Redis DB; migrate, collectstatic,
# seed the small demo, start gunicorn + a Celery worker + beat, then drive the platform over HTTP
# (scripts/production_smoke.py). Every process it starts is stopped on exit; any failing step fails the run.
#
# Plain HTTP on the loopback: SECURE_SSL_REDIRECT and the Secure flag of the session and CSRF cookies are turned
# off through their environment variables (config/settings/production.py); everything else is production's.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

PORT=${SMOKE_PORT:-8765}
DB_NAME=${SMOKE_DB_NAME:-sanfang_smoke}
PG=${SMOKE_PG:-postgres://postgres@127.0.0.1:5432}
REDIS=${SMOKE_REDIS_URL:-redis://127.0.0.1:6379/1}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sanfang-smoke.XXXXXX")
PIDS=()

stop_all() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 20); do
    local alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; done
  if [ "$status" != 0 ]; then
    for log in "$WORK"/log/*.log; do [ -f "$log" ] && { echo "--- $log (last lines)"; tail -n 40 "$log"; }; done
  fi
  dropdb -h 127.0.0.1 -U postgres --if-exists "$DB_NAME" 2>/dev/null || true
  rm -rf "$WORK"
  exit "$status"
}
trap stop_all EXIT INT TERM

say() { echo "[production-smoke] $*"; }

say "installing with 'pip install .' into $WORK/venv (no test extras)"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install --quiet --upgrade pip
# The tree is copied so that building the project leaves nothing in the working copy.
mkdir -p "$WORK/src" "$WORK/log"
tar -C "$ROOT" --exclude=./.venv --exclude=./var --exclude=./.git --exclude='*.egg-info' --exclude=./build -cf - . \
  | tar -C "$WORK/src" -xf -
"$WORK/venv/bin/python" -m pip install --quiet "$WORK/src"
if "$WORK/venv/bin/python" -c "import pytest" 2>/dev/null; then
  echo "pytest is importable: the production install pulled in a test extra" >&2; exit 1
fi

export DJANGO_SETTINGS_MODULE=config.settings.production
SECRET_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1,localhost
export CSRF_TRUSTED_ORIGINS="http://127.0.0.1:$PORT"
export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export DATABASE_URL="$PG/$DB_NAME" REDIS_URL="$REDIS" CELERY_BROKER_URL="$REDIS"
export VAR_DIR="$WORK/var" LOG_LEVEL=WARNING
unset DEBUG
PY="$WORK/venv/bin/python"
BIN="$WORK/venv/bin"

say "fresh database $DB_NAME and Redis $REDIS"
dropdb -h 127.0.0.1 -U postgres --if-exists "$DB_NAME"
createdb -h 127.0.0.1 -U postgres "$DB_NAME"
redis-cli -u "$REDIS" flushdb >/dev/null

cd "$WORK/src"
say "check --deploy, migrate, collectstatic, seed the small demo"
"$PY" manage.py check --deploy --fail-level ERROR
"$PY" manage.py migrate --no-input -v0
"$PY" manage.py collectstatic --no-input -v0
"$PY" manage.py seed_demo --scale small --if-empty >"$WORK/log/seed.log" 2>&1

say "starting gunicorn on 127.0.0.1:$PORT, a Celery worker and beat"
setsid "$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 \
  --access-logfile "$WORK/log/access.log" --error-logfile "$WORK/log/gunicorn.log" &
PIDS+=($!)
setsid "$BIN/celery" -A config worker --loglevel=INFO --concurrency=1 >"$WORK/log/worker.log" 2>&1 &
PIDS+=($!)
setsid "$BIN/celery" -A config beat --loglevel=INFO --schedule "$WORK/var/celerybeat-schedule" \
  >"$WORK/log/beat.log" 2>&1 &
PIDS+=($!)

for _ in $(seq 60); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 1
done

SMOKE_BASE_URL="http://127.0.0.1:$PORT" "$PY" "$ROOT/scripts/production_smoke.py"
say "passed"
