import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

// A resident pays two bills with the demo's payment provider (no merchant keys), in Chinese at 375 px
tours.add("property_portal_pay_bills_demo", {
    url: "/my/bills",
    steps: () => [
        { trigger: ".o_property_bill:first input[name=bill_ids]", run: "click" },
        { trigger: ".o_property_bill:last input[name=bill_ids]", run: "click" },
        { trigger: ".o_property_pay_selected:contains(缴纳所选账单)", run: "click" },
        { content: "Both bills, one total", trigger: ".o_property_pay_total:contains(356.50)" },
        { trigger: "input[name=o_payment_radio][data-provider-code=demo]", run: "click" },
        { trigger: "#customer_input", run: "edit 4111 1111 1111 1111" },
        { trigger: "button[name=o_payment_submit_button]:enabled", run: "click" },
        {
            content: "Paid: back on the payment history (after the status page)",
            trigger: ".o_property_payment:contains(已缴)",
            run: "click",
            timeout: 30000,
        },
        { trigger: ".o_property_receipt:contains(缴费收据)" },
        { trigger: ".o_property_back a", run: "click" },
        { trigger: ".o_property_back a", run: "click" },
        { content: "The bills are paid", trigger: ".o_property_bills_form:not(:has(input[name=bill_ids]))" },
    ],
});

// A visitor opens the pass the host shared, without an account
tours.add("property_portal_shared_pass", {
    steps: () => [
        { trigger: ".o_property_visitor_pass_shared h4:contains(访客通行证)" },
        { trigger: ".o_property_pass_qr" },
        { trigger: ".o_property_pass_validity:contains(有效期)" },
    ],
});
