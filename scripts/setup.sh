#!/usr/bin/env bash
# Prepare everything `make run` and `make test` need: system packages, .venv, Odoo 18.0,
# the pinned requirements and a working PostgreSQL. Idempotent: a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${VENV:-$ROOT/.venv}
ODOO_SRC=${ODOO_SRC:-/opt/odoo-18.0}
ODOO_GIT=${ODOO_GIT:-https://github.com/odoo/odoo.git}
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
WITH_CHROMIUM=${WITH_CHROMIUM:-0}
WITH_BACKUP_TOOLS=${WITH_BACKUP_TOOLS:-0}

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

apt_install() {
    # Install Debian packages only when missing; never prompts.
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        die "Missing system packages: ${missing[*]}. Install them (e.g. sudo apt-get install ${missing[*]})."
    fi
    say "apt-get install ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# 1. System packages. libpq-dev builds psycopg2; installing it can upgrade the PostgreSQL
#    server package under a running cluster, which then cannot load PL/pgSQL (see notes).
apt_install libpq-dev libjpeg-dev zlib1g-dev libxml2-dev libxslt1-dev
# The backup stack's tools, for the restore drill that `make test` runs (scripts/test_restore_drill.py).
[ "$WITH_BACKUP_TOOLS" = 1 ] && apt_install pgbackrest restic
[ "$WITH_CHROMIUM" = 1 ] && apt_install chromium fonts-noto-cjk
# Odoo prints its PDF reports (receipts, payment notices, QR posters) with wkhtmltopdf.
apt_install wkhtmltopdf fonts-noto-cjk
bash scripts/pg_check.sh

# 2. Odoo source.
if [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
    ALT="$ROOT/.odoo-src"
    if [ -f "$ALT/odoo/release.py" ]; then
        ODOO_SRC=$ALT
    else
        say "No Odoo tree at $ODOO_SRC; trying the upstream 18.0 branch"
        if git clone -q --depth 1 --branch 18.0 "$ODOO_GIT" "$ALT" 2>/dev/null; then
            ODOO_SRC=$ALT
        else
            rm -rf "$ALT"
            die "No Odoo 18.0 source found. Set ODOO_SRC to an Odoo 18.0 source tree (the folder holding odoo-bin), e.g. ODOO_SRC=/opt/odoo-18.0 make run"
        fi
    fi
fi
grep -q "version_info = (18, 0" "$ODOO_SRC/odoo/release.py" || die "$ODOO_SRC is not Odoo 18.0 (see odoo/release.py)"

# 3. Virtualenv and requirements, skipped when nothing changed.
STAMP="$VENV/.suite-stamp"
want=$(cat requirements.txt requirements-odoo.txt <(echo "$ODOO_SRC") | sha1sum | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
    say "virtualenv up to date"
else
    [ -x "$VENV/bin/python" ] || { say "creating $VENV"; "$PYTHON" -m venv "$VENV"; }
    PIP="$VENV/bin/pip"
    # pip warns about every empty local index folder on this machine: keep the log readable.
    pip() { "$PIP" "$@" 2> >(grep -v "^WARNING: Location" >&2); }
    pip install -q --disable-pip-version-check --no-warn-script-location "setuptools<70" wheel
    say "installing Odoo's requirements"
    pip install -q --disable-pip-version-check --no-warn-script-location -r requirements-odoo.txt
    say "installing Odoo 18.0 from $ODOO_SRC"
    pip install -q --disable-pip-version-check --no-warn-script-location --no-build-isolation --no-deps -e "$ODOO_SRC"
    say "installing the suite's requirements"
    pip install -q --disable-pip-version-check --no-warn-script-location -r requirements.txt
    echo "$want" > "$STAMP"
fi
echo "$ODOO_SRC" > "$VENV/.odoo-src"
say "ready: $("$VENV/bin/python" -c 'import odoo.release as r; print("Odoo", r.version)')"
