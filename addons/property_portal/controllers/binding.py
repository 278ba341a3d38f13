"""Self-binding (自助绑定): a resident with no account proves their mobile number with a one-time
code and claims their home (estate → building → unit). The website's pages live here; the API's
endpoints (api.py) call the same functions."""

from odoo import http
from odoo.exceptions import AccessDenied, UserError
from odoo.http import request

from ..models.property_binding_request import CLAIMABLE_ROLES, normalize_phone
from .api import (
    LOGIN_IP_LIMIT,
    LOGIN_LIMIT,
    OTP_SEND_IP_LIMIT,
    OTP_SEND_LIMIT,
    OTP_SEND_PHONE_LIMIT,
    ResidentApi,
    api_errors,
    api_route,
    body,
    error,
    integer,
    json_response,
    rate_limited,
    text,
)


class BindingError(Exception):
    """What the resident must correct; the message is for them."""


def binding_estates(company=None):
    """The estates a resident may bind to: those of ``company`` (the website's), or all."""
    domain = [("company_id", "=", company.id)] if company else []
    return request.env["property.estate"].sudo().search(domain, order="name")


def binding_options(estate_id=0, building_id=0, company=None):
    """The buildings of an estate, or the units of a building, as [{id, name}] (names only)."""
    estates = binding_estates(company)
    if building_id:
        building = request.env["property.building"].sudo().browse(int(building_id)).exists()
        if not building or building.estate_id not in estates:
            return []
        units = (
            request.env["property.unit"]
            .sudo()
            .search([("building_id", "=", building.id)], order="floor, number")
        )
        return [{"id": u.id, "name": u.number or u.code} for u in units]
    estate = estates.filtered(lambda e: e.id == int(estate_id or 0))
    if not estate:
        return []
    buildings = request.env["property.building"].sudo().search([("estate_id", "=", estate.id)], order="code")
    return [{"id": b.id, "name": b.name or b.code} for b in buildings]


def send_binding_code(phone, company=None):
    """Send a one-time code to ``phone`` for binding (any number: a new resident has no account
    yet). Limited per phone and client, per client, and per phone from anywhere."""
    phone = normalize_phone(phone)
    if len(phone) != 11:
        raise BindingError(request.env._("Enter an 11-digit mobile number."))
    if rate_limited("bind-otp", phone, OTP_SEND_LIMIT, OTP_SEND_IP_LIMIT, OTP_SEND_PHONE_LIMIT):
        raise BindingError(request.env._("Too many codes asked for: try again in a few minutes."))
    code = request.env["property.portal.rate.limit"].sudo()._otp_issue(phone)
    request.env["res.partner"].sudo()._portal_send_otp(phone, code, company=company or request.env.company)


def bind_with_code(values, channel, company=None, wechat_openid=False):
    """Check the code, then bind (property.binding.request._portal_bind). ``values``: phone,
    code, unit_id, name, role. Raises BindingError with a message for the resident."""
    env = request.env
    phone = normalize_phone(values.get("phone"))
    if rate_limited("bind", phone, LOGIN_LIMIT, LOGIN_IP_LIMIT):
        raise BindingError(env._("Too many tries: try again in a few minutes."))
    unit = env["property.unit"].sudo().browse(int(values.get("unit_id") or 0)).exists()
    if not unit or unit.estate_id not in binding_estates(company):
        raise BindingError(env._("Choose your estate, building and unit."))
    if values.get("role") not in dict(CLAIMABLE_ROLES):
        raise BindingError(env._("Choose whether you are the owner, a tenant or a family member."))
    try:
        env["property.portal.rate.limit"].sudo()._otp_check(phone, str(values.get("code") or "")[:12])
    except AccessDenied as err:
        raise BindingError(env._("The code is wrong or has expired: ask for a new one.")) from err
    try:
        return (
            env["property.binding.request"]
            .sudo()
            ._portal_bind(
                phone,
                unit,
                values.get("name"),
                values.get("role"),
                channel=channel,
                wechat_openid=wechat_openid,
            )
        )
    except UserError as err:
        raise BindingError(str(err)) from err


