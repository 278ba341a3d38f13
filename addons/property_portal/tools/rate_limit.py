"""Rate limits of the login and one-time-code entry points, shared by the website's binding
page (controllers/binding.py) and the residents' API (routers/). Counted in PostgreSQL
(property.portal.rate.limit): every worker sees the same counts."""

from odoo.http import request

# (attempts, seconds). Per phone *and* client: a wrong guess elsewhere (another client, another
# IP) never locks the resident out; wrong codes also void the code itself (rate limit model).
LOGIN_LIMIT = (5, 600)
# per client IP, whatever the phone: a carrier NAT puts many honest residents behind one IP
LOGIN_IP_LIMIT = (100, 600)
OTP_SEND_LIMIT = (3, 600)  # per phone and client
OTP_SEND_IP_LIMIT = (20, 600)  # per client IP
OTP_SEND_PHONE_LIMIT = (10, 3600)  # per phone, any client: no SMS bombing of a resident


def client_ip():
    return request.httprequest.remote_addr or "unknown"


def rate_limited(prefix, phone, limit, ip_limit, phone_limit=None):
    """True when the client is over one of the limits: ``limit`` for this phone from this
    client, ``ip_limit`` for this client, ``phone_limit`` for this phone from anywhere."""
    ip = client_ip()
    limits = [(f"{prefix}:ip:{ip}", *ip_limit)]
    if phone:
        limits.append((f"{prefix}:phone-ip:{phone}:{ip}", *limit))
        if phone_limit:
            limits.append((f"{prefix}:phone:{phone}", *phone_limit))
    return not request.env["property.portal.rate.limit"].sudo()._hit_limits(limits)
