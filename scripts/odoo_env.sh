# Sourced by the run and test scripts: paths, the suite's addons and an Odoo config file.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
PY="$VENV/bin/python"
ODOO_SRC=$(cat "$VENV/.odoo-src")
SITE=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
export PGHOST=${PGHOST:-localhost} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-$(id -un)}
export PGPASSWORD=${PGPASSWORD:-}
HTTP_PORT=${HTTP_PORT:-8069}
# Every installable addon of the suite, in dependency-free order (Odoo sorts them).
SUITE_ADDONS=$(cd "$ROOT/addons" && for d in */; do d=${d%/}; [ -f "$d/__manifest__.py" ] && \
    "$PY" -c "import ast,sys; m=ast.literal_eval(open('$d/__manifest__.py').read()); sys.exit(0 if m.get('installable', True) else 1)" && echo "$d"; done | paste -sd, -)

ADDONS_PATH="$ROOT/addons,$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$SITE/odoo/addons"

write_odoo_conf() {
    # $1: config path, $2: data dir
    cat > "$1" <<CONF
[options]
addons_path = $ADDONS_PATH
data_dir = $2
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
db_password = ${PGPASSWORD:-False}
http_port = $HTTP_PORT
server_wide_modules = base,web,queue_job
list_db = False
proxy_mode = False
without_demo = False
max_cron_threads = 1
limit_time_real = 1200
limit_time_cpu = 600

[queue_job]
channels = root:2
CONF
}
