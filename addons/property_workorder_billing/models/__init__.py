from . import property_request
