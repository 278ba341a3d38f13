from . import property_meter_import_wizard
