"""What every benchmark needs to start: an Odoo config with the suite's addons path, and a
fresh database with the addons under test installed (no demo data)."""

import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
