import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class ResPartner(models.Model):
    _inherit = "res.partner"

    wechat_openid = fields.Char(
        string="WeChat OpenID",
        copy=False,
        index="btree_not_null",
        groups="base.group_system,property_base.group_property_manager",
        help="Set when the resident binds WeChat (mini-program login): WeChat template messages "
        "are sent to this openid.",
    )
    wechat_unionid = fields.Char(
        string="WeChat UnionID", copy=False, groups="base.group_system,property_base.group_property_manager"
    )

    _sql_constraints = [
        ("wechat_openid_uniq", "unique(wechat_openid)", "A WeChat account is bound to one resident only."),
    ]

    # ------------------------------------------------------------------
    # Household: the units where the partner currently lives, and who lives there with them.
    # Every portal route and API endpoint filters on these, with sudo and an explicit domain.
    # ------------------------------------------------------------------
    def _portal_household_units(self):
        """Units where this partner has a current occupancy (any role)."""
        self.ensure_one()
        unit_ids, _partner_ids = self._portal_household_ids()
        return self.env["property.unit"].sudo().browse(unit_ids)

    def _portal_household_ids(self):
        """``(unit ids, partner ids)`` of this partner's household today (cached)."""
        today = fields.Date.context_today(self)
        occupancies = self.env["property.occupancy"]
        # pending occupancy changes of this transaction are written first: that clears the cache
        occupancies.flush_model(["unit_id", "partner_id", "date_start", "date_end"])
        return occupancies._portal_household_ids(self.id, today)

    @api.model
    def _portal_send_otp(self, phone, code, company=None):
        """Send a one-time login code by SMS to the resident of ``company``; True when sent.
        property_portal_sms sends it through property_sms's gateway; without one nothing is sent
        and the code is not logged either."""
        _logger.info("Portal OTP for …%s not sent: no SMS gateway module installed", phone[-4:])
        return False
