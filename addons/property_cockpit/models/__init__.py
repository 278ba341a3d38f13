from . import property_cockpit
