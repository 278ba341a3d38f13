#!/usr/bin/env bash
# `make run`: a demo database with every addon of the suite, served on http://localhost:$HTTP_PORT.
set -euo pipefail
source "$(dirname "$0")/odoo_env.sh"
DB=${DB:-property_demo}
SUITE_ADDONS=${ADDONS:-$SUITE_ADDONS}
CONF="$ROOT/.odoo.conf"
write_odoo_conf "$CONF" "$ROOT/.data"
ODOO=("$PY" "$ODOO_SRC/odoo-bin" -c "$CONF")

missing=$("$PY" "$ROOT/scripts/missing_addons.py" "$DB" "$SUITE_ADDONS")
if [ -n "$missing" ]; then
    echo "[run] installing into database $DB (with demo data): $missing"
    "${ODOO[@]}" -d "$DB" -i "$missing" --load-language=zh_CN --stop-after-init --log-level=warn
else
    echo "[run] database $DB is ready"
fi
# history for the demo (past months of bills, payments, rated requests, readings): once, a marker
# parameter makes later starts add nothing; not demo data, so the test database stays as it is
if [[ ",$SUITE_ADDONS," == *",property_cockpit,"* ]]; then
    echo 'env["property.cockpit"]._generate_demo_history(months=int("'"${DEMO_MONTHS:-12}"'")); env.cr.commit()' |
        "$PY" "$ODOO_SRC/odoo-bin" shell -c "$CONF" -d "$DB" --no-http --log-level=warn > /dev/null
fi

cat <<MSG

  Property suite on http://localhost:$HTTP_PORT  (database $DB)

  login            password      role
  admin            admin         administrator (全部权限)
  manager          manager       property manager (物业经理)
  frontdesk        frontdesk     front desk / service staff (客服前台)
  technician       technician    technician (维修技工)
  accountant       accountant    accountant (财务)
  guard            guard         security guard (安保)
  resident         resident      resident, on the website portal (/my)

MSG
# The IoT bridge (property_iot) runs beside the server: MQTT on ${IOT_MQTT_HOST:-localhost}:1883.
if [[ ",$SUITE_ADDONS," == *",property_iot,"* ]] && [ "${IOT_BRIDGE:-1}" = 1 ]; then
    mkdir -p "$ROOT/.data"
    "$PY" "$ODOO_SRC/odoo-bin" --addons-path="$ADDONS_PATH" iot_bridge -c "$CONF" -d "$DB" --workers 2 \
        > "$ROOT/.data/iot-bridge.log" 2>&1 &
    bridge=$!
    trap 'kill "$bridge" 2>/dev/null' EXIT
    echo "  IoT bridge started (log: .data/iot-bridge.log); IOT_BRIDGE=0 make run to go without it"
    echo
fi
"${ODOO[@]}" -d "$DB" --db-filter="^$DB\$" "$@"
