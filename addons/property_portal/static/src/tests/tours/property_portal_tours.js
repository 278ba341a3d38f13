import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

tours.add("property_portal_pay_bill", {
    url: "/my/bills",
    steps: () => [
        { trigger: ".o_property_bill input[name=bill_ids]", run: "click" },
        { trigger: ".o_property_pay_selected", run: "click" },
        { trigger: ".o_property_pay_total" },
        { trigger: "input[name=o_payment_radio][data-provider-code=wechatpay]", run: "click" },
        { trigger: "button[name=o_payment_submit_button]:enabled", run: "click" },
        { content: "The WeChat Pay QR code is shown", trigger: ".o_wechatpay_qrcode img" },
    ],
});

tours.add("property_portal_receipt", {
    url: "/my/payments",
    steps: () => [
        { trigger: ".o_property_payment:contains(Paid)", run: "click" },
        { trigger: ".o_property_receipt:contains(Payment receipt)" },
    ],
});

tours.add("property_portal_request", {
    url: "/my/requests",
    steps: () => [
        { trigger: ".o_property_new_request", run: "click" },
        { trigger: ".o_property_description", run: "edit 厨房水管漏水，地上全是水" },
        { trigger: "input[name=contact_phone]", run: "edit 13812341234" },
        { trigger: ".o_property_submit_request", run: "click" },
        { content: "The new request is shown", trigger: ".o_property_request_state" },
    ],
});

tours.add("property_portal_request_rate", {
    steps: () => [
        { trigger: ".o_property_confirm", run: "click" },
        { trigger: "label[for=star_5]", run: "click" },
        { trigger: ".o_property_rate_form textarea[name=comment]", run: "edit 师傅很专业" },
        { trigger: ".o_property_rate", run: "click" },
        { trigger: ".o_property_rated" },
    ],
});

tours.add("property_portal_announcement", {
    url: "/my/announcements",
    steps: () => [
        { trigger: ".o_property_announcement:contains(停水通知)", run: "click" },
        { trigger: ".o_property_announcement_body:contains(水箱清洗)" },
    ],
});

tours.add("property_portal_survey", {
    url: "/my/surveys",
    steps: () => [
        { trigger: ".o_property_survey_start", run: "click" },
        { trigger: "button.btn:contains(Start)", run: "click" },
        { trigger: "div.js_question-wrapper label:contains(非常满意)", run: "click" },
        { trigger: "button[value=finish]", run: "click" },
        { trigger: "h1:contains(Thank you)" },
    ],
});

tours.add("property_portal_market", {
    url: "/my/market",
    steps: () => [
        { trigger: ".o_property_market_new summary", run: "click" },
        { trigger: ".o_property_market_new input[name=name]", run: "edit 闲置婴儿推车" },
        { trigger: ".o_property_market_new input[name=price]", run: "edit 150" },
        { trigger: ".o_property_market_post", run: "click" },
        { trigger: "h3:contains(闲置婴儿推车)" },
    ],
});

tours.add("property_portal_event", {
    url: "/my/events",
    steps: () => [
        { trigger: ".o_property_event_signup", run: "click" },
        { trigger: ".o_property_signed_up" },
    ],
});

tours.add("property_portal_visitor", {
    url: "/my/visitors",
    steps: () => [
        { trigger: ".o_property_visitor_form input[name=name]", run: "edit 王先生" },
        { trigger: ".o_property_visitor_form input[name=phone]", run: "edit 13900002222" },
        { trigger: ".o_property_visitor_submit", run: "click" },
        { trigger: ".o_property_pass_qr" },
    ],
});
