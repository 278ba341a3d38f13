"""The residents' JSON API on OCA ``fastapi``: one router per feature, served by the
``fastapi.endpoint`` of app ``property_portal`` (data/fastapi_endpoint_data.xml) under
/api/portal/v1, with its OpenAPI document at /api/portal/v1/openapi.json."""

from . import auth, bills, binding, community, household, requests, safety

ROUTERS = [
    auth.router,
    binding.router,
    household.router,
    bills.router,
    requests.router,
    community.router,
    safety.router,
]
