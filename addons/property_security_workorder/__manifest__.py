{
    "name": "Property Security - Work Orders",
    "summary": "Work orders from security incidents and from patrol findings that need repair",
    "version": "18.0.1.1.0",
    "category": "Property",
    "website": "https://github.com/property-suite/property-suite",
    "author": "Property Suite Contributors",
    "license": "LGPL-3",
    "depends": ["property_security", "property_workorder"],
    "data": [
        "wizards/property_security_patrol_scan_wizard_views.xml",
        "views/property_security_incident_views.xml",
        "views/property_security_patrol_views.xml",
        "views/property_request_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
