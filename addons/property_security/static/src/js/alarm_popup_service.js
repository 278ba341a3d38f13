import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";

/** How long the alarm rings at most when nobody reacts (ms). */
export const ALARM_RING_MS = 30000;

/**
 * Alarms raised at the guard's estate (resident's one-click, device, staff) arrive on the bus
 * (channel: the guard's partner, type `property_security/alarm`, text already in the guard's
 * language): a sticky red notification with a button to open the alarm, and a ringing sound
 * (mail's sound effects) until it is opened, closed, or after ALARM_RING_MS.
 */
export const alarmPopupService = {
    dependencies: ["bus_service", "notification", "action", "orm", "mail.sound_effects"],

    start(env, { bus_service, notification, action, orm, "mail.sound_effects": soundEffects }) {
        let ringTimeout = null;
        const stopRinging = () => {
            browser.clearTimeout(ringTimeout);
            soundEffects.stop("incoming-call");
        };
        const ring = () => {
            stopRinging();
            soundEffects.play("incoming-call", { loop: true, volume: 1 });
            ringTimeout = browser.setTimeout(stopRinging, ALARM_RING_MS);
        };

        bus_service.subscribe("property_security/alarm", (payload) => {
            const openAlarm = () =>
                action.doAction({
                    type: "ir.actions.act_window",
                    res_model: "property.security.alarm",
                    res_id: payload.id,
                    views: [[false, "form"]],
                    target: "current",
                });
            const close = notification.add(payload.message, {
                title: payload.title,
                type: "danger",
                sticky: true,
                className: "o_property_security_alarm_popup",
                onClose: stopRinging,
                buttons: [
                    {
                        name: payload.acknowledge,
                        primary: true,
                        onClick: async () => {
                            stopRinging();
                            close();
                            try {
                                await orm.call("property.security.alarm", "action_acknowledge", [
                                    [payload.id],
                                ]);
                            } catch (error) {
                                // another guard was quicker: say so, open the alarm anyway
                                notification.add(error.data?.message || String(error), {
                                    type: "warning",
                                });
                            }
                            await openAlarm();
                        },
                    },
                    {
                        name: payload.button,
                        onClick: () => {
                            stopRinging();
                            close();
                            openAlarm();
                        },
                    },
                ],
            });
            ring();
        });
        bus_service.start();
    },
};

registry.category("services").add("property_security.alarm_popup", alarmPopupService);
