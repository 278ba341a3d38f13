import { registry } from "@web/core/registry";
import { pickInDropdown } from "@property_base/../tests/tours/steps";

/**
 * The accountant's day, in Chinese, through the real screens: bill a month, look at the
 * bills, export the arrears, match a resident's bank transfer with a bill, open the aged
 * partner balance.
 */
registry.category("web_tour.tours").add("property_accountant_billing_run", {
    steps: () => [
        { trigger: ".o_list_button_add", run: "click" },
        ...pickInDropdown("estate_id", "翠湖", "翠湖花园", "The estate dropdown offers the accountant's estate"),
        { trigger: ".o_field_widget[name=date_from] input", run: "edit 2026-04-01" },
        { trigger: ".o_form_sheet .oe_title", run: "click" },
        {
            content: "Preview the month",
            trigger: ".o_form_view button[name=action_preview]:contains(预览)",
            run: "click",
        },
        {
            content: "The preview lists the fee item",
            trigger: ".o_field_widget[name=preview_ids] .o_data_row td:contains(物业费)",
        },
        {
            content: "Generate the bills",
            trigger: ".o_form_view button[name=action_generate]",
            run: "click",
        },
        { trigger: ".modal-footer .btn-primary", run: "click" },
        {
            content: "The run says what it did, in Chinese",
            trigger: ".o_billing_run_summary:contains(3 张账单):contains(已过账)",
        },
        {
            content: "and why a unit was skipped",
            trigger: ".o_form_view .o_field_widget[name=skip_no_payer_count]:contains(1)",
        },
        {
            content: "The preview's 'not billed yet' figures are gone",
            trigger: ".o_form_view:not(:has(.o_field_widget[name=preview_ids]))",
        },
        {
            content: "Open the run's bills",
            trigger: ".o_form_view button[name=action_view_bills]",
            run: "click",
        },
        { trigger: ".o_list_view .o_data_row td:contains(赵一鸣)", run: "click" },
        {
            content: "The bill's lines are explained in Chinese, at 2.5 per m²",
            trigger: ".o_field_widget[name=line_ids] .o_data_row td:contains(建筑面积):contains(2.5)",
        },
    ],
});

registry.category("web_tour.tours").add("property_accountant_arrears_xlsx", {
    steps: () => [
        { trigger: ".o_switch_view.o_list", run: "click" },
        {
            content: "The arrears list shows the unit",
            trigger: ".o_list_view .o_data_row td:contains(A-3-0503)",
        },
        {
            content: "Nothing ticked: export every row of the filter",
            trigger: ".o_control_panel button.o_arrears_export_xlsx:contains(导出)",
            run: "click",
        },
        {
            content: "No error",
            trigger: ".o_list_view:not(:has(.o_error_dialog))",
        },
    ],
});

registry.category("web_tour.tours").add("property_accountant_bank_match", {
    steps: () => [
        { trigger: ".o_list_button_add", run: "click" },
        { trigger: ".o_field_widget[name=payment_ref] input", run: "edit 赵一鸣 四月物业费" },
        ...pickInDropdown("partner_id", "赵一鸣"),
        { trigger: ".o_field_widget[name=amount] input", run: "edit 300" },
        { trigger: ".o_form_button_save", run: "click" },
        {
            content: "Match the transfer with the household's bills",
            trigger: ".o_form_saved button[name=action_property_match_bills]:contains(匹配账单)",
            run: "click",
        },
        {
            content: "The household's open bill is proposed",
            trigger: ".modal .o_field_widget[name=bill_ids] .o_data_row td:contains(300)",
        },
        { trigger: ".modal button[name=action_match]", run: "click" },
        {
            content: "The transaction is matched",
            trigger: ".o_form_view .ribbon:contains(已匹配)",
        },
    ],
});

registry.category("web_tour.tours").add("property_accountant_aged_balance", {
    steps: () => [
        { trigger: ".o_menu_sections button:contains(报表)", run: "click" },
        { trigger: ".dropdown-item:contains(账龄分析表)", run: "click" },
        {
            content: "The OCA wizard speaks Chinese",
            trigger: ".modal .modal-title:contains(账龄分析表)",
        },
        { trigger: ".modal .o_form_label:contains(截止日期)" },
        { trigger: ".modal .o_field_widget[name=target_move] label:contains(全部已过账分录)" },
        { trigger: ".modal-footer button:contains(查看)" },
        {
            content: "No English label is left",
            trigger: ".modal:not(:contains(Date At)):not(:contains(Target Moves)):not(:contains(Export PDF))",
        },
    ],
});
