import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { Component, status, useState } from "@odoo/owl";

/**
 * The browser's current position, or null when the user refuses it, the device has none or
 * it takes too long.
 */
export function getCurrentPosition(timeout = 15000) {
    return new Promise((resolve) => {
        if (!navigator.geolocation) {
            resolve(null);
            return;
        }
        navigator.geolocation.getCurrentPosition(
            ({ coords }) => resolve({ latitude: coords.latitude, longitude: coords.longitude }),
            () => resolve(null),
            { enableHighAccuracy: true, timeout, maximumAge: 60000 }
        );
    });
}

/**
 * "Check In on Site" for a service request: saves the record, reads the browser's position
 * and calls action_check_in(latitude, longitude). Without a position the check-in is recorded
 * without one, and the technician is told why.
 */
export class RequestCheckInButton extends Component {
    static template = "property_workorder.RequestCheckInButton";
    static props = {
        ...standardWidgetProps,
        btnClass: { type: String, optional: true },
    };
    static defaultProps = { btnClass: "btn-secondary" };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.state = useState({ busy: false });
    }

    async onClick() {
        const record = this.props.record;
        this.state.busy = true;
        try {
            if (record.isNew || record.dirty) {
                if (!(await record.save())) {
                    return;
                }
            }
            const position = await getCurrentPosition();
            if (!position) {
                this.notification.add(
                    _t(
                        "Your position could not be read: checked in without it. Allow location access for this site to record where you are."
                    ),
                    { type: "warning" }
                );
            }
            await this.orm.call(record.resModel, "action_check_in", [[record.resId]], position || {});
            await record.load();
        } finally {
            if (status(this) !== "destroyed") {
                this.state.busy = false;
            }
        }
    }
}

export const requestCheckInButton = {
    component: RequestCheckInButton,
    extractProps: ({ options }) => (options.btn_class ? { btnClass: options.btn_class } : {}),
};

registry.category("view_widgets").add("property_request_check_in", requestCheckInButton);
