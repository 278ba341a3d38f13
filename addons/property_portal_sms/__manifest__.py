{
    "name": "Property Portal SMS",
    "summary": "Glue: residents' one-time codes, binding decisions and portal invitations go out through the company's SMS gateway",
    "version": "18.0.1.0.0",
    "category": "Property",
    "website": "https://github.com/property-suite/property-suite",
    "author": "Property Suite Contributors",
    "license": "LGPL-3",
    "depends": ["property_portal", "property_sms", "queue_job"],
    "data": [
        "security/ir.model.access.csv",
        "security/property_portal_sms_rules.xml",
        "data/queue_job_data.xml",
        "views/property_invitation_campaign_views.xml",
        "views/property_portal_sms_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "property_portal_sms/static/src/tests/tours/*.js",
        ],
    },
    "auto_install": True,
    "installable": True,
}
