import { registry } from "@web/core/registry";

/**
 * The front desk's counter, in Chinese: find the household by its unit in the dropdown, tick
 * two open bills, collect in cash and print the receipt.
 */
registry.category("web_tour.tours").add("property_cashier_collect_cash", {
    steps: () => [
        { trigger: ".o_list_button_add", run: "click" },
        { trigger: ".o_field_widget[name=partner_id] input", run: "edit 0502" },
        {
            content: "The dropdown finds the household by its unit",
            trigger: ".o_field_widget[name=partner_id] .o-autocomplete--dropdown-item a:contains(张伟):contains(A-3-0502)",
            run: "click",
        },
        {
            content: "Its three open bills are listed, none ticked",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:nth-child(3)",
        },
        {
            content: "Tick the oldest bill",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:nth-child(1) .o_field_widget[name=is_selected] input",
            run: "click",
        },
        {
            content: "and the next one",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:nth-child(2) .o_field_widget[name=is_selected] input",
            run: "click",
        },
        {
            content: "The amount follows the two bills",
            trigger: ".o_field_widget[name=amount_selected]:contains(200.00)",
        },
        {
            content: "Cash is the default method",
            trigger: ".o_field_widget[name=method] input[data-value=cash]:checked",
        },
        {
            content: "Collect",
            trigger: ".o_form_view button[name=action_collect]:contains(收款)",
            run: "click",
        },
        {
            content: "Collected, with a receipt number",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(已收款)",
        },
        { trigger: ".o_form_view .oe_title h1:contains(SJ2026)" },
        {
            content: "Print the receipt",
            trigger: ".o_form_view button[name=action_print_receipt]:contains(打印收据)",
            run: "click",
        },
        {
            content: "The desk stays on the collection",
            trigger: ".o_form_view .o_field_widget[name=line_ids] .o_data_row td:contains(100.00)",
        },
    ],
});
