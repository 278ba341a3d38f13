from . import (
    base,
    ir_rule,
    mail_thread,
    property_building,
    property_consent,
    property_estate,
    property_location_mixin,
    property_occupancy,
    property_unit,
    res_company,
    res_partner,
    res_users,
)
