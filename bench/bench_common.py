"""What every benchmark needs to start: an Odoo config with the suite's addons path, and a
fresh database with the addons under test installed (no demo data)."""

import os
import pwd
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def odoo_setup(workdir):
    """PostgreSQL connection defaults, Odoo's source on ``sys.path`` and a config written in
    ``workdir`` (a fixed one keeps the filestore of a database reused by a later run).
    Returns ``(odoo_src, conf)``."""
    os.environ.setdefault("PGHOST", "localhost")
    os.environ.setdefault("PGPORT", "5432")
    os.environ.setdefault("PGUSER", pwd.getpwuid(os.getuid()).pw_name)
    odoo_src = (ROOT / ".venv" / ".odoo-src").read_text().strip()
    if odoo_src not in sys.path:
        sys.path.insert(0, odoo_src)
    Path(workdir).mkdir(parents=True, exist_ok=True)
    return odoo_src, odoo_conf(workdir)


def odoo_conf(workdir):
    """Write an Odoo config with the suite's addons path, as the test scripts do."""
    conf = Path(workdir) / "bench.conf"
    subprocess.run(
        ["bash", "-c", f'source "{ROOT}/scripts/odoo_env.sh" && write_odoo_conf "{conf}" "{workdir}/data"'],
        check=True,
    )
    return conf


def create_database(conf, db, odoo_src, modules):
    """Drop ``db`` and create it with ``modules`` (comma-separated) installed; return seconds."""
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            f"{odoo_src}/odoo-bin",
            "-c",
            str(conf),
            "-d",
            db,
            "-i",
            modules,
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            "--http-port",
            "0",
        ],
        check=True,
    )
    return time.perf_counter() - started


def give_every_unit_an_owner(env, units):
    """Benchmarks bill every unit: unsold units of the generated data get an owner too."""
    without_payer = units.filtered(lambda u: not u.occupancy_ids.filtered(lambda o: o.role == "owner"))
    partners = env["res.partner"].create([{"name": f"业主{u.code}"} for u in without_payer])
    env["property.occupancy"].create(
        [
            {
                "unit_id": u.id,
                "partner_id": p.id,
                "role": "owner",
                "share": 100.0,
                "date_start": date(2020, 1, 1),
            }
            for u, p in zip(without_payer, partners, strict=True)
        ]
    )
    return without_payer
