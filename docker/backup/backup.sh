#!/bin/bash
# property-backup: the backup service's commands (docker/backup/backup.sh).
#   property-backup init                 create the pgBackRest stanza (every repository) and check archiving
#   property-backup full|diff|incr       a base backup of PostgreSQL, then the filestore
#   property-backup filestore            a filestore snapshot (restic), local then off-site
#   property-backup info                 what the repositories hold
#   property-backup schedule             the service's loop: full weekly, diff daily, incr hourly,
#                                        filestore every 5 minutes (all times local, TZ)
# WAL is archived continuously by PostgreSQL itself (archive_command = pgbackrest archive-push,
# archive_timeout 60 s): that, not the base backups, bounds the RPO.
# Settings (environment): PGBACKREST_STANZA (property), PGBACKREST_CONFIG, FILESTORE_PATH
# (/var/lib/odoo/filestore/property), RESTIC_REPOSITORY (/backup/filestore), RESTIC_PASSWORD,
# OFFSITE_RESTIC_REPOSITORY / OFFSITE_RESTIC_PASSWORD (off-site copy, optional), FULL_DAY (7 =
# Sunday), BACKUP_AT (01:30), INCR_EVERY_MIN (60), FILESTORE_EVERY_MIN (5), PG_OS_USER (postgres).
set -euo pipefail
export PGBACKREST_STANZA=${PGBACKREST_STANZA:-property}
FILESTORE_PATH=${FILESTORE_PATH:-/var/lib/odoo/filestore/property}
export RESTIC_REPOSITORY=${RESTIC_REPOSITORY:-/backup/filestore}
: "${RESTIC_PASSWORD:?set RESTIC_PASSWORD (the filestore repository key)}"
export RESTIC_PASSWORD
PG_OS_USER=${PG_OS_USER:-postgres}

log() { printf '%s [backup] %s\n' "$(date '+%F %T')" "$*"; }

as_pg() {
    # pgBackRest must run as the owner of the data directory.
    if [ "$(id -u)" = 0 ] && [ -n "$PG_OS_USER" ]; then runuser -u "$PG_OS_USER" -- "$@"; else "$@"; fi
}

restic_init() {
    # $1: repository, $2: password
    RESTIC_REPOSITORY=$1 RESTIC_PASSWORD=$2 restic cat config >/dev/null 2>&1 \
        || RESTIC_REPOSITORY=$1 RESTIC_PASSWORD=$2 restic init
}

filestore() {
    # Odoo's filestore is content-addressed (files named by their SHA-1, never rewritten), so a
    # snapshot taken after a database backup holds every file that backup refers to.
    [ -d "$FILESTORE_PATH" ] || { log "no filestore at $FILESTORE_PATH yet"; return 0; }
    restic_init "$RESTIC_REPOSITORY" "$RESTIC_PASSWORD"
    restic backup --quiet --tag filestore "$FILESTORE_PATH"
    if [ -n "${OFFSITE_RESTIC_REPOSITORY:-}" ]; then
        restic_init "$OFFSITE_RESTIC_REPOSITORY" "${OFFSITE_RESTIC_PASSWORD:?set OFFSITE_RESTIC_PASSWORD}"
        RESTIC_REPOSITORY=$OFFSITE_RESTIC_REPOSITORY RESTIC_PASSWORD=$OFFSITE_RESTIC_PASSWORD \
            restic backup --quiet --tag filestore "$FILESTORE_PATH"
    fi
    log "filestore snapshot of $FILESTORE_PATH done"
}

filestore_expire() {
    restic forget --quiet --tag filestore --keep-within "${FILESTORE_KEEP:-35d}" --prune
}

backup() {
    local type=$1 started
    started=$(date +%s)
    # every configured repository (the off-site one included)
    for repo in $(as_pg pgbackrest info --output=json | grep -o '"key":[0-9]*' | cut -d: -f2 | sort -u); do
        as_pg pgbackrest --repo="$repo" --type="$type" backup
    done
    filestore
    log "$type backup done in $(( $(date +%s) - started )) s"
}

schedule() {
    local full_day=${FULL_DAY:-7} at=${BACKUP_AT:-01:30} incr=${INCR_EVERY_MIN:-60} fs=${FILESTORE_EVERY_MIN:-5}
    local last_daily last_incr last_fs
    last_daily=$(date +%F); last_incr=$(date +%s); last_fs=0
    # a first full backup if the repository has none yet
    as_pg pgbackrest info --output=json | grep -q '"label":' || backup full
    while true; do
        now=$(date +%s)
        if [ "$(date +%H:%M)" \> "$at" ] && [ "$last_daily" != "$(date +%F)" ]; then
            if [ "$(date +%u)" = "$full_day" ]; then backup full; else backup diff; fi
            filestore_expire
            last_daily=$(date +%F); last_incr=$(date +%s)
        elif (( now - last_incr >= incr * 60 )); then
            backup incr; last_incr=$(date +%s)
        fi
        if (( $(date +%s) - last_fs >= fs * 60 )); then
            filestore; last_fs=$(date +%s)
        fi
        sleep 30
    done
}

case "${1:-}" in
    init)
        as_pg pgbackrest stanza-create
        as_pg pgbackrest check
        restic_init "$RESTIC_REPOSITORY" "$RESTIC_PASSWORD"
        ;;
    full|diff|incr) backup "$1" ;;
    filestore) filestore ;;
    info) as_pg pgbackrest info; restic snapshots --tag filestore --latest 3 ;;
    schedule)
        "$0" init
        schedule
        ;;
    *) sed -n '2,8p' "$0"; exit 2 ;;
esac
