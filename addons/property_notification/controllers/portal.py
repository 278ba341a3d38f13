from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from odoo.addons.property_portal.controllers.portal import ResidentPortal

from ..models.property_notification import CHANNELS, EVENTS

PAGE_SIZE = 20
# the preferences form: one checkbox per event and channel, plus the CSRF token
FORM_FIELDS = {f"{event}_{channel}" for event, __ in EVENTS for channel, __ in CHANNELS}
MAX_VALUE_LENGTH = 8


class NotificationPortal(ResidentPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "property_notification_count" in counters:
            # counted as the resident: the record rules decide
            values["property_notification_count"] = request.env["property.notification"].search_count(
                self._notification_domain() + [("is_read", "=", False)]
            )
        return values

    def _notification_domain(self):
        return request.env["property.notification"]._portal_domain(request.env.user.partner_id)

    @http.route(
        ["/my/notifications", "/my/notifications/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_notifications(self, page=1, **kw):
        Notification = request.env["property.notification"]
        domain = self._notification_domain()
        pager = request.website.pager(
            url="/my/notifications", total=Notification.search_count(domain), page=page, step=PAGE_SIZE
        )
        notifications = Notification.search(domain, limit=PAGE_SIZE, offset=pager["offset"])
        return self._render(
            "property_notification.portal_my_notifications",
            {"notifications": notifications, "pager": pager, "page_name": "property_notifications"},
        )

    @http.route("/my/notifications/<int:notification_id>", type="http", auth="user", website=True)
    def portal_my_notification_open(self, notification_id, **kw):
        """Marks the message read and opens the page it is about (a page of this site only)."""
        notification = request.env["property.notification"].search(
            self._notification_domain() + [("id", "=", notification_id)]
        )
        if not notification:
            raise NotFound()
        notification._mark_read()
        url = notification.url or ""
        if not url.startswith("/") or url.startswith("//"):
            url = "/my/notifications"
        return request.redirect(url)

    @http.route(
        "/my/notifications/preferences", type="http", auth="user", website=True, methods=["GET", "POST"]
    )
    def portal_my_notification_preferences(self, **post):
        """The resident's own channels per event. Only the form's fields are accepted: anything
        else (another resident's id, unknown fields, oversized values) refuses the whole form and
        changes nothing."""
        Preference = request.env["property.notification.preference"]
        partner = request.env.user.partner_id
        error = saved = False
        if request.httprequest.method == "POST":
            post.pop("csrf_token", None)
            unknown = set(post) - FORM_FIELDS
            too_long = any(len(str(value)) > MAX_VALUE_LENGTH for value in post.values())
            if unknown or too_long:
                error = request.env._("This form was not sent by your resident portal: nothing was changed.")
            else:
                matrix = {
                    event: {channel: f"{event}_{channel}" in post for channel, __ in CHANNELS}
                    for event, __ in EVENTS
                }
                Preference._set_matrix(partner, matrix)
                saved = True
        return self._render(
            "property_notification.portal_my_notification_preferences",
            {
                "matrix": Preference._get_matrix(partner),
                "events": Preference._fields["event"]._description_selection(request.env),
                "channels": request.env["property.notification"]
                ._fields["channel"]
                ._description_selection(request.env),
                "error": error,
                "saved": saved,
                "is_wechat_bound": bool(partner.sudo().wechat_openid),
                "page_name": "property_notification_preferences",
            },
        )
