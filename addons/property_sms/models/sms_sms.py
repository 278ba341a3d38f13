import json
import logging

from odoo import fields, models, tools

from odoo.addons.sms.models.sms_sms import SmsSms as CoreSmsSms

_logger = logging.getLogger(__name__)


class SmsSms(models.Model):
    """Route SMS through the company's property gateway when one is configured.

    Odoo 18's ``_send`` has no provider hook: it calls IAP and then does its bookkeeping
    (state, failure type, trackers, notifications) on the ``[{'uuid', 'state'}]`` results.
    With a gateway, we produce the same results and run the same bookkeeping
    (``_property_sms_apply_results`` mirrors the second half of core ``_send``)."""

    _inherit = "sms.sms"
    # its display name is the number (``_rec_name``): masked, e.g. on the dunning log
    _property_pii_fields = ("number",)
    _property_pii_partner_field = "partner_id"

    IAP_TO_SMS_FAILURE_TYPE = {**CoreSmsSms.IAP_TO_SMS_FAILURE_TYPE, "blacklisted": "sms_blacklist"}

    property_template_code = fields.Char(
        string="Template Message Type", help="Send this approved template instead of the free text body."
    )
    property_template_params = fields.Json(string="Template Parameters")

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        gateway = self.env["property.sms.gateway"]._get_company_gateway()
        if not gateway:
            return super()._send(
                unlink_failed=unlink_failed, unlink_sent=unlink_sent, raise_exception=raise_exception
            )
        results = []
        groups = self.grouped(
            lambda s: (
                (s.property_template_code, json.dumps(s.property_template_params or []))
                if s.property_template_code
                else (False, s.body or "")
            )
        )
        for (template_code, key), records in groups.items():
            numbers = [sms.number or "" for sms in records]
            partners = [sms.partner_id for sms in records]
            try:
                if template_code:
                    sent = gateway._send_template(
                        numbers, template_code, records[0].property_template_params or [], partners=partners
                    )
                else:
                    sent = gateway._send_text(numbers, key, partners=partners)
            except Exception:
                if raise_exception:
                    raise
                _logger.exception("SMS gateway %s failed", gateway.id)
                sent = [{"state": "server_error"} for __ in records]
            results += [
                {"uuid": sms.uuid, "state": result["state"]}
                for sms, result in zip(records, sent, strict=True)
            ]
        _logger.info("Sent batch %s SMS through gateway %s: %s", len(self), gateway.id, results)
        self._property_sms_apply_results(results, unlink_failed=unlink_failed, unlink_sent=unlink_sent)

    def _property_sms_apply_results(self, results, unlink_failed=False, unlink_sent=True):
        """Core ``sms.sms._send`` bookkeeping for ``[{'uuid', 'state'}]`` results."""
        uuids = [result["uuid"] for result in results]
        all_sms_sudo = (
            self.env["sms.sms"]
            .sudo()
            .search([("uuid", "in", uuids)])
            .with_context(sms_skip_msg_notification=True)
        )
        for state, group in tools.groupby(results, key=lambda result: result["state"]):
            group_uuids = {result["uuid"] for result in group}
            sms_sudo = all_sms_sudo.filtered(lambda s, u=group_uuids: s.uuid in u)
            if success_state := self.IAP_TO_SMS_STATE_SUCCESS.get(state):
                sms_sudo.sms_tracker_id._action_update_from_sms_state(success_state)
                to_delete = {"to_delete": True} if unlink_sent else {}
                sms_sudo.write({"state": success_state, "failure_type": False, **to_delete})
            else:
                failure_type = self.IAP_TO_SMS_FAILURE_TYPE.get(state, "unknown")
                if failure_type != "unknown":
                    sms_sudo.sms_tracker_id._action_update_from_sms_state("error", failure_type=failure_type)
                else:
                    sms_sudo.sms_tracker_id._action_update_from_provider_error(state)
                to_delete = {"to_delete": True} if unlink_failed else {}
                sms_sudo.write({"state": "error", "failure_type": failure_type, **to_delete})
        all_sms_sudo.mail_message_id._notify_message_notification_update()
