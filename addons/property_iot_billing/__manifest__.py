{
    "name": "Property IoT Billing",
    "summary": "Glue: smart meters' register values become billing meter readings, one per meter and day",
    "version": "18.0.1.0.0",
    "category": "Property",
    "website": "https://github.com/property-suite/property-suite",
    "author": "Property Suite Contributors",
    "license": "LGPL-3",
    "depends": ["property_iot", "property_billing"],
    "data": [
        "views/property_iot_device_views.xml",
        "views/property_meter_reading_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
