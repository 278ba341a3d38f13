"""The residents' JSON API (WeChat mini-program, app): bearer tokens, same household rules as
the portal pages. Plain Odoo routes: the API is small, and the portal's session-less pages and
these endpoints share one household service (household.py)."""

import json
import logging
from functools import wraps

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import AccessDenied, AccessError, UserError, ValidationError
from odoo.http import request

from odoo.addons.property_billing_payment.controllers.portal import PropertyBillPaymentPortal

from ..models.property_binding_request import normalize_phone
from .household import Household
from .openapi import openapi_document

_logger = logging.getLogger(__name__)

PREFIX = "/api/portal/v1"
# (attempts, seconds). Per phone *and* client: a wrong guess elsewhere (another client, another
# IP) never locks the resident out; wrong codes also void the code itself (rate limit model).
LOGIN_LIMIT = (5, 600)
# per client IP, whatever the phone: a carrier NAT puts many honest residents behind one IP
LOGIN_IP_LIMIT = (100, 600)
OTP_SEND_LIMIT = (3, 600)  # per phone and client
OTP_SEND_IP_LIMIT = (20, 600)  # per client IP
OTP_SEND_PHONE_LIMIT = (10, 3600)  # per phone, any client: no SMS bombing of a resident
WECHAT_TIMEOUT = 10


def json_response(data, status=200):
    return request.make_json_response(data, status=status)


def error(status, code, message=""):
    return json_response({"error": code, "message": message}, status=status)


class InputError(ValueError):
    """A request body the API cannot use: answered 400 with the reason."""


def body():
    """The JSON object of the request; InputError when the body is not one."""
    try:
        data = json.loads(request.httprequest.get_data(as_text=True) or "{}")
    except ValueError as err:
        raise InputError(request.env._("The request body is not valid JSON.")) from err
    if not isinstance(data, dict):
        raise InputError(request.env._("The request body must be a JSON object."))
    return data


