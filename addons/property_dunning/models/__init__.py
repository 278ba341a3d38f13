from . import property_dunning_level, property_dunning_log, res_partner
