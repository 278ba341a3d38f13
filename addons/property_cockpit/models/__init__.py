from . import property_cockpit, property_cockpit_demo
