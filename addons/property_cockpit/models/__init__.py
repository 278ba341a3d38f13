from . import property_cockpit
from . import property_cockpit_demo
