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
    # Household: the units where the partner currently holds an occupancy, and the people they
    # live with (property.occupancy._portal_access_data; record rules use the same data).
    # ------------------------------------------------------------------
    def _portal_household_units(self):
        """Units where this partner has a current occupancy (any role)."""
        self.ensure_one()
        unit_ids, _partner_ids = self._portal_household_ids()
        return self.env["property.unit"].sudo().browse(unit_ids)

    def _portal_household_ids(self):
        """``(unit ids, partner ids)`` of this partner's household today (cached)."""
        self.ensure_one()
        access = self.env["property.occupancy"]._portal_access(self)
        return access["unit_ids"], access["partner_ids"]

    @api.model
    def _portal_send_otp(self, phone, code, company=None):
        """Send a one-time login code by SMS to the resident of ``company``; True when sent.
        property_portal_sms sends it through property_sms's gateway; without one nothing is sent
        and the code is not logged either."""
        _logger.info("Portal OTP for …%s not sent: no SMS gateway module installed", phone[-4:])
        return False
