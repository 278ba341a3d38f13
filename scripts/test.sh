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

# The backup stack and the restore drill (scripts/test_restore_drill.py), on throwaway
# PostgreSQL clusters fed with a copy of the test database. Part of every full run (no
# TEST_TAGS); a targeted run includes it with RESTORE_DRILL=1.
DRILL=${RESTORE_DRILL:-auto}
[ "$DRILL" = auto ] && { [ -z "${TEST_TAGS:-}" ] && DRILL=1 || DRILL=0; }
extra=()
if [ "$DRILL" = 1 ]; then
    DRILL_LOG="${LOG%.log}-restore-drill.log"
    echo "[test] restore drill (log: $DRILL_LOG)"
    PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
    "$PY" "$ROOT/scripts/test_restore_drill.py" --db "$DB" --filestore "$LOGDIR/data-$DB/filestore/$DB" \
        --odoo-bin "$ODOO_SRC/odoo-bin" --odoo-conf "$CONF" --pg-bin "$PG_BIN" > "$DRILL_LOG" 2>&1
    extra=("$DRILL_LOG" "$?")
else
    echo "[test] restore drill not run: targeted run (TEST_TAGS set); RESTORE_DRILL=1 includes it"
fi
# The route-engine migration (scripts/test_route_migration.py, issue #14): a database built by the
# code before the engine (ROUTE_MIGRATION_OLD_DB, with its config ROUTE_MIGRATION_OLD_CONF) is
# upgraded by this checkout and compared. A full run builds that database itself from the last
# commit before the engine (git archive of ROUTE_MIGRATION_FROM into .test-logs/); a targeted run
# uses the database given, if any.
ROUTE_MIGRATION_FROM=${ROUTE_MIGRATION_FROM:-7f1afc4}
if [ -z "${ROUTE_MIGRATION_OLD_DB:-}" ] && [ -z "${TEST_TAGS:-}" ] && [ "${ROUTE_MIGRATION:-1}" = 1 ] \
    && git -C "$ROOT" cat-file -e "$ROUTE_MIGRATION_FROM^{commit}" 2>/dev/null; then
    OLD_SRC="$LOGDIR/routes-old-$DB"
    rm -rf "$OLD_SRC" && mkdir -p "$OLD_SRC"
    git -C "$ROOT" archive "$ROUTE_MIGRATION_FROM" | tar -x -C "$OLD_SRC"
    ln -s "$ROOT/.venv" "$OLD_SRC/.venv"
    echo "[test] building the pre-engine database from $ROUTE_MIGRATION_FROM (log: $OLD_SRC/build.log)"
    # its own log and port: this run's TEST_LOG / TEST_HTTP_PORT must not leak into the old build
    (cd "$OLD_SRC" && env -u TEST_HTTP_PORT -u RESTORE_DRILL KEEP_DB=1 ROUTE_MIGRATION=0 \
        ADDONS=property_security,property_workorder,property_security_workorder TEST_TAGS=/none \
        TEST_DB="${DB}_routes_old" TEST_LOG="$OLD_SRC/odoo-build.log" bash scripts/test.sh > "$OLD_SRC/build.log" 2>&1)
    ROUTE_MIGRATION_OLD_DB="${DB}_routes_old"
    ROUTE_MIGRATION_OLD_CONF="$OLD_SRC/.test-logs/odoo-test-${DB}_routes_old.conf"
fi
if [ -n "${ROUTE_MIGRATION_OLD_DB:-}" ] && [ -n "${ROUTE_MIGRATION_OLD_CONF:-}" ]; then
    MIG_LOG="${LOG%.log}-route-migration.log"
    echo "[test] route migration from $ROUTE_MIGRATION_OLD_DB (log: $MIG_LOG)"
    "$PY" "$ROOT/scripts/test_route_migration.py" --old-db "$ROUTE_MIGRATION_OLD_DB" \
        --old-conf "$ROUTE_MIGRATION_OLD_CONF" --conf "$CONF" --odoo-bin "$ODOO_SRC/odoo-bin" --python "$PY" \
        --db "${DB}_route_migration" --log "${LOG%.log}-route-migration-upgrade.log" > "$MIG_LOG" 2>&1
    extra+=("$MIG_LOG" "$?")
    [ -n "${OLD_SRC:-}" ] && { dropdb --if-exists "$ROUTE_MIGRATION_OLD_DB" >/dev/null 2>&1; rm -rf "$OLD_SRC"; }
fi
[ "${KEEP_DB:-0}" = 1 ] || dropdb --if-exists "$DB" >/dev/null 2>&1

exec "$PY" "$ROOT/scripts/test_report.py" "$LOG" "$rc" "${extra[@]}"
