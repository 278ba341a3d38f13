from . import property_dunning_wizard
