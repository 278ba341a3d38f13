"""Self-binding (自助绑定): a resident with no account proves their mobile number with a one-time
code and claims their home (estate → building → unit). The website's pages live here; the API's
endpoints (routers/binding.py) call the same functions."""

from odoo import http
from odoo.exceptions import AccessDenied, UserError
from odoo.http import request

from ..models.property_binding_request import CLAIMABLE_ROLES, normalize_phone
from ..tools import rate_limit

DAILY_BINDING_CODES = 500


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
    limits = (rate_limit.OTP_SEND_LIMIT, rate_limit.OTP_SEND_IP_LIMIT, rate_limit.OTP_SEND_PHONE_LIMIT)
    if rate_limit.rate_limited("bind-otp", phone, *limits):
        raise BindingError(request.env._("Too many codes asked for: try again in a few minutes."))
    company = company or request.env.company
    if not binding_codes_within_daily_cap(company):
        raise BindingError(
            request.env._("Too many codes were sent today: please call the property service centre.")
        )
    code = request.env["property.portal.rate.limit"].sudo()._otp_issue(phone)
    request.env["res.partner"].sudo()._portal_send_otp(phone, code, company=company)


def binding_codes_within_daily_cap(company):
    """Each code is an SMS the company pays for, and a code may be asked for any number: limits
    per phone and per client do not stop many clients asking for many numbers. A daily cap per
    company does (``property_portal.binding_otp_daily_cap``, 500 by default; 0 for no cap)."""
    param = (
        request.env["ir.config_parameter"].sudo().get_param("property_portal.binding_otp_daily_cap", "500")
    )
    try:
        cap = int(param)
    except ValueError:
        cap = DAILY_BINDING_CODES
    if cap <= 0:
        return True
    return (
        request.env["property.portal.rate.limit"].sudo()._hit([f"bind-otp:company:{company.id}"], cap, 86400)
    )


def bind_with_code(values, channel, company=None, wechat_openid=False):
    """Check the code, then bind (property.binding.request._portal_bind). ``values``: phone,
    code, unit_id, name, role. Raises BindingError with a message for the resident."""
    env = request.env
    phone = normalize_phone(values.get("phone"))
    if rate_limit.rate_limited("bind", phone, rate_limit.LOGIN_LIMIT, rate_limit.LOGIN_IP_LIMIT):
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
