#!/usr/bin/env bash
# Schemathesis over the whole API (docs/security.md): every operation, as a resident and as a street office, all
# checks, a fixed seed and a bounded number of examples. Fails on any server error or schema violation.
#
# Needs DATABASE_URL to point at PostgreSQL: the run gets a database of its own beside it
# (…/sanfang_schemathesis, made anew and seeded with the small demo), since the run writes (petitions, meetings…).
# The server is gunicorn on a loopback port with the test settings (DEBUG off, Celery tasks run in place).
# Seed and size: SCHEMATHESIS_SEED (2026) and SCHEMATHESIS_EXAMPLES (examples per operation and phase, 3).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
PORT=${SCHEMATHESIS_PORT:-18613}
SEED=${SCHEMATHESIS_SEED:-2026}
EXAMPLES=${SCHEMATHESIS_EXAMPLES:-3}
REPORTS=${SCHEMATHESIS_REPORTS:-var/schemathesis}

: "${DATABASE_URL:?DATABASE_URL must point at PostgreSQL}"
DB_NAME=sanfang_schemathesis
export DATABASE_URL="${DATABASE_URL%/*}/$DB_NAME"
export DJANGO_SETTINGS_MODULE=config.settings.test
PGURL="${DATABASE_URL%/*}/postgres"
psql -q "$PGURL" -c "DROP DATABASE IF EXISTS $DB_NAME" -c "CREATE DATABASE $DB_NAME"

"$BIN/python" manage.py migrate --no-input -v0
"$BIN/python" manage.py seed_demo --scale small >/dev/null
tokens=$("$BIN/python" manage.py shell --no-imports -c "
from django.contrib.auth import get_user_model
from core.tokens import issue_token
print(' '.join(issue_token(get_user_model().objects.get(username=u)).key for u in ('resident', 'street_office')))")
read -r resident_token street_token <<<"$tokens"

mkdir -p "$REPORTS"
if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then
  echo "Something already answers on port $PORT: set SCHEMATHESIS_PORT." >&2
  exit 1
fi
# No request-line limit: gunicorn's own 414 (an HTML page) is the reverse proxy's business in production.
"$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 --limit-request-line 0 \
  >"$REPORTS/gunicorn.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 60); do
  kill -0 $server 2>/dev/null || { echo "gunicorn did not start (see $REPORTS/gunicorn.log)." >&2; exit 1; }
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break
  sleep 1
done

status=0
for who in resident street_office; do
  token=$resident_token
  [ "$who" = street_office ] && token=$street_token
  echo "== schemathesis as $who (seed $SEED, $EXAMPLES examples per operation and phase)"
  "$BIN/schemathesis" --config-file scripts/schemathesis.toml run "http://127.0.0.1:$PORT/api/schema/?format=json" \
    --header "Authorization: Token $token" \
    --checks all --seed "$SEED" --max-examples "$EXAMPLES" \
    --workers 2 --request-timeout 30 --no-color --suppress-health-check all \
    --report junit --report-junit-path "$REPORTS/$who.xml" || status=1
done
if grep -q "Traceback" "$REPORTS/gunicorn.log"; then
  echo "The server logged a traceback (see $REPORTS/gunicorn.log)."
  status=1
fi
exit $status
