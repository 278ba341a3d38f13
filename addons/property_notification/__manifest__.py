{
    "name": "Property Notifications",
    "summary": "Residents told about bills, payments, reminders, repairs, alarms and feedback replies, "
    "by WeChat, SMS and the portal, each as they choose",
    "version": "18.0.1.0.0",
    "category": "Property",
    "website": "https://github.com/property-suite/property-suite",
    "author": "Property Suite Contributors",
    "license": "LGPL-3",
    "depends": ["property_portal", "property_dunning", "queue_job"],
    "external_dependencies": {"python": ["wechatpy"]},
    "data": [
        "security/ir.model.access.csv",
        "security/property_notification_rules.xml",
        "data/queue_job_data.xml",
        "data/ir_cron_data.xml",
        "views/property_notification_views.xml",
        "views/notification_portal_templates.xml",
        "views/property_notification_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "property_notification/static/src/tests/tours/*.js",
        ],
    },
    "installable": True,
}
