from . import (
    property_binding_request,
    property_invitation,
    property_invitation_campaign,
    property_invitation_guard,
    res_company,
    res_config_settings,
    res_partner,
)
