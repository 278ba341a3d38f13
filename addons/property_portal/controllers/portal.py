from datetime import datetime

import pytz
from werkzeug.exceptions import NotFound

from odoo import Command, fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from odoo.addons.property_billing_payment.controllers.portal import PropertyBillPaymentPortal

from ..tools.upload import UploadError, attach_images, check_upload_rate, read_images
from .household import OPEN_REQUEST_STATES, Household


def upload_message(env, error):
    messages = {
        "empty": env._("The file is empty."),
        "too_large": env._("A photo is larger than 5 MB."),
        "not_an_image": env._("Only photos can be uploaded (JPEG, PNG, GIF or WebP)."),
        "format": env._("Only photos can be uploaded (JPEG, PNG, GIF or WebP)."),
        "too_many": env._("At most 6 photos can be uploaded at once."),
        "too_many_pixels": env._(
            "A photo has too many pixels (more than 25 megapixels): send a smaller photo, "
            "such as one taken with your phone's camera."
        ),
        "rate_limited": env._("You have uploaded many photos in the last minutes: try again later."),
    }
    return messages.get(str(error), env._("Upload refused."))


def parse_datetime_local(value):
    """An <input type=datetime-local> value (the resident's local time) as naive UTC."""
    if not value:
        return False
    try:
        local = datetime.strptime(value[:16], "%Y-%m-%dT%H:%M")
    except ValueError:
        return False
    tz = pytz.timezone(request.env.user.tz or "Asia/Shanghai")
    return tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)


