import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

function claimHome(role, name, phone) {
    return [
        { trigger: ".o_property_bind_estate", run: "selectByLabel 临江花园" },
        {
            content: "The estate's buildings are offered",
            trigger: ".o_property_bind_building:has(option:contains(3号楼))",
        },
        { trigger: ".o_property_bind_building", run: "selectByLabel 3号楼" },
        { content: "The building's units are offered", trigger: ".o_property_bind_unit:has(option:contains(0502))" },
        { trigger: ".o_property_bind_unit", run: "selectByLabel 0502" },
        { trigger: "select[name=role]", run: `select ${role}` },
        { trigger: "input[name=name]", run: `edit ${name}` },
        { trigger: "input[name=phone]", run: `edit ${phone}` },
        { trigger: ".o_property_bind_send:contains(获取验证码)", run: "click" },
        { content: "The code is on its way", trigger: ".o_property_bind_sent:not(.d-none):contains(已发送)" },
        { trigger: "input[name=code]", run: "edit 123456" },
        { trigger: ".o_property_bind_submit:contains(绑定)", run: "click" },
    ];
}

// A newcomer whose number the service desk does not have: the request waits for the front desk
tours.add("property_portal_bind_pending", {
    url: "/bind",
    steps: () => [
        { trigger: "h3:contains(绑定我的房屋)" },
        ...claimHome("tenant", "赵敏", "13655556666"),
        { content: "Waiting for the service desk", trigger: ".o_property_bind_pending:contains(等待)" },
    ],
});

// A resident on file: bound at once, sets a password on Odoo's page and lands on their home page
tours.add("property_portal_bind_at_once", {
    url: "/bind",
    steps: () => [
        ...claimHome("family", "王芳", "13700001234"),
        { content: "Odoo's own page to set a password", trigger: "input[name=password]", run: "edit Fang-2026!safe" },
        { trigger: "input[name=confirm_password]", run: "edit Fang-2026!safe" },
        { trigger: "button[type=submit]", run: "click" },
        { content: "Signed in, on the residents' home", trigger: ".o_portal_my_home, .o_portal_wrap", timeout: 20000 },
    ],
});
