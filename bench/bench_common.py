"""What every benchmark needs to start: an Odoo config with the suite's addons path, and a
fresh database with the addons under test installed (no demo data)."""

import subprocess
import sys
import time
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
