import { registry } from "@web/core/registry";

/**
 * The front desk approves a resident's binding request, in Chinese, from the waiting list.
 */
registry.category("web_tour.tours").add("property_front_desk_binding", {
    steps: () => [
        { content: "The waiting request", trigger: ".o_data_row td:contains(赵敏)", run: "click" },
        { trigger: ".o_field_widget[name=role] select", run: 'select "family"' },
        { trigger: "button[name=action_approve]:contains(同意)", run: "click" },
        {
            content: "Approved",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(已同意)",
        },
    ],
});
