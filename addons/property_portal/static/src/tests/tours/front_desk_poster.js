import { registry } from "@web/core/registry";

/**
 * The front desk prints the binding QR poster of the buildings chosen in the list (one page each).
 * Without a PDF engine on the server, Odoo shows the report in the browser.
 */
registry.category("web_tour.tours").add("property_front_desk_poster", {
    steps: () => [
        { trigger: ".o_data_row:contains(3号楼) .o_list_record_selector input", run: "click" },
        { trigger: ".o_cp_action_menus button:contains(打印)", run: "click" },
        { trigger: ".o-dropdown-item:contains(二维码绑定海报)", run: "click" },
        {
            content: "The poster: estate and building, the QR code, the steps in Chinese",
            trigger: ":iframe .o_property_poster:contains(3号楼):contains(扫码绑定)",
        },
        { trigger: ":iframe .o_property_poster img.o_property_poster_qr" },
    ],
});
