"""``odoo-bin --addons-path=… iot_bridge -c odoo.conf -d <db>``: run the MQTT bridge.

Options come from the command line, else from an ``[iot_bridge]`` section of the Odoo
configuration file, else from the environment (``IOT_MQTT_HOST``, ``IOT_MQTT_PASSWORD``…).
"""

import argparse
import logging
import os
import signal
import sys

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
        bridge = Bridge(
            dbnames[0],
            host=settings["mqtt_host"],
            port=settings["mqtt_port"],
            username=settings["mqtt_username"],
            password=settings["mqtt_password"],
            client_id=settings["client_id"],
            topic=settings["topic"],
            share_group=settings["share_group"],
            batch_size=settings["batch_size"],
            batch_ms=settings["batch_ms"],
            session_expiry=settings["session_expiry"],
        )
        signal.signal(signal.SIGTERM, bridge.stop)
        signal.signal(signal.SIGINT, bridge.stop)
        _logger.info("iot_bridge starting on database %s, topic %s", dbnames[0], bridge.topic)
        bridge.run()
        _logger.info("iot_bridge stopped")
