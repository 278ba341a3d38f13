import { registry } from "@web/core/registry";

// A resident on the phone (375 px, Chinese): reads the reply in the notification inbox, then
// stops the SMS about new bills in the settings
registry.category("web_tour.tours").add("property_notification_preferences", {
    url: "/my",
    steps: () => [
        { content: "The inbox card with its unread count", trigger: "a[href='/my/notifications']:contains(消息通知)", run: "click" },
        { content: "The reply, unread", trigger: ".o_property_notification_unread:contains(您的意见)" },
        { trigger: ".o_property_notification:contains(已安排维保单位检查电梯) a", run: "click" },
        {
            content: "Opened on the feedback it is about; back to the inbox",
            trigger: "h3:contains(电梯太慢)",
            run() {
                window.location.href = "/my/notifications";
            },
        },
        { content: "Read now", trigger: ".o_property_notification:not(.o_property_notification_unread):contains(您的意见)" },
        { trigger: ".o_property_notification_settings:contains(设置)", run: "click" },
        { content: "The settings, in Chinese", trigger: "h3:contains(通知设置)" },
        { trigger: "tr:contains(账单出具) input[name=bill_sms]:checked", run: "click" },
        { trigger: "tr:contains(账单出具) input[name=bill_sms]:not(:checked)" },
        { trigger: ".o_property_notification_save:contains(保存)", run: "click" },
        { content: "Saved", trigger: ".o_property_notification_saved:contains(已保存)" },
        { trigger: "input[name=bill_sms]:not(:checked)" },
        { trigger: "input[name=bill_portal]:checked" },
    ],
});
