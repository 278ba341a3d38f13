"""``odoo-bin --addons-path=… iot_bridge -c odoo.conf -d <db>``: run the MQTT bridge.

Options come from the command line, else from an ``[iot_bridge]`` section of the Odoo
configuration file, else from the environment (``IOT_MQTT_HOST``, ``IOT_MQTT_PASSWORD``…).
"""

import argparse
import contextlib
import logging
import os
import signal
import sys
import time

from odoo.cli import Command
from odoo.tools import config

from ..services.bridge import DEFAULT_TOPIC, Bridge

_logger = logging.getLogger(__name__)

OPTIONS = [
    ("mqtt_host", str, "localhost", "broker host"),
    ("mqtt_port", int, 1883, "broker port"),
    ("mqtt_username", str, None, "broker user"),
    ("mqtt_password", str, None, "broker password"),
    ("client_id", str, "odoo-iot-bridge", "MQTT client id: stable, it names the persistent session"),
    ("topic", str, DEFAULT_TOPIC, "topic filter"),
    ("share_group", str, None, "MQTT 5 shared subscription group ($share/<group>/<topic>)"),
    ("batch_size", int, 2000, "messages per batch at most"),
    ("batch_ms", int, 200, "longest wait for a batch to fill, in milliseconds"),
    ("session_expiry", int, 86400, "MQTT session expiry interval in seconds"),
    ("park_after", int, 5, "deliveries of an unacknowledged message before it is parked"),
    ("workers", int, 1, "bridge processes sharing the load through a shared subscription"),
]


class IotBridge(Command):
    """Run the property_iot MQTT bridge: device messages to PostgreSQL in batches"""

    name = "iot_bridge"

    def run(self, cmdargs):
        parser = argparse.ArgumentParser(
            prog=f"{os.path.basename(sys.argv[0])} iot_bridge",
            description=self.__doc__,
            epilog="Other options (-c, -d, --db_host…) are Odoo's.",
        )
        for name, kind, _default, help_text in OPTIONS:
            parser.add_argument("--" + name.replace("_", "-"), dest=name, type=kind, help=help_text)
        opts, odoo_args = parser.parse_known_args(cmdargs)
        config.parse_config(odoo_args, setup_logging=True)
        dbnames = (
            config["db_name"] if isinstance(config["db_name"], list) else (config["db_name"] or "").split(",")
        )
        dbnames = [d for d in dbnames if d]
        if len(dbnames) != 1:
            sys.exit("iot_bridge needs exactly one database: -d <db>")
        settings = {}
        for name, kind, default, _help in OPTIONS:
            value = getattr(opts, name)
            if value is None:
                value = config.get_misc("iot_bridge", name, os.environ.get("IOT_" + name.upper()))
            settings[name] = kind(value) if value is not None else default
        workers = max(1, settings["workers"])
        if workers > 1:
            # several processes: each its own persistent session, the broker shares the messages
            settings["share_group"] = settings["share_group"] or "odoo-iot"
            return self._supervise(dbnames[0], settings, workers)
        self._run_bridge(dbnames[0], settings, settings["client_id"])
        return None

    def _make_bridge(self, dbname, settings, client_id):
        return Bridge(
            dbname,
            host=settings["mqtt_host"],
            port=settings["mqtt_port"],
            username=settings["mqtt_username"],
            password=settings["mqtt_password"],
            client_id=client_id,
            topic=settings["topic"],
            share_group=settings["share_group"],
            batch_size=settings["batch_size"],
            batch_ms=settings["batch_ms"],
            session_expiry=settings["session_expiry"],
            park_after=settings["park_after"],
        )

    def _run_bridge(self, dbname, settings, client_id):
        bridge = self._make_bridge(dbname, settings, client_id)
        signal.signal(signal.SIGTERM, bridge.stop)
        signal.signal(signal.SIGINT, bridge.stop)
        _logger.info("iot_bridge %s starting on database %s, topic %s", client_id, dbname, bridge.topic)
        bridge.run()
        _logger.info("iot_bridge %s stopped", client_id)

    def _spawn(self, dbname, settings, index):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            try:
                self._run_bridge(dbname, settings, f"{settings['client_id']}-{index}")
            finally:
                os._exit(0)
        return pid

    def _supervise(self, dbname, settings, workers):
        """Fork the workers; restart one that dies; forward SIGTERM/SIGINT to all of them.
        Each worker keeps its client id (``<client_id>-<n>``) and so its persistent session."""
        stopping = []
        children = {self._spawn(dbname, settings, i): i for i in range(workers)}

        def stop(*_args):
            stopping.append(True)
            for pid in children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            index = children.pop(pid, None)
            if index is not None and not stopping:
                _logger.error("iot_bridge worker %s exited (%s), restarting it", index, status)
                time.sleep(1)
                children[self._spawn(dbname, settings, index)] = index
