{
    "name": "Property Routes",
    "summary": "One route engine: routes of ordered QR checkpoints, scheduled runs, on-time, "
    "late and missed checkpoints, findings; inspection, cleaning, greening and patrols plug in",
    "version": "18.0.1.0.0",
    "category": "Property",
    "website": "https://github.com/property-suite/property-suite",
    "author": "Property Suite Contributors",
    "license": "LGPL-3",
    "depends": ["property_base", "mail"],
    "external_dependencies": {"python": ["qrcode"]},
    "data": [
        "security/ir.model.access.csv",
        "security/property_route_rules.xml",
        "data/ir_cron_data.xml",
    ],
    "pre_init_hook": "pre_init_hook",
    "installable": True,
}
