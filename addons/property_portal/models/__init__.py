from . import (
    payment_transaction,
    property_announcement,
    property_announcement_read,
    property_community_event,
    property_community_registration,
    property_feedback,
    property_market_item,
    property_market_report,
    property_portal_api_token,
    property_portal_rate_limit,
    res_partner,
    survey_survey,
)
