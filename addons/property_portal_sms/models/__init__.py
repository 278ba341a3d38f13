from . import property_binding_request, res_partner
