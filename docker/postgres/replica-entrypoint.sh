#!/bin/bash
# Read replica (profile "scale"): on an empty data directory, clone the primary with
# pg_basebackup through a replication slot and write standby.signal (-R), then run the
# image's normal entrypoint. The primary keeps at most max_slot_wal_keep_size of WAL for it.
set -euo pipefail
: "${PRIMARY_HOST:=db}" "${REPLICATION_PASSWORD:?set REPLICATION_PASSWORD}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    install -d -o postgres -g postgres -m 0700 "$PGDATA"
    until pg_isready -h "$PRIMARY_HOST" -q; do sleep 2; done
    PGPASSWORD="$REPLICATION_PASSWORD" gosu postgres pg_basebackup -h "$PRIMARY_HOST" -U replicator \
        -D "$PGDATA" -X stream -c fast -R -C -S "${REPLICA_SLOT:-replica1}" --no-password
fi
exec docker-entrypoint.sh "$@"
