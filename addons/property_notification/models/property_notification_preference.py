from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .property_notification import CHANNELS, EVENTS

# the dunning opt-outs of property_dunning that a resident's dunning preferences set
DUNNING_OPT_OUTS = {"sms": "has_dunning_sms_opt_out", "portal": "has_dunning_portal_opt_out"}


class PropertyNotificationPreference(models.Model):
    """How a resident wants to hear about one kind of event. No record: every channel.

    WeChat and SMS are alternatives: a resident bound to WeChat who allows it gets WeChat
    messages, otherwise SMS when allowed; the portal inbox comes in addition. Payment reminders
    are sent by property_dunning, whose per-channel opt-outs follow these preferences."""

    _name = "property.notification.preference"
    _description = "Notification Preference"
    _order = "partner_id, id"
    _rec_name = "event"

    partner_id = fields.Many2one(
        "res.partner", string="Resident", required=True, index=True, ondelete="cascade"
    )
    event = fields.Selection(EVENTS, required=True)
    use_wechat = fields.Boolean(string="WeChat", default=True)
    use_sms = fields.Boolean(string="SMS", default=True)
    use_portal = fields.Boolean(string="Portal", default=True)

    _sql_constraints = [
        ("partner_event_uniq", "unique(partner_id, event)", "A resident has one preference per event."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._sync_dunning_opt_outs()
        return records

    def write(self, vals):
        if "partner_id" in vals or "event" in vals:
            raise ValidationError(self.env._("A preference cannot be moved to another resident or event."))
        result = super().write(vals)
        self._sync_dunning_opt_outs()
        return result

    def _sync_dunning_opt_outs(self):
        """Reminders (property_dunning) skip the channels a resident refuses here."""
        for pref in self.filtered(lambda p: p.event == "dunning"):
            pref.partner_id.sudo().write(
                {field: not pref[f"use_{channel}"] for channel, field in DUNNING_OPT_OUTS.items()}
            )

    @api.model
    def _get_matrix(self, partner):
        """{event: {channel: allowed}} of ``partner``, every event and channel."""
        prefs = {pref.event: pref for pref in self.search([("partner_id", "=", partner.id)])}
        matrix = {}
        for event, __ in EVENTS:
            pref = prefs.get(event)
            matrix[event] = {channel: pref[f"use_{channel}"] if pref else True for channel, __ in CHANNELS}
        if not prefs.get("dunning"):
            sudo = partner.sudo()
            for channel, field in DUNNING_OPT_OUTS.items():
                matrix["dunning"][channel] = not sudo[field]
        return matrix

    @api.model
    def _set_matrix(self, partner, matrix):
        """Write ``partner``'s preferences ({event: {channel: bool}}), every event given."""
        prefs = {pref.event: pref for pref in self.search([("partner_id", "=", partner.id)])}
        to_create = []
        for event, channels in matrix.items():
            vals = {f"use_{channel}": bool(value) for channel, value in channels.items()}
            if event in prefs:
                prefs[event].write(vals)
            else:
                to_create.append(dict(vals, partner_id=partner.id, event=event))
        self.create(to_create)

    @api.model
    def _get_channels(self, partners, event):
        """{partner_id: [channel, …]}: the channels each of ``partners`` is told ``event`` through.

        WeChat for residents bound to it (when the company has WeChat), else SMS for those with a
        mobile number; the portal inbox in addition. A channel the resident refuses is left out."""
        prefs = {
            pref.partner_id.id: pref
            for pref in self.search([("partner_id", "in", partners.ids), ("event", "=", event)])
        }
        wechat_ready = bool(self.env["property.announcement"]._wechat_get_client())
        result = {}
        for partner in partners.sudo():
            pref = prefs.get(partner.id)

            def allowed(channel, pref=pref, partner=partner):
                if pref:
                    return pref[f"use_{channel}"]
                if event == "dunning" and channel in DUNNING_OPT_OUTS:
                    return not partner[DUNNING_OPT_OUTS[channel]]
                return True

            channels = []
            if wechat_ready and partner.wechat_openid and allowed("wechat"):
                channels.append("wechat")
            elif partner.mobile and allowed("sms"):
                channels.append("sms")
            if allowed("portal"):
                channels.append("portal")
            result[partner.id] = channels
        return result
