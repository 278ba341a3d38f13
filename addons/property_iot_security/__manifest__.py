{
    "name": "Property IoT Security",
    "summary": "Glue: smoke, leak, forced-door and intrusion events raise security alarms and incidents",
    "version": "18.0.1.0.0",
    "category": "Property",
    "website": "https://github.com/property-suite/property-suite",
    "author": "Property Suite Contributors",
    "license": "LGPL-3",
    "depends": ["property_iot", "property_security"],
    "data": ["views/property_iot_alarm_views.xml"],
    "auto_install": True,
    "installable": True,
}
