import { registry } from "@web/core/registry";
import { pickInDropdown } from "@property_base/../tests/tours/steps";

/**
 * The front desk takes a phone call, in Chinese, through the real form: picks the reporter in
 * the dropdown (their unit, estate and phone fill in), sets the source to phone, types what is
 * wrong and saves: the request is classified and dispatched on save.
 */
registry.category("web_tour.tours").add("property_front_desk_phone_request", {
    steps: () => [
        ...pickInDropdown("partner_id", "张伟", "张伟", "The reporter dropdown offers the resident"),
        {
            content: "Their estate is filled in",
            trigger: ".o_field_widget[name=estate_id] input:value(翠湖花园)",
        },
        {
            content: "Their unit is filled in",
            trigger: ".o_field_widget[name=unit_id] input:value(/0502/)",
        },
        {
            content: "Their phone is filled in (masked below manager)",
            trigger: ".o_field_widget[name=contact_phone] input:value(138****1234)",
        },
        {
            content: "来源 offers 电话",
            trigger: ".o_field_widget[name=source] select:has(option:contains(电话))",
            run: 'select "phone"',
        },
        {
            trigger: ".o_field_widget[name=description] textarea",
            run: "edit 厨房水管漏水了，地上全是水，麻烦尽快来修",
        },
        { trigger: ".o_form_button_save", run: "click" },
        {
            content: "Classified and dispatched on save",
            trigger: ".o_form_saved .o_statusbar_status button.o_arrow_button_current:contains(已派单)",
        },
        {
            content: "The category the classifier chose",
            trigger: ".o_field_widget[name=category_id] input:value(/\\S/)",
        },
    ],
});

/**
 * Saving a phone request without an estate (the reporter has no current unit, none picked)
 * tells the front desk to choose the estate, in Chinese, instead of an access error.
 */
registry.category("web_tour.tours").add("property_front_desk_request_no_estate", {
    steps: () => [
        ...pickInDropdown("partner_id", "王芳"),
        {
            trigger: ".o_field_widget[name=source] select",
            run: 'select "phone"',
        },
        {
            trigger: ".o_field_widget[name=description] textarea",
            run: "edit 家里没电了，请派人来看看",
        },
        { trigger: ".o_form_button_save", run: "click" },
        {
            content: "The message names the estate, in Chinese",
            trigger: ".modal .modal-body:contains(请选择报事所在的小区)",
        },
        {
            content: "It is not an access error",
            trigger: ".modal:not(:contains(访问)):not(:contains(Access)) .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Pick the estate, as the message says, and save",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=estate_id] input",
            run: "edit 翠湖",
        },
        {
            trigger: ".o_field_widget[name=estate_id] .o-autocomplete--dropdown-item a:contains(翠湖花园)",
            run: "click",
        },
        { trigger: ".o_form_button_save", run: "click" },
        { content: "Saved", trigger: ".o_form_saved" },
    ],
});
