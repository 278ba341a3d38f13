from . import property_ownership_transfer_wizard
from . import property_import_wizard
