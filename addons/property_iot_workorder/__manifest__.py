{
    "name": "Property IoT Work Orders",
    "summary": "Glue: an IoT alarm raises a work order (报事报修), resolving it can resolve the alarm",
    "version": "18.0.1.0.0",
    "category": "Property",
    "website": "https://github.com/property-suite/property-suite",
    "author": "Property Suite Contributors",
    "license": "LGPL-3",
    "depends": ["property_iot", "property_workorder"],
    "data": [
        "views/property_iot_rule_views.xml",
        "views/property_iot_alarm_views.xml",
        "views/property_request_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
