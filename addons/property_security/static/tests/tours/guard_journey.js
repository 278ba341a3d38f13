import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";
import * as BarcodeDialog from "@web/core/barcode/barcode_dialog";

// codes printed on the visitor's pass and on the first checkpoint of the route (set by the test)
const PASS_CODE = "TOURPASS0502";
const CHECKPOINT_CODE = "TOURCHECKPOINT1";
const sounds = [];

function fitsTheScreen() {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 1) {
        throw new Error(`the page is ${overflow}px wider than the phone`);
    }
}

/** Headless Chromium has no camera: stand in for the camera only, the scanning flow stays real. */
function cameraReads(code) {
    BarcodeDialog.scanBarcode = async () => code;
}

function openMenu(xmlid) {
    return [
        { content: "Open the menu", trigger: ".o_main_navbar .o_menu_toggle", run: "click" },
        { trigger: `.o_app_menu_sidebar li[data-menu-xmlid='${xmlid}']`, run: "click" },
    ];
}

/**
 * The guard's shift on a 375 px phone, in Chinese: patrol runs as cards; a resident's alarm and
 * a device alarm ring on his screen (raised server-side during the tour); he opens and
 * acknowledges the resident's; he scans a visitor's pass at the gate and reads the unit and the
 * validity; he scans a checkpoint of his patrol run.
 */
registry.category("web_tour.tours").add("property_guard_journey", {
    steps: () => [
        {
            content: "The patrol runs are cards that fit the phone",
            trigger: ".o_kanban_view .o_kanban_record:contains(夜间外围巡逻):contains(巡更点打卡)",
            run: fitsTheScreen,
        },
        {
            content: "Listen to the alarm sound; a resident raises a fire alarm on the portal",
            trigger: ".o_kanban_view",
            run: async () => {
                const soundEffects = odoo.__WOWL_DEBUG__.root.env.services["mail.sound_effects"];
                const play = soundEffects.play.bind(soundEffects);
                soundEffects.play = (name, options) => {
                    sounds.push(name);
                    return play(name, options);
                };
                await rpc("/property_security/test/raise_alarm", { source: "portal" });
            },
        },
        {
            content: "The alarm pops up in Chinese, with the unit",
            trigger:
                ".o_notification.o_property_security_alarm_popup:contains(报警：火灾):contains(翠湖花园 3号楼 0502):contains(住户门户)",
            run() {
                if (!sounds.includes("incoming-call")) {
                    throw new Error("the alarm did not ring");
                }
                fitsTheScreen();
            },
        },
        {
            content: "Acknowledge it from the popup: the alarm opens, acknowledged",
            trigger: ".o_property_security_alarm_popup button:contains(确认接警)",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=unit_id] input:value(A-3-0502)",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(已确认)",
        },
        {
            content: "A smoke detector goes off",
            trigger: "body:not(:has(.o_property_security_alarm_popup))",
            run: async () => {
                sounds.length = 0;
                await rpc("/property_security/test/raise_alarm", { source: "device" });
            },
        },
        {
            content: "The device alarm pops up and rings too",
            trigger: ".o_notification.o_property_security_alarm_popup:contains(报警：火灾):contains(设备)",
            run() {
                if (!sounds.includes("incoming-call")) {
                    throw new Error("the device alarm did not ring");
                }
            },
        },
        {
            content: "Dismiss it",
            trigger: ".o_property_security_alarm_popup .o_notification_close",
            run: "click",
        },
        // the gate
        ...openMenu("property_security.property_security_gate_check_menu"),
        {
            content: "The gate check opens with a Chinese title and a scan button",
            trigger: ".modal .modal-title:contains(出入口核验)",
            run: () => cameraReads(PASS_CODE),
        },
        {
            content: "Scan the visitor's pass",
            trigger: ".modal .o_property_security_scan_button:contains(扫码)",
            run: "click",
        },
        {
            content: "The result: a Chinese title, let in, the unit and the validity",
            trigger:
                ".modal:has(.modal-title:contains(通行核验结果)) .alert-success:contains(放行)",
        },
        {
            trigger: ".modal .o_field_widget[name=result_unit]:contains(翠湖花园 3号楼 0502)",
        },
        {
            trigger: ".modal .o_field_widget[name=result_validity]:contains(–)",
            run: fitsTheScreen,
        },
        {
            content: "Close the gate check",
            trigger: ".modal .modal-footer button:contains(关闭)",
            run: "click",
        },
        // the patrol
        ...openMenu("property_security.property_security_patrol_run_menu"),
        {
            content: "Scan a checkpoint from the run's card",
            trigger: ".o_kanban_record:contains(夜间外围巡逻) button:contains(巡更点打卡)",
            run: "click",
        },
        {
            trigger: ".modal .modal-title:contains(巡更点打卡)",
            run: () => cameraReads(CHECKPOINT_CODE),
        },
        {
            trigger: ".modal .o_property_security_scan_button:contains(扫码)",
            run: "click",
        },
        {
            content: "The checkpoint is recorded on time on the card",
            trigger: "body:not(:has(.modal)) .o_kanban_record:contains(夜间外围巡逻):contains(进行中)",
            run: fitsTheScreen,
        },
    ],
});
