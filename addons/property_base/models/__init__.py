from . import property_estate
from . import property_building
from . import property_unit
from . import property_occupancy
from . import property_consent
from . import property_location_mixin
from . import res_partner
from . import res_users
