import { registry } from "@web/core/registry";

/**
 * A resident scans the building's poster (or opens the invitation SMS): the binding page opens
 * with the estate and the building already chosen; they choose the unit, prove their number and
 * are in (their number is on file).
 */
registry.category("web_tour.tours").add("property_portal_bind_from_poster", {
    steps: () => [
        { content: "Estate preselected", trigger: ".o_property_bind_estate:has(option:selected:contains(临江花园))" },
        { content: "Building preselected", trigger: ".o_property_bind_building:has(option:selected:contains(3号楼))" },
        { content: "Its units are offered", trigger: ".o_property_bind_unit:has(option:contains(0502))" },
        { trigger: ".o_property_bind_unit", run: "selectByLabel 0502" },
        { trigger: "select[name=role]", run: "select family" },
        { trigger: "input[name=name]", run: "edit 王芳" },
        { trigger: "input[name=phone]", run: "edit 13700001234" },
        { trigger: ".o_property_bind_send:contains(获取验证码)", run: "click" },
        { content: "The code is on its way", trigger: ".o_property_bind_sent:not(.d-none):contains(已发送)" },
        { trigger: "input[name=code]", run: "edit 123456" },
        { trigger: ".o_property_bind_submit:contains(绑定)", run: "click" },
        { content: "Odoo's own page to set a password", trigger: "input[name=password]", run: "edit Fang-2026!safe" },
        { trigger: "input[name=confirm_password]", run: "edit Fang-2026!safe" },
        { trigger: "button[type=submit]", run: "click" },
        { content: "Signed in, on the residents' home", trigger: ".o_portal_my_home, .o_portal_wrap", timeout: 20000 },
    ],
});
