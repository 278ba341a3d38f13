import { registry } from "@web/core/registry";

/**
 * The front desk publishes a notice to one building, in Chinese, through the real form:
 * picks the estate and the building in their dropdowns, writes the message, publishes.
 */
registry.category("web_tour.tours").add("property_front_desk_notice", {
    steps: () => [
        { trigger: ".o_list_button_add", run: "click" },
        { trigger: ".o_field_widget[name=name] input", run: "edit 3号楼停水通知" },
        { trigger: ".o_field_widget[name=estate_id] input", run: "edit 翠湖" },
        {
            content: "The estate dropdown offers the estate",
            trigger: ".o_field_widget[name=estate_id] .o-autocomplete--dropdown-item a:contains(翠湖花园)",
            run: "click",
        },
        { trigger: ".o_field_widget[name=target_type] select", run: 'select "building"' },
        { trigger: ".o_field_widget[name=building_id] input", run: "edit 3号" },
        {
            content: "The building dropdown offers the estate's building",
            trigger: ".o_field_widget[name=building_id] .o-autocomplete--dropdown-item a:contains(3号楼)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=body] .odoo-editor-editable",
            run: "editor 周六上午水箱清洗，停水半天。",
        },
        { trigger: ".o_form_button_save", run: "click" },
        {
            content: "Publish, labelled in Chinese",
            trigger: ".o_form_saved button[name=action_publish]:contains(发布并通知)",
            run: "click",
        },
        {
            content: "The notice is published",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(已发布)",
        },
    ],
});
