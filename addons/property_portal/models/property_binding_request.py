import logging
import re

from werkzeug.urls import url_encode

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.property_base.models.property_occupancy import OCCUPANCY_ROLES

_logger = logging.getLogger(__name__)

# roles a resident may claim by themselves; co-ownership shares are set by staff
CLAIMABLE_ROLES = [role for role in OCCUPANCY_ROLES if role[0] in ("owner", "tenant", "family")]


def normalize_phone(phone):
    """Digits only, the last 11 (a Chinese mobile number, +86 or spaces removed)."""
    digits = re.sub(r"\D", "", phone if isinstance(phone, str) else "")
    return digits[-11:] if len(digits) >= 11 else digits


class PropertyBindingRequest(models.Model):
    """A resident binding themselves to their home (自助绑定), from the website or the mini-program.

    The resident proved the phone with a one-time code and claimed a unit. When the phone is the
    phone on file of a current occupant of that unit, the binding is immediate (state ``bound``).
    Otherwise the request waits for the front desk of the estate, who approves it (an occupancy
    and a portal account are made) or refuses it with a reason; the resident is told either way.
    """

    _name = "property.binding.request"
    _description = "Resident Binding Request"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"
    _check_company_auto = True
    _property_pii_fields = ("phone",)

    name = fields.Char(string="Resident Name", required=True, tracking=True)
    phone = fields.Char(
        required=True, readonly=True, help="The mobile number the resident proved with a code."
    )
    # no check_company: the request's company comes from the unit (an empty dropdown otherwise)
    unit_id = fields.Many2one("property.unit", required=True, index=True, ondelete="cascade", tracking=True)
    building_id = fields.Many2one(related="unit_id.building_id", store=True, index=True, precompute=True)
    estate_id = fields.Many2one(related="unit_id.estate_id", store=True, index=True, precompute=True)
    company_id = fields.Many2one(related="unit_id.company_id", store=True, index=True, precompute=True)
    role = fields.Selection(CLAIMABLE_ROLES, required=True, default="owner", tracking=True)
    channel = fields.Selection(
        [("web", "Website"), ("api", "Mini-program / App")], required=True, default="web", readonly=True
    )
    state = fields.Selection(
        [
            ("pending", "Waiting for Approval"),
            ("bound", "Bound Automatically"),
            ("approved", "Approved"),
            ("refused", "Refused"),
        ],
        required=True,
        default="pending",
        index=True,
        tracking=True,
        readonly=True,
    )
    refuse_reason = fields.Text(tracking=True)
    partner_id = fields.Many2one("res.partner", string="Resident", readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Portal Account", readonly=True)
    occupancy_id = fields.Many2one("property.occupancy", readonly=True)
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decided_date = fields.Datetime(readonly=True)
    wechat_openid = fields.Char(readonly=True, copy=False, groups="base.group_system")

    # ------------------------------------------------------------------ binding
    @api.model
    def _portal_bind(self, phone, unit, name, role, *, channel="web", wechat_openid=False):
        """Bind the proven ``phone`` to ``unit`` (called as superuser by the website and the API,
        after the one-time code was checked). Returns the request: ``bound`` when the phone is on
        file for a current occupant of the unit, ``pending`` otherwise. One pending request per
        phone and unit: asking again updates it, nothing is doubled."""
        phone = normalize_phone(phone)
        name = (name or "").strip()[:64]
        if len(phone) != 11 or not name or not unit or role not in dict(CLAIMABLE_ROLES):
            raise UserError(self.env._("Enter your name, your mobile number and your unit."))
        occupant = self._occupant_with_phone(unit, phone)
        values = {"name": name, "phone": phone, "unit_id": unit.id, "role": role, "channel": channel}
        if wechat_openid:
            values["wechat_openid"] = wechat_openid
        if occupant:
            record = self.create(dict(values, state="bound", partner_id=occupant.partner_id.id))
            record.occupancy_id = occupant
            record._grant_portal_access()
            return record
        record = self.search(
            [("phone", "=", phone), ("unit_id", "=", unit.id), ("state", "=", "pending")], limit=1
        )
        if record:
            record.write({k: v for k, v in values.items() if k != "channel"})
        else:
            record = self.create(values)
        record.message_post(
            body=self.env._(
                "A resident asks to be bound to %(unit)s: to approve or refuse.", unit=unit.display_name
            ),
            subtype_xmlid="mail.mt_note",
        )
        return record

    @api.model
    def _occupant_with_phone(self, unit, phone):
        """The current occupancy of ``unit`` whose resident's mobile or phone is ``phone``."""
        occupancies = (
            self.env["property.occupancy"]
            .sudo()
            .search([("unit_id", "=", unit.id), ("state", "=", "current")])
        )
        return occupancies.filtered(
            lambda o: phone in (normalize_phone(o.partner_id.mobile), normalize_phone(o.partner_id.phone))
        )[:1]

    def _grant_portal_access(self):
        """The resident's portal account (made when missing; the login is the mobile number)."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        user = partner.user_ids.filtered(lambda u: u._is_portal())[:1]
        if user and not user.active:
            user.active = True
        if not user:
            if partner.user_ids:
                raise UserError(self.env._("This resident already has a staff account: bind them by hand."))
            Users = self.env["res.users"].sudo().with_context(no_reset_password=True)
            if Users.with_context(active_test=False).search_count([("login", "=", self.phone)]):
                raise UserError(
                    self.env._("The mobile number %s is already the login of another account.", self.phone)
                )
            user = Users.create(
                {
                    "name": partner.name,
                    "login": self.phone,
                    "partner_id": partner.id,
                    "company_id": self.company_id.id,
                    "company_ids": [Command.set(self.company_id.ids)],
                    "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
                }
            )
        if self.sudo().wechat_openid and not partner.wechat_openid:
            partner.wechat_openid = self.sudo().wechat_openid
        self.user_id = user
        return user

    def _password_link(self, hours=None):
        """A link to Odoo's own page where the resident sets their password (signup token of
        type reset, valid ``hours``), then lands signed in on their home page."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        partner.signup_prepare(signup_type="reset")
        token = partner._generate_signup_token(expiration=hours)
        query = url_encode({"db": self.env.cr.dbname, "token": token, "redirect": "/my"})
        return f"{partner.get_base_url()}/web/reset_password?{query}"

    # ------------------------------------------------------------------ staff decision
    def action_approve(self):
        """Approve: the resident (found by mobile number, or new) gets an occupancy of the unit in
        the claimed role and a portal account, and is told by SMS with a link to set a password."""
        for record in self:
            record._check_pending()
            partner = record._find_or_create_partner()
            occupancy = self.env["property.occupancy"].create(
                {
                    "unit_id": record.unit_id.id,
                    "partner_id": partner.id,
                    "role": record.role,
                    "share": 100.0 if record.role == "owner" else 0.0,
                    "date_start": fields.Date.context_today(record),
                }
            )
            record.write(
                {
                    "state": "approved",
                    "partner_id": partner.id,
                    "occupancy_id": occupancy.id,
                    "decided_by_id": self.env.uid,
                    "decided_date": fields.Datetime.now(),
                }
            )
            record._grant_portal_access()
            record._notify_resident()
        return True

    def action_refuse(self):
        for record in self:
            record._check_pending()
            if not (record.refuse_reason or "").strip():
                raise UserError(self.env._("Write the reason for refusing: the resident will read it."))
            record.write(
                {"state": "refused", "decided_by_id": self.env.uid, "decided_date": fields.Datetime.now()}
            )
            record._notify_resident()
        return True

    def _check_pending(self):
        if self.state != "pending":
            raise UserError(self.env._("This request has already been decided."))

    def _find_or_create_partner(self):
        """The contact of the company whose mobile is the proven phone, or a new one."""
        self.ensure_one()
        Partner = self.env["res.partner"].sudo()
        candidates = Partner.search(
            [
                ("mobile", "like", self.phone[-8:]),
                ("company_id", "in", [False, self.company_id.id]),
                ("is_company", "=", False),
            ],
            limit=20,
        ).filtered(lambda p: normalize_phone(p.mobile) == self.phone)
        if candidates:
            return candidates[0]
        return Partner.create(
            {"name": self.name, "mobile": self.phone, "lang": self.env.user.lang or "zh_CN"}
        )

    def _bind_again_url(self):
        """The binding page with the home filled in: once approved, the resident binds again with
        a code and is in at once (no secret travels in the message)."""
        self.ensure_one()
        query = url_encode({"unit": self.unit_id.id})
        return f"{self.sudo().company_id.get_base_url()}/bind?{query}"

    def _notify_text(self):
        """What the resident is told, in the company's language."""
        self.ensure_one()
        env = self.with_context(lang=self.company_id._property_lang()).env
        if self.state == "approved":
            return env._(
                "Your binding to %(unit)s is approved. Open %(link)s and confirm your mobile number "
                "with a code to set your password.",
                unit=self.unit_id.display_name,
                link=self._bind_again_url(),
            )
        return env._(
            "Your binding to %(unit)s was refused: %(reason)s. Call the service desk if this is a mistake.",
            unit=self.unit_id.display_name,
            reason=self.refuse_reason,
        )

    def _notify_resident(self):
        """Tell the resident of the decision. Here the text stays on the request's chatter;
        property_portal_sms sends it by SMS to the proven number."""
        self.ensure_one()
        text = self._notify_text()
        self.message_post(body=text, subtype_xmlid="mail.mt_note")
        return text
