from . import property_request_report
