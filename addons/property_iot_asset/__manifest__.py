{
    "name": "Property IoT Assets",
    "summary": "Glue: controllers' running hours and cycles feed the usage-based maintenance plans",
    "version": "18.0.1.0.0",
    "category": "Property",
    "website": "https://github.com/property-suite/property-suite",
    "author": "Property Suite Contributors",
    "license": "LGPL-3",
    "depends": ["property_iot", "property_asset"],
    "data": ["data/ir_config_parameter_data.xml"],
    "auto_install": True,
    "installable": True,
}
