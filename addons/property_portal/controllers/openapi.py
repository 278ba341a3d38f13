"""OpenAPI 3 description of the residents' API, served at /api/portal/v1/openapi.json."""

BEARER = [{"bearerAuth": []}]

# (method, path, summary, authenticated, request body properties)
ENDPOINTS = [
    (
        "post",
        "/otp/send",
        "Send a one-time login code by SMS (rate-limited per phone and IP)",
        False,
        {"phone": "string"},
    ),
    (
        "post",
        "/login/otp",
        "Log in with phone number and one-time code; returns a bearer token",
        False,
        {"phone": "string", "code": "string"},
    ),
    (
        "post",
        "/login/wechat",
        "Log in with a mini-program wx.login code (code2session); first login binds WeChat to the "
        "invited resident proving their phone (phone + otp)",
        False,
        {"code": "string", "phone": "string", "otp": "string"},
    ),
    (
        "get",
        "/bind/options",
        "Self-binding: the estates; with estate_id its buildings; with building_id its units",
        False,
        None,
    ),
    (
        "post",
        "/bind/otp",
        "Self-binding: send a one-time code to any mobile number (rate-limited per phone and IP)",
        False,
        {"phone": "string"},
    ),
    (
        "post",
        "/bind",
        "Self-binding: claim a unit with the proven phone (phone, code, unit_id, name, role: owner, "
        "tenant or family; wechat_code binds WeChat too). Bound at once with a bearer token when the "
        "phone is on file for the unit's occupants (status bound); otherwise waits for the front "
        "desk (status pending)",
        False,
        {
            "phone": "string",
            "code": "string",
            "unit_id": "integer",
            "name": "string",
            "role": "string",
            "wechat_code": "string",
        },
    ),
    ("post", "/logout", "Revoke the bearer token", True, None),
    ("post", "/logout/all", "Sign out everywhere: revoke every token of the resident", True, None),
    ("get", "/me", "Dashboard: units, amount due, open requests, announcements, events", True, None),
    ("get", "/bills", "The household's bills", True, None),
    ("get", "/bills/{bill_id}", "A bill with its lines and meter readings", True, None),
    (
        "get",
        "/bills/payment_providers",
        "The payment providers the bills may be paid with (query: bill_ids=1,2)",
        True,
        None,
    ),
    (
        "post",
        "/bills/pay",
        "Pay bills with one of their payment providers (provider_id, or the provider's code); "
        "returns the gateway's values. Refused while the bills have a payment in progress",
        True,
        {"bill_ids": "array", "provider_id": "integer", "provider": "string", "payment_method_id": "integer"},
    ),
    ("get", "/payments", "Payment history", True, None),
    ("get", "/requests", "The household's repair requests", True, None),
    (
        "post",
        "/requests",
        "Submit a repair request",
        True,
        {"unit_id": "integer", "description": "string", "category_id": "integer"},
    ),
    (
        "post",
        "/requests/suggest",
        "Category suggested by the classifier for a text",
        True,
        {"text": "string"},
    ),
    ("get", "/requests/{request_id}", "A request: state, technician, ETA, rating", True, None),
    (
        "post",
        "/requests/{request_id}/{action}",
        "confirm, reject (reason) or rate (rating 1-5, comment)",
        True,
        {"reason": "string", "rating": "string", "comment": "string"},
    ),
    ("get", "/announcements", "Announcements addressed to the resident", True, None),
    (
        "get",
        "/announcements/{announcement_id}",
        "Read an announcement (records the read receipt)",
        True,
        None,
    ),
    ("get", "/events", "Community events of the estate", True, None),
    ("post", "/events/{event_id}/{action}", "signup or cancel (waiting list when full)", True, None),
    ("get", "/market", "Neighbour marketplace", True, None),
    ("post", "/market/{item_id}/report", "Report an inappropriate post", True, {"reason": "string"}),
    ("get", "/surveys", "Surveys to answer", True, None),
    ("get", "/feedback", "The resident's suggestions and complaints", True, None),
    (
        "post",
        "/feedback",
        "Send a suggestion or complaint",
        True,
        {"kind": "string", "subject": "string", "body": "string"},
    ),
    ("get", "/visitors", "Visitors of the household", True, None),
    (
        "post",
        "/visitors",
        "Pre-register a visitor; returns the QR pass",
        True,
        {"unit_id": "integer", "name": "string", "phone": "string", "visit_start": "string"},
    ),
    (
        "post",
        "/alarm",
        "One-click alarm at the household's unit (confirm: true; alarm_type: fire, intrusion, leak, medical, elevator, other)",
        True,
        {"unit_id": "integer", "alarm_type": "string", "confirm": "boolean"},
    ),
    ("get", "/household", "Members, vehicles and consents", True, None),
    ("post", "/consents/{consent_id}/withdraw", "Withdraw a consent", True, None),
]


def openapi_document(server_url):
    paths = {}
    for method, path, summary, secured, props in ENDPOINTS:
        operation = {
            "summary": summary,
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {}}},
                "401": {"description": "Missing, invalid or expired token"},
                "404": {"description": "Not found in the resident's household"},
                "429": {"description": "Too many attempts"},
            },
        }
        if method == "post":
            operation["responses"]["400"] = {"description": "Refused: invalid input (the message says why)"}
        params = [part[1:-1] for part in path.split("/") if part.startswith("{")]
        if params:
            operation["parameters"] = [
                {
                    "name": name,
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string" if name == "action" else "integer"},
                }
                for name in params
            ]
        if props:
            operation["requestBody"] = {
                "content": {
                    "application/json": {
                        "schema": {"type": "object", "properties": {k: {"type": v} for k, v in props.items()}}
                    }
                }
            }
        if secured:
            operation["security"] = BEARER
        paths.setdefault(path, {})[method] = operation
    return {
        "openapi": "3.0.3",
        "info": {"title": "Property Resident API", "version": "1.0.0"},
        "servers": [{"url": server_url}],
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        "paths": paths,
    }
