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
        occupancies = self.env["property.occupancy"].sudo()
        today = fields.Date.context_today(self)
        return occupancies.search(
            [("partner_id", "=", self.id)] + occupancies._get_current_domain(today)
        ).unit_id

    def _portal_household_partners(self, units=None):
        """Everybody who currently lives in this partner's units (the household)."""
        self.ensure_one()
        units = self._portal_household_units() if units is None else units
        occupancies = self.env["property.occupancy"].sudo()
        today = fields.Date.context_today(self)
        return (
            occupancies.search(
                [("unit_id", "in", units.ids)] + occupancies._get_current_domain(today)
            ).partner_id
            | self
        )

    @api.model
    def _portal_send_otp(self, phone, code):
        """Send a one-time login code by SMS. The SMS gateway interface of the suite: an addon
        that plugs a gateway overrides this; without one the code is only logged (debug)."""
        _logger.info("Portal OTP for %s generated (no SMS gateway configured)", phone[-4:])
        return True
