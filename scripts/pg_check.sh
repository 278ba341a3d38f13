#!/usr/bin/env bash
# PostgreSQL must be reachable and able to run PL/pgSQL. When a package upgrade replaced the
# server's binaries under a running local cluster, the old server fails with "undefined symbol"
# on PL/pgSQL; restarting the cluster cures it (shared/ODOO18-NOTES.md).
set -uo pipefail
export PGHOST=${PGHOST:-localhost} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-$(id -un)}
if ! psql -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    echo "[setup] PostgreSQL is not reachable at $PGHOST:$PGPORT as $PGUSER. Set PGHOST/PGPORT/PGUSER/PGPASSWORD." >&2
    exit 1
fi
if ! psql -d postgres -Atqc 'DO $$BEGIN END$$' >/dev/null 2>&1; then
    if command -v pg_ctlcluster >/dev/null && [ "$(id -u)" = 0 ]; then
        ver=$(ls /etc/postgresql | sort -V | tail -1)
        echo "[setup] PL/pgSQL is broken (server binaries were upgraded under it); restarting cluster $ver/main"
        pg_ctlcluster --skip-systemctl-redirect "$ver" main restart
        sleep 2
    fi
    psql -d postgres -Atqc 'DO $$BEGIN END$$' >/dev/null || { echo "[setup] PL/pgSQL does not work on this PostgreSQL" >&2; exit 1; }
fi
exit 0
