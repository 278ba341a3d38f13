import { registry } from "@web/core/registry";
import { pickInDropdown } from "@property_base/../tests/tours/steps";

/**
 * The front desk registers a walk-in visitor, in Chinese, through the real form:
 * picks the unit in the dropdown, gets its resident proposed as host, approves on the
 * host's phone confirmation and sees the pass issued.
 */
registry.category("web_tour.tours").add("property_front_desk_visitor", {
    steps: () => [
        { trigger: ".o_list_button_add", run: "click" },
        { trigger: ".o_field_widget[name=name] input", run: "edit 王先生" },
        { trigger: ".o_field_widget[name=phone] input", run: "edit 13511112222" },
        { trigger: ".o_field_widget[name=purpose] input", run: "edit 送快递" },
        ...pickInDropdown("unit_id", "0502", "0502", "The unit dropdown offers the unit"),
        {
            content: "The unit's resident is proposed as host",
            trigger: ".o_field_widget[name=host_partner_id] input:value(张伟)",
        },
        { trigger: ".o_form_button_save", run: "click" },
        {
            content: "Approve, labelled in Chinese",
            trigger: ".o_form_saved button[name=action_approve]:contains(同意)",
            run: "click",
        },
        {
            content: "The pass is issued",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(已同意)",
        },
    ],
});
