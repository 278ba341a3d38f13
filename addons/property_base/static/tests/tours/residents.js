import { registry } from "@web/core/registry";

/**
 * The front desk opens 住户 in the Property app, in Chinese: a list of residents with their
 * building, unit, role and masked mobile; grouped by role; a resident's form shows where they
 * live (occupancies), not Odoo's sales and purchase tabs.
 */
registry.category("web_tour.tours").add("property_residents_front_desk", {
    steps: () => [
        { content: "The residents list", trigger: ".o_list_view .o_data_row" },
        { trigger: ".o_list_view th[data-name=resident_building_id]:contains(楼栋)" },
        { trigger: ".o_list_view th[data-name=resident_unit_id]:contains(房屋)" },
        { trigger: ".o_list_view th[data-name=resident_role]:contains(身份)" },
        { trigger: ".o_list_view th[data-name=mobile]:contains(手机)" },
        {
            content: "The owner's row: unit, role, masked mobile",
            trigger: ".o_data_row:has(td[name=name]:contains(张伟)):has(td[name=resident_role]:contains(业主)):has(td[name=mobile]:contains(138****1234))",
        },
        { content: "Open the search options", trigger: ".o_searchview_dropdown_toggler", run: "click" },
        {
            content: "Group by role",
            trigger: ".o_group_by_menu .o_menu_item:contains(身份)",
            run: "click",
        },
        {
            content: "Open the tenants",
            trigger: ".o_group_header:contains(租户)",
            run: "click",
        },
        {
            content: "Open the tenant's form",
            trigger: ".o_data_row td[name=name]:contains(王芳)",
            run: "click",
        },
        { trigger: ".o_form_view .o_field_widget[name=resident_unit_id]:contains(A-3-0503)" },
        {
            content: "Where they live, not sales and purchases",
            trigger: ".o_form_view .o_notebook .nav-link:contains(入住关系)",
        },
        { trigger: ".o_form_view:not(:has(.nav-link:contains(销售和采购)))" },
        { trigger: ".o_field_widget[name=occupancy_ids] .o_data_row:contains(租户)" },
    ],
});
