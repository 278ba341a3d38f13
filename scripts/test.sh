#!/usr/bin/env bash
# `make test`: a fresh database, every addon of the suite installed, all their tests
# (at_install and post_install) run. Fails on any failed test and on any WARNING, ERROR or
# CRITICAL line in the Odoo log. The last line is "N passed, N failed".
set -uo pipefail
source "$(dirname "$0")/odoo_env.sh"
DB=${TEST_DB:-property_test_$$}
ADDONS=${ADDONS:-$SUITE_ADDONS}
TAGS=${TEST_TAGS:-$(echo "$ADDONS" | tr ',' '\n' | sed 's#^#/#' | paste -sd, -)}
LOGDIR="$ROOT/.test-logs"; mkdir -p "$LOGDIR"
LOG=${TEST_LOG:-$LOGDIR/odoo-test.log}
CONF="$LOGDIR/odoo-test-$DB.conf"
HTTP_PORT=${TEST_HTTP_PORT:-$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
write_odoo_conf "$CONF" "$LOGDIR/data-$DB"

dropdb --if-exists "$DB" >/dev/null 2>&1
echo "[test] database $DB, addons: $ADDONS"
echo "[test] tags: $TAGS  (log: $LOG)"
"$PY" "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$DB" -i "$ADDONS" --test-enable --test-tags "$TAGS" \
    --stop-after-init --http-port "$HTTP_PORT" --log-level=test --logfile= > "$LOG" 2>&1
rc=$?
[ "${KEEP_DB:-0}" = 1 ] || dropdb --if-exists "$DB" >/dev/null 2>&1

exec "$PY" "$ROOT/scripts/test_report.py" "$LOG" "$rc"