def api_errors(func):
    """Run the endpoint in a savepoint: when it fails, none of its writes stay. Known failures
    are answered with their status; wrong input types with 400, never a 500."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            with request.env.cr.savepoint():
                return func(*args, **kwargs)
        except NotFound:
            return error(404, "not_found")
        except InputError as err:
            return error(400, "bad_request", str(err))
        except (UserError, ValidationError, AccessError) as err:
            return error(400, "refused", str(err))
        except (TypeError, ValueError, KeyError, AttributeError) as err:
            _logger.info("Resident API: unusable input on %s: %r", request.httprequest.path, err)
            return error(400, "bad_request", request.env._("A value has the wrong type or format."))

    return wrapper


def authenticated(func):
    """Resolve the bearer token to a portal user and run the endpoint as that user."""

    @wraps(func)
    def wrapper(self, *args, **kwargs):
        header = request.httprequest.headers.get("Authorization", "")
        token = header[7:].strip() if header.startswith("Bearer ") else ""
        user = request.env["property.portal.api.token"].sudo()._authenticate(token)
        if not user:
            return error(401, "unauthorized")
        request.update_env(user=user.id)
        household = Household(request.env, user.partner_id)
        return api_errors(func)(self, household, *args, **kwargs)

    return wrapper


def text(data, key, size, required=False):
    """``data[key]`` as a string of at most ``size`` characters (numbers accepted)."""
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise InputError(request.env._("%s is required.", key))
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError(request.env._("%s must be a string.", key))
    return str(value)[:size]


def integer(data, key):
    """``data[key]`` as an id (an integer or a string of digits), or 0 when absent."""
    value = data.get(key)
    if value is None or value == "":
        return 0
    if isinstance(value, bool) or not (
        isinstance(value, int) or (isinstance(value, str) and value.isdigit())
    ):
        raise InputError(request.env._("%s must be an integer.", key))
    return int(value)


def timestamp(data, key):
    """``data[key]`` ("YYYY-MM-DD HH:MM:SS", UTC) as a datetime, or False when absent."""
    value = data.get(key)
    if value is None or value == "":
        return False
    if not isinstance(value, str):
        raise InputError(request.env._("%s must be a date and time (YYYY-MM-DD HH:MM:SS).", key))
    try:
        return fields.Datetime.to_datetime(value)
    except ValueError as err:
        raise InputError(request.env._("%s must be a date and time (YYYY-MM-DD HH:MM:SS).", key)) from err


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


def money(amount):
    return round(amount or 0.0, 2)


def dt(value):
    return fields.Datetime.to_string(value) if value else None


def api_route(path, methods=("GET",)):
    return http.route(
        f"{PREFIX}{path}",
        type="http",
        auth="public",
        methods=list(methods),
        csrf=False,
        save_session=False,
        cors="*",
    )


class ResidentApi(PropertyBillPaymentPortal):
    """Extends the bill-payment controller so that the API pays bills through the same path as
    the portal page (Odoo merges the controllers that extend one another)."""

    # ------------------------------------------------------------------
    # Documentation
    # ------------------------------------------------------------------
    @api_route("/openapi.json")
    def openapi(self):
        return json_response(openapi_document(request.httprequest.host_url.rstrip("/") + PREFIX))

    # ------------------------------------------------------------------
    # Login
    # ------------------------------------------------------------------
    def _users_by_phone(self, phone):
        if len(phone) < 6:
            return request.env["res.users"]
        partners = (
            request.env["res.partner"]
            .sudo()
            .search(["|", ("mobile", "like", phone[-8:]), ("phone", "like", phone[-8:])], limit=20)
            .filtered(lambda p: phone in (normalize_phone(p.mobile), normalize_phone(p.phone)))
        )
        return partners.user_ids.filtered(lambda u: u.active and u._is_portal())[:1]

    def _rate_limited(self, prefix, phone, limit, ip_limit, phone_limit=None):
        return rate_limited(prefix, phone, limit, ip_limit, phone_limit)

    def _token_answer(self, user, method):
        token = request.env["property.portal.api.token"].sudo()._issue(user, method)
        return json_response(
            {"token": token, "token_type": "Bearer", "partner": {"name": user.partner_id.name}}
        )

    @api_route("/otp/send", methods=("POST",))
    @api_errors
    def otp_send(self):
        phone = normalize_phone(body().get("phone"))
        if not phone:
            return error(400, "phone_required")
        if self._rate_limited("otp", phone, OTP_SEND_LIMIT, OTP_SEND_IP_LIMIT, OTP_SEND_PHONE_LIMIT):
            return error(429, "too_many_requests")
        user = self._users_by_phone(phone)
        if user:
            RateLimit = request.env["property.portal.rate.limit"].sudo()
            code = RateLimit._otp_issue(phone)
            request.env["res.partner"].sudo()._portal_send_otp(phone, code, company=user.company_id)
        # same answer whether the phone is known or not
        return json_response({"sent": True})

    @api_route("/login/otp", methods=("POST",))
    @api_errors
    def login_otp(self):
        data = body()
        phone = normalize_phone(data.get("phone"))
        if self._rate_limited("login", phone, LOGIN_LIMIT, LOGIN_IP_LIMIT):
            return error(429, "too_many_requests")
        try:
            request.env["property.portal.rate.limit"].sudo()._otp_check(phone, text(data, "code", 12))
        except AccessDenied:
            return error(401, "invalid_code")
        user = self._users_by_phone(phone)
        if not user:
            return error(401, "invalid_code")
        return self._token_answer(user, "otp")

    def _wxa_client(self):
        params = request.env["ir.config_parameter"].sudo()
        appid, secret = (
            params.get_param("property_portal.wxa_appid"),
            params.get_param("property_portal.wxa_secret"),
        )
        if not appid or not secret:
            return None
        from wechatpy import WeChatClient

        return WeChatClient(appid, secret, timeout=WECHAT_TIMEOUT)

    @api_route("/login/wechat", methods=("POST",))
    @api_errors
    def login_wechat(self):
        """Mini-program login: ``code`` from wx.login. A WeChat account not bound yet is bound
        to the invited resident who proves their phone with a one-time code in the same call."""
        data = body()
        phone = normalize_phone(data.get("phone"))
        if self._rate_limited("login", phone, LOGIN_LIMIT, LOGIN_IP_LIMIT):
            return error(429, "too_many_requests")
        client = self._wxa_client()
        if client is None:
            return error(503, "wechat_not_configured")
        from wechatpy.exceptions import WeChatException

        try:
            session = client.wxa.code_to_session(text(data, "code", 256))
        except (WeChatException, OSError) as err:
            _logger.info("WeChat code2session failed: %s", err)
            return error(401, "invalid_code")
        openid = session.get("openid")
        if not openid:
            return error(401, "invalid_code")
        Partner = request.env["res.partner"].sudo()
        partner = Partner.search([("wechat_openid", "=", openid)], limit=1)
        user = partner.user_ids.filtered(lambda u: u.active and u._is_portal())[:1]
        if user:
            return self._token_answer(user, "wechat")
        # not bound: bind to the invited resident proving their phone
        try:
            request.env["property.portal.rate.limit"].sudo()._otp_check(phone, text(data, "otp", 12))
        except AccessDenied:
            return error(403, "not_bound", "Verify your phone number to bind WeChat.")
        user = self._users_by_phone(phone)
        if not user:
            return error(403, "not_bound")
        user.partner_id.sudo().write(
            {"wechat_openid": openid, "wechat_unionid": session.get("unionid") or False}
        )
        return self._token_answer(user, "wechat")

    @api_route("/logout", methods=("POST",))
    @api_errors
    def logout(self):
        header = request.httprequest.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            request.env["property.portal.api.token"].sudo()._revoke(header[7:].strip())
        return json_response({"ok": True})

    @api_route("/logout/all", methods=("POST",))
    @authenticated
    def logout_all(self, household):
        """Sign out everywhere: every API token of the resident."""
        request.env["property.portal.api.token"].sudo()._revoke_users(request.env.user)
        return json_response({"ok": True})

    # ------------------------------------------------------------------
    # Dashboard, bills, payments
    # ------------------------------------------------------------------
    @api_route("/me")
    @authenticated
    def me(self, household):
        dash = household.dashboard()
        return json_response(
            {
                "name": household.partner.name,
                "units": [{"id": u.id, "code": u.code, "estate": u.estate_id.name} for u in household.units],
                "amount_due": money(dash["amount_due"]),
                "open_requests": dash["open_requests"],
                "announcements": [{"id": a.id, "title": a.name} for a in dash["announcements"]],
                "events": [
                    {"id": e.id, "name": e.name, "date_begin": dt(e.date_begin)} for e in dash["events"]
                ],
            }
        )

    def _bill_json(self, bill, lines=False):
        values = {
            "id": bill.id,
            "name": bill.name,
            "period_start": fields.Date.to_string(bill.period_start),
            "date_due": fields.Date.to_string(bill.date_due),
            "amount_total": money(bill.amount_total),
            "amount_residual": money(bill.amount_residual),
            "state": bill.state,
        }
        if lines:
            values["lines"] = [
                {
                    "fee": line.product_id.display_name,
                    "description": line.description,
                    "quantity": line.quantity,
                    "price_unit": line.price_unit,
                    "amount": money(line.amount_total),
                    "readings": [
                        {
                            "date": fields.Date.to_string(r.date),
                            "value": r.value,
                            "consumption": r.consumption,
                        }
                        for r in line.reading_ids
                    ],
                }
                for line in bill.line_ids
            ]
        return values

    @api_route("/bills")
    @authenticated
    def bills(self, household):
        bills = household.search("property.bill", "bill", limit=100, order="date_due desc, id desc")
        return json_response({"bills": [self._bill_json(b) for b in bills]})

    @api_route("/bills/<int:bill_id>")
    @authenticated
    def bill(self, household, bill_id):
        bill = household.get("property.bill", "bill", bill_id)
        if not bill:
            raise NotFound()
        return json_response(self._bill_json(bill, lines=True))

    def _api_bills_to_pay(self, household, bill_ids):
        ids = [int(i) for i in bill_ids or [] if str(i).isdigit()]
        bills = household.payable_bills(ids)
        if not bills:
            raise NotFound()
        return bills

    @api_route("/bills/payment_providers")
    @authenticated
    def bills_payment_providers(self, household, bill_ids="", **_kwargs):
        """The providers the chosen bills may be paid with (the payment page offers the same)."""
        bills = self._api_bills_to_pay(household, str(bill_ids).split(","))
        providers = bills.sudo()._get_payment_providers(household.partner)
        return json_response(
            {
                "amount": money(bills.sudo()._get_online_payment_amount()),
                "providers": [{"id": p.id, "code": p.code, "name": p.name} for p in providers],
            }
        )

    @api_route("/bills/pay", methods=("POST",))
    @authenticated
    def bills_pay(self, household):
        """Create the payment transaction of the chosen bills through the one bill-payment path
        (property_billing_payment), with ``provider_id``, or the ``provider`` code among the
        providers allowed for the bills' company; answer the gateway's values (JSAPI parameters
        inside the mini-program, or a redirect/QR form)."""
        data = body()
        bills = self._api_bills_to_pay(household, data.get("bill_ids"))
        provider_id = data.get("provider_id")
        if not provider_id:
            code = data.get("provider") or "wechatpay"
            allowed = bills.sudo()._get_payment_providers(household.partner)
            provider_id = allowed.filtered(lambda p: p.code == code)[:1].id
        if not provider_id:
            return error(400, "provider_unavailable")
        tx = self._property_bill_create_transaction(
            bills,
            household.partner,
            provider_id,
            payment_method_id=data.get("payment_method_id"),
            landing_route="/my/payments",
        )
        return json_response(
            {"reference": tx.reference, "amount": money(tx.amount), **tx._get_processing_values()}
        )

    @api_route("/payments")
    @authenticated
    def payments(self, household):
        txs = household.search("payment.transaction", "transaction", limit=50, order="id desc")
        return json_response(
            {
                "payments": [
                    {
                        "id": tx.id,
                        "reference": tx.reference,
                        "amount": money(tx.amount),
                        "state": tx.state,
                        "provider": tx.provider_code,
                        "date": dt(tx.last_state_change),
                        "bills": tx.property_bill_ids.filtered(
                            lambda b: b.line_ids.unit_id & household.units
                        ).mapped("name"),
                    }
                    for tx in txs
                ]
            }
        )

    # ------------------------------------------------------------------
    # Requests
    # ------------------------------------------------------------------
    def _request_json(self, record):
        return {
            "id": record.id,
            "name": record.name,
            "description": record.description,
            "state": record.state,
            "category": record.category_id.name or None,
            "technician": record.technician_id.name or None,
            "eta": dt(record.preferred_time_from or record.resolution_deadline),
            "rating": record.rating or None,
            "reported_on": dt(record.request_date),
        }

    @api_route("/requests", methods=("GET", "POST"))
    @authenticated
    def requests(self, household):
        if request.httprequest.method == "POST":
            data = body()
            unit = household.unit(integer(data, "unit_id"))
            if not unit:
                raise NotFound()
            vals = {"unit_id": unit.id, "description": text(data, "description", 5000, required=True)}
            category = request.env["property.request.category"].sudo().browse(integer(data, "category_id"))
            if category.exists():
                vals["category_id"] = category.id
            record = request.env["property.request"]._portal_create_request(household.partner, vals)
            return json_response(self._request_json(record), status=201)
        records = household.search(
            "property.request", "request", limit=100, order="request_date desc, id desc"
        )
        return json_response({"requests": [self._request_json(r) for r in records]})

    @api_route("/requests/suggest", methods=("POST",))
    @authenticated
    def requests_suggest(self, household):
        from .portal import ResidentPortal

        return json_response(ResidentPortal()._suggest_category(text(body(), "text", 1000)))

    @api_route("/requests/<int:request_id>")
    @authenticated
    def request_detail(self, household, request_id):
        record = household.get("property.request", "request", request_id)
        if not record:
            raise NotFound()
        return json_response(self._request_json(record))

    @api_route("/requests/<int:request_id>/<string:action>", methods=("POST",))
    @authenticated
    def request_action(self, household, request_id, action):
        from .portal import ResidentPortal

        record = household.get("property.request", "request", request_id)
        if not record:
            raise NotFound()
        ResidentPortal()._request_action(record, action, body())
        return json_response(self._request_json(record))

    # ------------------------------------------------------------------
    # Announcements, events, marketplace, surveys, feedback
    # ------------------------------------------------------------------
    @api_route("/announcements")
    @authenticated
    def announcements(self, household):
        records = household.search("property.announcement", "announcement", limit=50)
        return json_response(
            {
                "announcements": [
                    {"id": a.id, "title": a.name, "urgent": a.is_urgent, "date": dt(a.date_published)}
                    for a in records
                ]
            }
        )

    @api_route("/announcements/<int:announcement_id>")
    @authenticated
    def announcement(self, household, announcement_id):
        record = household.get("property.announcement", "announcement", announcement_id)
        if not record:
            raise NotFound()
        record._mark_read(household.partner)
        return json_response({"id": record.id, "title": record.name, "body": str(record.body or "")})

    @api_route("/events")
    @authenticated
    def events(self, household):
        records = household.search("property.community.event", "event", limit=50)
        mine = household.registrations(records)
        state_of = {r.event_id.id: r.state for r in mine}
        return json_response(
            {
                "events": [
                    {
                        "id": e.id,
                        "name": e.name,
                        "date_begin": dt(e.date_begin),
                        "capacity": e.capacity,
                        "seats_taken": e.seats_taken,
                        "my_registration": state_of.get(e.id),
                    }
                    for e in records
                ]
            }
        )

    @api_route("/events/<int:event_id>/<string:action>", methods=("POST",))
    @authenticated
    def event_action(self, household, event_id, action):
        event = household.get("property.community.event", "event", event_id)
        if not event:
            raise NotFound()
        if action == "signup":
            registration = event._portal_sign_up(household.partner, household.units)
            return json_response({"state": registration.state})
        if action == "cancel":
            registration = household.registrations(event)
            if not registration:
                raise NotFound()
            registration.action_cancel()
            return json_response({"state": "cancelled"})
        raise NotFound()

    @api_route("/market")
    @authenticated
    def market(self, household):
        items = household.search("property.market.item", "market", limit=60)
        return json_response(
            {
                "items": [
                    {
                        "id": i.id,
                        "title": i.name,
                        "price": money(i.price),
                        "state": i.state,
                        "mine": i.partner_id == household.partner,
                    }
                    for i in items
                ]
            }
        )

    @api_route("/market/<int:item_id>/report", methods=("POST",))
    @authenticated
    def market_report(self, household, item_id):
        item = household.get("property.market.item", "market", item_id)
        if not item:
            raise NotFound()
        request.env["property.market.report"].sudo().create(
            {
                "item_id": item.id,
                "partner_id": household.partner.id,
                "reason": text(body(), "reason", 1000) or "-",
            }
        )
        return json_response({"reported": True}, status=201)

    @api_route("/surveys")
    @authenticated
    def surveys(self, household):
        surveys = household.search("survey.survey", "survey")
        base = request.httprequest.host_url.rstrip("/")
        return json_response(
            {
                "surveys": [
                    {"id": s.id, "title": s.title, "url": f"{base}/my/surveys/{s.id}/start"} for s in surveys
                ]
            }
        )

    @api_route("/feedback", methods=("GET", "POST"))
    @authenticated
    def feedback(self, household):
        if request.httprequest.method == "POST":
            data = body()
            record = request.env["property.feedback"]._portal_submit(
                household.partner,
                household.units[:1],
                text(data, "kind", 32),
                text(data, "subject", 200),
                text(data, "body", 5000),
            )
            return json_response({"id": record.id}, status=201)
        records = household.search("property.feedback", "feedback")
        return json_response(
            {
                "feedback": [
                    {"id": f.id, "subject": f.name, "state": f.state, "reply": f.reply or None}
                    for f in records
                ]
            }
        )

    # ------------------------------------------------------------------
    # Visitors, alarm, household
    # ------------------------------------------------------------------
    @api_route("/visitors", methods=("GET", "POST"))
    @authenticated
    def visitors(self, household):
        base = request.httprequest.host_url.rstrip("/")
        if request.httprequest.method == "POST":
            data = body()
            unit = household.unit(integer(data, "unit_id"))
            if not unit:
                raise NotFound()
            start = timestamp(data, "visit_start") or fields.Datetime.now()
            visitor = request.env["property.security.visitor"]._portal_register(
                household.partner,
                {
                    "unit_id": unit.id,
                    "name": text(data, "name", 100, required=True),
                    "phone": text(data, "phone", 32) or False,
                    "purpose": text(data, "purpose", 500) or False,
                    "visit_start": start,
                    "visit_end": timestamp(data, "visit_end") or fields.Datetime.add(start, hours=4),
                },
            )
            return json_response(
                {
                    "id": visitor.id,
                    "pass_token": visitor.pass_token,
                    "pass_url": f"{base}/my/visitors/{visitor.id}",
                },
                status=201,
            )
        records = household.search("property.security.visitor", "visitor", limit=50, order="id desc")
        return json_response(
            {
                "visitors": [
                    {"id": v.id, "name": v.name, "state": v.state, "visit_start": dt(v.visit_start)}
                    for v in records
                ]
            }
        )

    @api_route("/alarm", methods=("POST",))
    @authenticated
    def alarm(self, household):
        data = body()
        unit = household.unit(integer(data, "unit_id"))
        if not unit or data.get("confirm") is not True:
            raise NotFound()
        alarm = request.env["property.security.alarm"]._raise_from_portal(
            household.partner,
            unit,
            text(data, "alarm_type", 32) or "other",
            note=text(data, "note", 1000) or None,
        )
        return json_response({"id": alarm.id, "name": alarm.name}, status=201)

    @api_route("/household")
    @authenticated
    def household(self, household):
        occupancies, plates, consents = household.members()
        return json_response(
            {
                "members": [
                    {"name": o.partner_id.name, "unit": o.unit_id.code, "role": o.role} for o in occupancies
                ],
                "vehicles": [p.name for p in plates],
                "consents": [{"id": c.id, "purpose": c.purpose, "state": c.state} for c in consents],
            }
        )

    @api_route("/consents/<int:consent_id>/withdraw", methods=("POST",))
    @authenticated
    def consent_withdraw(self, household, consent_id):
        consent = household.get("property.consent", "consent", consent_id)
        if not consent:
            raise NotFound()
        if consent.state == "given":
            consent.action_withdraw(channel="portal")
        return json_response({"state": "withdrawn"})
