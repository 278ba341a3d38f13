#!/bin/bash
# First start of the primary only (docker-entrypoint-initdb.d): the role the read replica
# streams with, allowed from the compose network. Its password comes from REPLICATION_PASSWORD.
set -euo pipefail
if [ -z "${REPLICATION_PASSWORD:-}" ]; then
    echo "init-replication: REPLICATION_PASSWORD is empty, no replication role created" >&2
    exit 0
fi
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v pw="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'pw';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