class ResidentPortal(PropertyBillPaymentPortal):
    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _household(self):
        return Household(request.env, request.env.user.partner_id)

    def _get_or_404(self, household, model, domain_name, record_id):
        record = household.get(model, domain_name, record_id)
        if not record:
            raise NotFound()
        return record

    def _render(self, template, values):
        values = dict(self._prepare_portal_layout_values(), **values)
        return request.render(template, values)

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        household = self._household()
        if not household:
            return values
        # counted as the resident: the record rules decide, the domains narrow to the page
        counts = {
            "property_bill_count": lambda: household.search_count(
                "property.bill", household.bill_domain() + [("state", "in", ("open", "partial"))]
            ),
            "property_request_count": lambda: household.search_count(
                "property.request", household.request_domain() + [("state", "in", OPEN_REQUEST_STATES)]
            ),
            "property_announcement_count": lambda: household.search_count(
                "property.announcement", household.announcement_domain()
            ),
            "property_event_count": lambda: household.search_count(
                "property.community.event", household.event_domain() + [("state", "=", "open")]
            ),
            "property_survey_count": lambda: household.search_count(
                "survey.survey", household.survey_domain()
            ),
            "property_market_count": lambda: household.search_count(
                "property.market.item", household.market_domain()
            ),
            "property_visitor_count": lambda: household.search_count(
                "property.security.visitor", household.visitor_domain()
            ),
            "property_feedback_count": lambda: household.search_count(
                "property.feedback", household.feedback_domain()
            ),
        }
        for key, compute in counts.items():
            if key in counters:
                values[key] = compute()
        if not counters:
            values["property_dashboard"] = household.dashboard()
        return values

    # ------------------------------------------------------------------
    # Bills and payment
    # ------------------------------------------------------------------
    @http.route(["/my/bills", "/my/bills/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_bills(self, page=1, **kw):
        household = self._household()
        # searched as the resident (record rules: bills billed to them), rendered with sudo
        Bill = request.env["property.bill"]
        domain = household.bill_domain()
        total = Bill.search_count(domain)
        pager = request.website.pager(url="/my/bills", total=total, page=page, step=20)
        bills = Bill.search(domain, limit=20, offset=pager["offset"], order="date_due desc, id desc").sudo()
        # one read for the page: no query per bill in the template
        bills.fetch(
            [
                "name",
                "period_start",
                "period_end",
                "date_due",
                "amount_total",
                "amount_residual",
                "state",
                "company_id",
            ]
        )
        return self._render(
            "property_portal.portal_my_bills",
            {"bills": bills, "pager": pager, "page_name": "property_bills", "household": household},
        )

    @http.route("/my/bills/<int:bill_id>", type="http", auth="user", website=True)
    def portal_my_bill(self, bill_id, **kw):
        household = self._household()
        bill = self._get_or_404(household, "property.bill", "bill", bill_id)
        return self._render(
            "property_portal.portal_my_bill",
            {"bill": bill, "page_name": "property_bill", "household": household},
        )

    def _bills_to_pay(self, household, bill_ids):
        ids = [int(i) for i in str(bill_ids or "").replace("-", ",").split(",") if i.strip().isdigit()]
        bills = household.payable_bills(ids)
        if not bills:
            raise NotFound()
        return bills

    @http.route("/my/bills/pay", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_my_bills_pay(self, bill_ids=None, **kw):
        household = self._household()
        if request.httprequest.method == "POST":
            bill_ids = ",".join(request.httprequest.form.getlist("bill_ids"))
        bills = self._bills_to_pay(household, bill_ids)
        ids_path = "-".join(str(i) for i in bills.ids)
        # the one bill-payment path (property_billing_payment): the providers allowed for the bills
        values = self._property_bill_payment_form_values(
            bills,
            request.env.user.partner_id,
            transaction_route=f"/my/bills/transaction/{ids_path}",
            landing_route="/my/payments",
        )
        values.update(
            {
                "bills": bills,
                "page_name": "property_bill_pay",
                # told before paying rather than refused after (the payment path refuses it too)
                "payment_in_progress": bills._get_blocking_transactions(),
            }
        )
        return self._render("property_portal.portal_my_bills_pay", values)

    @http.route("/my/bills/transaction/<string:bill_ids>", type="json", auth="user")
    def portal_my_bills_transaction(self, bill_ids, access_token=None, **kwargs):
        household = self._household()
        try:
            bills = self._bills_to_pay(household, bill_ids)
        except NotFound as error:
            raise ValidationError(request.env._("These bills cannot be paid.")) from error
        partner = request.env.user.partner_id
        self._property_bill_check_access_token(bills, partner, access_token)
        self._validate_transaction_kwargs(kwargs)
        tx_sudo = self._property_bill_create_transaction(bills, partner, **kwargs)
        return tx_sudo._get_processing_values()

    @http.route("/my/payments", type="http", auth="user", website=True)
    def portal_my_payments(self, **kw):
        household = self._household()
        transactions = (
            request.env["payment.transaction"]
            .sudo()
            .search(household.transaction_domain(), order="id desc", limit=50)
        )
        return self._render(
            "property_portal.portal_my_payments",
            {"transactions": transactions, "page_name": "property_payments"},
        )

    @http.route("/my/payments/<int:tx_id>", type="http", auth="user", website=True)
    def portal_my_payment_receipt(self, tx_id, **kw):
        household = self._household()
        tx = self._get_or_404(household, "payment.transaction", "transaction", tx_id)
        return self._render(
            "property_portal.portal_my_payment_receipt", {"tx": tx, "page_name": "property_payment_receipt"}
        )

    # ------------------------------------------------------------------
    # Repair requests
    # ------------------------------------------------------------------
    @http.route(["/my/requests", "/my/requests/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_requests(self, page=1, **kw):
        household = self._household()
        # searched as the resident (record rules: theirs, and their household's while they lived
        # there), rendered with sudo
        Request = request.env["property.request"]
        domain = household.request_domain()
        pager = request.website.pager(
            url="/my/requests", total=Request.search_count(domain), page=page, step=20
        )
        requests_ = Request.search(
            domain, limit=20, offset=pager["offset"], order="request_date desc, id desc"
        ).sudo()
        requests_.fetch(
            ["name", "description", "state", "rating", "request_date", "category_id", "technician_id"]
        )
        requests_.category_id.fetch(["name"])
        return self._render(
            "property_portal.portal_my_requests",
            {"service_requests": requests_, "pager": pager, "page_name": "property_requests"},
        )

    @http.route("/my/requests/new", type="http", auth="user", website=True)
    def portal_my_request_new(self, error=None, **kw):
        household = self._household()
        categories = request.env["property.request.category"].sudo().search([])
        return self._render(
            "property_portal.portal_my_request_new",
            {
                "household": household,
                "categories": categories,
                "error": error,
                "page_name": "property_request_new",
            },
        )

    @http.route("/my/requests/suggest", type="json", auth="user")
    def portal_my_request_suggest(self, text=""):
        return self._suggest_category(text)

    def _suggest_category(self, text):
        text = (text or "")[:1000]
        if len(text.strip()) < 2:
            return {"category_id": False}
        predictions = request.env["property.request.classifier"].sudo()._predict([text])
        if not predictions:
            return {"category_id": False}
        code, confidence = predictions[0][0], predictions[0][1]
        category = request.env["property.request.category"].sudo().search([("code", "=", code)], limit=1)
        return {
            "category_id": category.id,
            "category_name": category.name,
            "confidence": round(confidence, 2),
        }

    @http.route("/my/requests/submit", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_request_submit(self, **post):
        household = self._household()
        unit = household.unit(post.get("unit_id"))
        if not unit:
            raise NotFound()
        vals = {
            "unit_id": unit.id,
            "description": (post.get("description") or "").strip(),
            "preferred_time_from": parse_datetime_local(post.get("preferred_time_from")),
            "preferred_time_to": parse_datetime_local(post.get("preferred_time_to")),
            "contact_phone": post.get("contact_phone") or False,
        }
        category = (
            request.env["property.request.category"].sudo().browse(int(post.get("category_id") or 0)).exists()
        )
        if category:
            vals["category_id"] = category.id
        if not vals["description"]:
            return self.portal_my_request_new(error=request.env._("Describe the problem."))
        # photos are checked before anything is written, and stored only with the request
        try:
            photos = read_images(request.httprequest.files.getlist("photos"))
            check_upload_rate(request.env, photos)
        except UploadError as error:
            return self.portal_my_request_new(error=upload_message(request.env, error))
        try:
            record = request.env["property.request"]._portal_create_request(request.env.user.partner_id, vals)
        except (UserError, ValidationError) as error:
            return self.portal_my_request_new(error=str(error))
        if photos:
            record.sudo().photo_ids = [Command.set(attach_images(request.env, photos, record).ids)]
        return request.redirect(f"/my/requests/{record.id}")

    @http.route("/my/requests/<int:request_id>", type="http", auth="user", website=True)
    def portal_my_request(self, request_id, **kw):
        household = self._household()
        record = self._get_or_404(household, "property.request", "request", request_id)
        return self._render(
            "property_portal.portal_my_request",
            {"service_request": record, "page_name": "property_request", "error": kw.get("error")},
        )

    @http.route(
        "/my/requests/<int:request_id>/<string:action>",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_request_action(self, request_id, action, **post):
        household = self._household()
        record = self._get_or_404(household, "property.request", "request", request_id)
        try:
            self._request_action(record, action, post)
        except UserError as error:
            return self.portal_my_request(request_id, error=str(error))
        return request.redirect(f"/my/requests/{record.id}")

    def _request_action(self, record, action, post):
        if action == "confirm":
            record.action_resident_confirm()
        elif action == "reject":
            record._action_reject((post.get("reason") or "").strip())
        elif action == "rate":
            rating = str(post.get("rating") or "")
            if rating not in ("1", "2", "3", "4", "5") or record.state not in ("followup", "closed"):
                raise UserError(request.env._("Rate the work with 1 to 5 stars once it is confirmed."))
            record.write({"rating": rating, "rating_comment": (post.get("comment") or "").strip() or False})
        else:
            raise NotFound()

    # ------------------------------------------------------------------
    # Announcements
    # ------------------------------------------------------------------
    @http.route("/my/announcements", type="http", auth="user", website=True)
    def portal_my_announcements(self, **kw):
        household = self._household()
        announcements = household.search("property.announcement", "announcement", limit=50)
        read = set(
            request.env["property.announcement.read"]
            .search([("announcement_id", "in", announcements.ids), ("partner_id", "=", household.partner.id)])
            .announcement_id.ids
        )
        return self._render(
            "property_portal.portal_my_announcements",
            {"announcements": announcements, "read_ids": read, "page_name": "property_announcements"},
        )

    @http.route("/my/announcements/<int:announcement_id>", type="http", auth="user", website=True)
    def portal_my_announcement(self, announcement_id, **kw):
        household = self._household()
        announcement = self._get_or_404(household, "property.announcement", "announcement", announcement_id)
        announcement._mark_read(household.partner)
        return self._render(
            "property_portal.portal_my_announcement",
            {"announcement": announcement, "page_name": "property_announcement"},
        )

    # ------------------------------------------------------------------
    # Surveys
    # ------------------------------------------------------------------
    @http.route("/my/surveys", type="http", auth="user", website=True)
    def portal_my_surveys(self, **kw):
        household = self._household()
        surveys = household.search("survey.survey", "survey")
        answers = (
            request.env["survey.user_input"]
            .sudo()
            .search([("survey_id", "in", surveys.ids), ("partner_id", "=", household.partner.id)])
        )
        done = set(answers.filtered(lambda a: a.state == "done").survey_id.ids)
        return self._render(
            "property_portal.portal_my_surveys",
            {"surveys": surveys, "done_ids": done, "page_name": "property_surveys"},
        )

    @http.route("/my/surveys/<int:survey_id>/start", type="http", auth="user", website=True)
    def portal_my_survey_start(self, survey_id, **kw):
        household = self._household()
        survey = self._get_or_404(household, "survey.survey", "survey", survey_id)
        try:
            answer = survey._portal_get_answer(household.partner, request.env.user)
        except UserError:
            return request.redirect("/my/surveys")
        if answer.state == "done":
            return request.redirect("/my/surveys")
        return request.redirect(f"/survey/start/{survey.access_token}?answer_token={answer.access_token}")

    # ------------------------------------------------------------------
    # Feedback
    # ------------------------------------------------------------------
    @http.route("/my/feedback", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_my_feedback(self, **post):
        household = self._household()
        error = None
        if request.httprequest.method == "POST":
            try:
                record = request.env["property.feedback"]._portal_submit(
                    household.partner,
                    household.units[:1],
                    post.get("kind"),
                    post.get("name"),
                    post.get("body"),
                )
            except ValidationError as err:
                error = str(err)
            else:
                return request.redirect(f"/my/feedback/{record.id}")
        feedback = household.search("property.feedback", "feedback")
        return self._render(
            "property_portal.portal_my_feedback_list",
            {"feedback_list": feedback, "error": error, "page_name": "property_feedback"},
        )

    @http.route("/my/feedback/<int:feedback_id>", type="http", auth="user", website=True)
    def portal_my_feedback_detail(self, feedback_id, **kw):
        household = self._household()
        record = self._get_or_404(household, "property.feedback", "feedback", feedback_id)
        return self._render(
            "property_portal.portal_my_feedback",
            {"feedback": record, "page_name": "property_feedback_detail"},
        )

    # ------------------------------------------------------------------
    # Community: marketplace and events
    # ------------------------------------------------------------------
    @http.route("/my/market", type="http", auth="user", website=True)
    def portal_my_market(self, error=None, **kw):
        household = self._household()
        items = household.search("property.market.item", "market", limit=60)
        return self._render(
            "property_portal.portal_my_market",
            {"items": items, "household": household, "error": error, "page_name": "property_market"},
        )

    @http.route("/my/market/new", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_market_new(self, **post):
        household = self._household()
        unit = household.unit(post.get("unit_id"))
        if not unit or not (post.get("name") or "").strip():
            return self.portal_my_market(error=request.env._("Give the item a title."))
        try:
            photos = read_images(request.httprequest.files.getlist("photos"))
            check_upload_rate(request.env, photos)
        except UploadError as error:
            return self.portal_my_market(error=upload_message(request.env, error))
        try:
            price = max(float(post.get("price") or 0), 0.0)
        except ValueError:
            price = 0.0
        item = (
            request.env["property.market.item"]
            .sudo()
            .create(
                {
                    "name": post["name"].strip()[:120],
                    "description": (post.get("description") or "").strip()[:3000],
                    "price": price,
                    "partner_id": household.partner.id,
                    "estate_id": unit.estate_id.id,
                }
            )
        )
        if photos:
            item.image_ids = [Command.set(attach_images(request.env, photos, item).ids)]
        return request.redirect(f"/my/market/{item.id}")

    @http.route("/my/market/<int:item_id>", type="http", auth="user", website=True)
    def portal_my_market_item(self, item_id, **kw):
        household = self._household()
        item = self._get_or_404(household, "property.market.item", "market", item_id)
        return self._render(
            "property_portal.portal_my_market_item",
            {
                "item": item,
                "is_seller": item.partner_id == household.partner,
                "page_name": "property_market_item",
            },
        )

    @http.route("/my/market/<int:item_id>/state", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_market_state(self, item_id, state=None, **kw):
        household = self._household()
        item = self._get_or_404(household, "property.market.item", "market", item_id)
        try:
            item._portal_set_state(household.partner, state)
        except UserError as error:
            raise NotFound() from error
        return request.redirect(f"/my/market/{item.id}")

    @http.route("/my/market/<int:item_id>/report", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_market_report(self, item_id, reason=None, **kw):
        household = self._household()
        item = self._get_or_404(household, "property.market.item", "market", item_id)
        request.env["property.market.report"].sudo().create(
            {
                "item_id": item.id,
                "partner_id": household.partner.id,
                "reason": (reason or "").strip()[:1000] or request.env._("Inappropriate"),
            }
        )
        return request.redirect(f"/my/market/{item.id}?reported=1")

    @http.route("/my/events", type="http", auth="user", website=True)
    def portal_my_events(self, **kw):
        household = self._household()
        events = household.search("property.community.event", "event", limit=50)
        registrations = household.registrations(events)
        return self._render(
            "property_portal.portal_my_events",
            {
                "events": events,
                "my_registrations": {r.event_id.id: r for r in registrations},
                "page_name": "property_events",
            },
        )

    @http.route(
        "/my/events/<int:event_id>/<string:action>", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_my_event_action(self, event_id, action, **kw):
        household = self._household()
        event = self._get_or_404(household, "property.community.event", "event", event_id)
        if action == "signup":
            try:
                event._portal_sign_up(household.partner, household.units)
            except UserError as error:
                raise NotFound() from error
        elif action == "cancel":
            registration = household.registrations(event)
            if not registration:
                raise NotFound()
            registration.action_cancel()
        else:
            raise NotFound()
        return request.redirect("/my/events")

    # ------------------------------------------------------------------
    # Visitors and safety
    # ------------------------------------------------------------------
    @http.route("/my/visitors", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_my_visitors(self, **post):
        household = self._household()
        error = None
        if request.httprequest.method == "POST":
            unit = household.unit(post.get("unit_id"))
            if not unit:
                raise NotFound()
            start = parse_datetime_local(post.get("visit_start")) or fields.Datetime.now()
            end = parse_datetime_local(post.get("visit_end")) or fields.Datetime.add(start, hours=4)
            try:
                visitor = request.env["property.security.visitor"]._portal_register(
                    household.partner,
                    {
                        "unit_id": unit.id,
                        "name": (post.get("name") or "").strip(),
                        "phone": (post.get("phone") or "").strip() or False,
                        "purpose": (post.get("purpose") or "").strip() or False,
                        "plate": (post.get("plate") or "").strip() or False,
                        "visit_start": start,
                        "visit_end": end,
                    },
                )
                return request.redirect(f"/my/visitors/{visitor.id}")
            except (UserError, ValidationError, AccessError) as err:
                error = str(err)
        visitors = household.search("property.security.visitor", "visitor", limit=50, order="id desc")
        return self._render(
            "property_portal.portal_my_visitors",
            {"visitors": visitors, "household": household, "error": error, "page_name": "property_visitors"},
        )

    @http.route("/my/visitors/<int:visitor_id>", type="http", auth="user", website=True)
    def portal_my_visitor(self, visitor_id, **kw):
        household = self._household()
        visitor = self._get_or_404(household, "property.security.visitor", "visitor", visitor_id)
        # the share link, while the pass is valid (the household may read its passes: sudo for the token)
        visitor_sudo = visitor.sudo()
        share_url = False
        if visitor_sudo._is_pass_shown(visitor_sudo._portal_ensure_token()):
            share_url = visitor_sudo.get_base_url() + visitor_sudo._get_pass_share_url()
        return self._render(
            "property_portal.portal_my_visitor",
            {"visitor": visitor, "share_url": share_url, "page_name": "property_visitor"},
        )

    @http.route("/visitor/pass/<int:visitor_id>", type="http", auth="public", website=True, sitemap=False)
    def visitor_pass_shared(self, visitor_id, access_token=None, **kw):
        """The pass the host shared: the visitor opens it without an account. Only with the pass's
        own token, while the pass is valid (approved, not revoked, not over); otherwise 404, with
        nothing about the pass. Shows what the gate needs: the QR code, the home to visit and
        the validity; never the host or a phone number."""
        visitor_sudo = request.env["property.security.visitor"].sudo().browse(visitor_id).exists()
        if not visitor_sudo or not visitor_sudo._is_pass_shown(access_token):
            raise NotFound()
        # the validity in the estate's time zone (the visitor has no account, hence no time zone)
        tz_name = visitor_sudo.host_partner_id.tz or request.env.user.tz or "Asia/Shanghai"
        response = request.render(
            "property_portal.visitor_pass_shared",
            {"visitor_sudo": visitor_sudo, "tz_name": tz_name},
        )
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response

    @http.route("/my/safety", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_my_safety(self, **post):
        household = self._household()
        alarm = error = None
        if request.httprequest.method == "POST":
            unit = household.unit(post.get("unit_id"))
            if not unit or post.get("confirm") != "1":
                raise NotFound()
            try:
                alarm = request.env["property.security.alarm"]._raise_from_portal(
                    household.partner, unit, post.get("alarm_type") or "other", note=post.get("note") or None
                )
            except UserError as err:
                error = str(err)
        return self._render(
            "property_portal.portal_my_safety",
            {
                "household": household,
                "alarm": alarm,
                "error": error,
                "alarm_types": request.env["property.security.alarm"]
                ._fields["alarm_type"]
                ._description_selection(request.env),
                "page_name": "property_safety",
            },
        )

    # ------------------------------------------------------------------
    # Household
    # ------------------------------------------------------------------
    @http.route("/my/household", type="http", auth="user", website=True)
    def portal_my_household(self, **kw):
        household = self._household()
        occupancies, plates, consents = household.members()
        return self._render(
            "property_portal.portal_my_household",
            {
                "household": household,
                "occupancies": occupancies,
                "plates": plates,
                "consents": consents,
                "page_name": "property_household",
            },
        )

    @http.route(
        "/my/household/consent/<int:consent_id>/withdraw",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_consent_withdraw(self, consent_id, **kw):
        household = self._household()
        consent = self._get_or_404(household, "property.consent", "consent", consent_id)
        if consent.state == "given":
            consent.action_withdraw(channel="portal")
        return request.redirect("/my/household")
