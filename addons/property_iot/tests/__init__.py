from . import (
    test_bridge_e2e,
    test_energy,
    test_ingest,
    test_mqtt_client,
    test_poison,
    test_prediction,
    test_register,
    test_rules,
    test_schema,
    test_security,
)
