{
    "name": "Property Portal SMS",
    "summary": "Glue: residents' one-time codes and binding decisions go out through the company's SMS gateway",
    "version": "18.0.1.0.0",
    "category": "Property",
    "website": "https://github.com/property-suite/property-suite",
    "author": "Property Suite Contributors",
    "license": "LGPL-3",
    "depends": ["property_portal", "property_sms"],
    "auto_install": True,
    "installable": True,
}
