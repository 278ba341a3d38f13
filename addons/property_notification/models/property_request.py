from odoo import models

SMS_ASSIGNED = "notify_request_assigned"
SMS_DONE = "notify_request_done"


class PropertyRequest(models.Model):
    _inherit = "property.request"

    def _set_assigned(self, technician, mode, explanation=False):
        result = super()._set_assigned(technician, mode, explanation=explanation)
        self._notify_resident_progress("assigned")
        return result

    def action_grab(self):
        result = super().action_grab()
        self._notify_resident_progress("assigned")
        return result

    def action_done(self):
        result = super().action_done()
        self._notify_resident_progress("done")
        return result

    def _notify_resident_progress(self, stage):
        """The reporter hears that a technician took the request (who, and by when) and that the
        work is done (to be confirmed on the portal). One message per assignment: a request
        given to another technician is announced again."""
        Notification = self.env["property.notification"]

        def render(request):
            def _render(env):
                partner = request.partner_id
                url = f"/my/requests/{request.id}"
                if stage == "assigned":
                    eta = Notification._format_datetime(
                        env, request.preferred_time_from or request.resolution_deadline, partner
                    )
                    technician = request.technician_id.name or ""
                    return {
                        "subject": env._("Repair request %s assigned", request.name),
                        "body": env._(
                            "%(technician)s will handle your request %(name)s, expected by %(eta)s.",
                            technician=technician,
                            name=request.name,
                            eta=eta or env._("as soon as possible"),
                        ),
                        "url": url,
                        "sms_template": SMS_ASSIGNED,
                        "sms_params": [request.name, technician, eta],
                    }
                return {
                    "subject": env._("Repair request %s done", request.name),
                    "body": env._(
                        "The work on your request %s is done. Please confirm it on your resident portal.",
                        request.name,
                    ),
                    "url": url,
                    "sms_template": SMS_DONE,
                    "sms_params": [request.name],
                }

            return _render

        items = []
        for request in self.sudo().filtered("partner_id"):
            # each assignment and each completion is a stage of its own
            date = request.assigned_date if stage == "assigned" else request.done_date
            tag = f"{stage}:{request.technician_id.id}:{date and date.isoformat()}"
            items.append((request, request.partner_id, tag, render(request)))
        Notification._notify("workorder", items)