class PropertyBindingPortal(http.Controller):
    def _binding_page(self, values=None, error=None):
        company = request.website.company_id
        return request.render(
            "property_portal.binding_page",
            {
                "estates": binding_estates(company),
                "roles": CLAIMABLE_ROLES,
                "values": values or {},
                "error": error,
                "company": company,
            },
        )

    @http.route("/bind", type="http", auth="public", website=True, sitemap=False, methods=["GET"])
    def bind_page(self, estate="", building="", unit="", **kw):
        """``estate``, ``building`` or ``unit`` (ids) fill the home in: a building's poster or the
        approval message links here."""
        estates = binding_estates(request.website.company_id)
        values = {"estate_id": estate if str(estate).isdigit() else ""}
        if str(unit).isdigit():
            home = request.env["property.unit"].sudo().browse(int(unit)).exists()
            if home and home.estate_id in estates:
                values = {
                    "estate_id": home.estate_id.id,
                    "building_id": home.building_id.id,
                    "unit_id": home.id,
                }
        elif str(building).isdigit() and len(str(building)) < 10:
            # an unknown building, or one of another company's estates: the normal page
            block = request.env["property.building"].sudo().browse(int(building)).exists()
            if block and block.estate_id in estates:
                values = {"estate_id": block.estate_id.id, "building_id": block.id}
        return self._binding_page(values)

    @http.route("/bind/options", type="json", auth="public", website=True)
    def bind_options(self, estate_id=0, building_id=0):
        return binding_options(estate_id, building_id, request.website.company_id)

    @http.route("/bind/otp", type="json", auth="public", website=True)
    def bind_otp(self, phone=""):
        try:
            send_binding_code(phone, request.website.company_id)
        except BindingError as err:
            return {"error": str(err)}
        return {"sent": True}

    @http.route("/bind", type="http", auth="public", website=True, sitemap=False, methods=["POST"])
    def bind_submit(self, **post):
        try:
            record = bind_with_code(post, "web", request.website.company_id)
        except BindingError as err:
            return self._binding_page(post, error=str(err))
        if record.state == "bound":
            # the phone is on file for this home: set a password and come in
            return request.redirect(record._password_link(hours=1))
        return request.render("property_portal.binding_pending_page", {"binding": record})


class ResidentBindingApi(ResidentApi):
    """The same binding for the mini-program: options, code, bind (with an optional wx.login
    code, so that WeChat is bound too)."""

    @api_route("/bind/options")
    @api_errors
    def api_bind_options(self, **kw):
        estates = binding_estates()
        if not kw.get("estate_id") and not kw.get("building_id"):
            return json_response({"estates": [{"id": e.id, "name": e.name} for e in estates]})
        return json_response(
            {"options": binding_options(integer(kw, "estate_id"), integer(kw, "building_id"))}
        )

    @api_route("/bind/otp", methods=("POST",))
    @api_errors
    def api_bind_otp(self):
        try:
            send_binding_code(text(body(), "phone", 32))
        except BindingError as err:
            return error(400, "refused", str(err))
        return json_response({"sent": True})

    @api_route("/bind", methods=("POST",))
    @api_errors
    def api_bind(self):
        data = body()
        values = {
            "phone": text(data, "phone", 32, required=True),
            "code": text(data, "code", 12, required=True),
            "unit_id": integer(data, "unit_id"),
            "name": text(data, "name", 64, required=True),
            "role": text(data, "role", 16, required=True),
        }
        openid = False
        if data.get("wechat_code"):
            client = self._wxa_client()
            if client is None:
                return error(503, "wechat_not_configured")
            from wechatpy.exceptions import WeChatException

            try:
                openid = client.wxa.code_to_session(text(data, "wechat_code", 256)).get("openid")
            except (WeChatException, OSError):
                return error(401, "invalid_code")
        try:
            record = bind_with_code(values, "api", wechat_openid=openid)
        except BindingError as err:
            return error(400, "refused", str(err))
        if record.state == "bound":
            token = request.env["property.portal.api.token"].sudo()._issue(record.user_id, "otp")
            return json_response(
                {
                    "status": "bound",
                    "token": token,
                    "token_type": "Bearer",
                    "partner": {"name": record.partner_id.name},
                }
            )
        return json_response({"status": "pending", "request_id": record.id})
