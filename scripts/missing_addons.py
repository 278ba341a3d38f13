"""Print, comma-separated, the addons of the list that are not installed in the database."""

import sys

import psycopg2

db, addons = sys.argv[1], [a for a in sys.argv[2].split(",") if a]
try:
    conn = psycopg2.connect(dbname=db)
except psycopg2.OperationalError:
    print(",".join(addons))  # no database yet: everything is missing
    sys.exit(0)
with conn, conn.cursor() as cr:
    cr.execute("SELECT to_regclass('ir_module_module')")
    installed = set()
    if cr.fetchone()[0]:
        cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed'")
        installed = {r[0] for r in cr.fetchall()}
print(",".join(a for a in addons if a not in installed))
