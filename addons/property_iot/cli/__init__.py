from . import iot_bridge
