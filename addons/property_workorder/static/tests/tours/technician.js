import { registry } from "@web/core/registry";

// where the fake phone says the technician stands (the test checks these are stored)
const LATITUDE = 31.2317;
const LONGITUDE = 121.4752;
// a 1x1 PNG: the photo after the work
const PNG =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

/** Upload a file through a field's (hidden) file input, as choosing a photo on the phone does. */
function uploadPhoto(input, name) {
    const bytes = Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, { type: "image/png" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

/** Draw a stroke on a canvas with the pointer, as a finger does. */
function drawStroke(canvas) {
    const box = canvas.getBoundingClientRect();
    const at = (x, y) => ({
        clientX: box.left + x * box.width,
        clientY: box.top + y * box.height,
        pointerId: 1,
        pointerType: "touch",
        isPrimary: true,
        pressure: 0.5,
        buttons: 1,
        bubbles: true,
    });
    canvas.dispatchEvent(new PointerEvent("pointerdown", at(0.2, 0.6)));
    for (const [x, y] of [
        [0.3, 0.3],
        [0.4, 0.7],
        [0.5, 0.3],
        [0.6, 0.7],
        [0.7, 0.4],
    ]) {
        canvas.dispatchEvent(new PointerEvent("pointermove", at(x, y)));
    }
    const end = new PointerEvent("pointerup", { ...at(0.8, 0.5), buttons: 0 });
    canvas.dispatchEvent(end);
    document.dispatchEvent(new PointerEvent("pointerup", { ...at(0.8, 0.5), buttons: 0 }));
}

/**
 * The technician's day on his phone (375 px), in Chinese, through the real screens: his queue
 * shows where, whom to call and by when; he opens the job, accepts it, checks in on site with
 * the phone's position, picks a spare part, is refused completion without the after-photo and
 * the resident's signature, then completes with them.
 */
registry.category("web_tour.tours").add("property_technician_day", {
    steps: () => [
        {
            content: "His queue: the card shows the address",
            trigger: ".o_kanban_record:contains(厨房水管漏水):contains(翠湖花园 3号楼 0502)",
        },
        {
            content: "the resident's phone, masked",
            trigger: ".o_kanban_record:contains(厨房水管漏水) [name=contact_phone]:contains(138****1234)",
        },
        {
            content: "and the deadline",
            trigger: ".o_kanban_record:contains(厨房水管漏水) .o_field_widget[name=resolution_deadline]:not(:empty)",
        },
        {
            content: "the next step is a button on the card",
            trigger: ".o_kanban_record:contains(厨房水管漏水) button[name=action_accept]:contains(接单)",
        },
        {
            content: "Open the job",
            trigger: ".o_kanban_record:contains(厨房水管漏水) .fa-map-marker",
            run: "click",
        },
        {
            content: "What the desk decided is read-only for him",
            trigger: ".o_form_view .o_field_widget[name=unit_id].o_readonly_modifier",
        },
        { trigger: ".o_form_view .o_field_widget[name=partner_id].o_readonly_modifier" },
        { trigger: ".o_form_view .o_field_widget[name=category_id].o_readonly_modifier" },
        { trigger: ".o_form_view .o_field_widget[name=priority].o_readonly_modifier" },
        { trigger: ".o_form_view .o_field_widget[name=description].o_readonly_modifier" },
        {
            content: "Accept: a visible button, not hidden in the menu",
            trigger: "div[name=next_actions] button[name=action_accept]:visible:contains(接单)",
            run: "click",
        },
        {
            content: "Accepted",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(已接单)",
        },
        {
            content: "The phone knows where he stands",
            trigger: "div[name=next_actions] button.o_property_check_in:visible:contains(现场签到)",
            run() {
                Object.defineProperty(navigator.geolocation, "getCurrentPosition", {
                    configurable: true,
                    value: (success) =>
                        success({
                            coords: { latitude: LATITUDE, longitude: LONGITUDE, accuracy: 8 },
                            timestamp: Date.now(),
                        }),
                });
            },
        },
        {
            content: "Check in on site",
            trigger: "div[name=next_actions] button.o_property_check_in:visible:contains(现场签到)",
            run: "click",
        },
        {
            content: "Checked in: the work is in progress",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(处理中)",
        },
        {
            content: "The materials are on the Execution tab",
            trigger: ".o_notebook .nav-link:contains(执行)",
            run: "click",
        },
        {
            content: "Add a material",
            trigger: ".o_field_widget[name=material_ids] .o-kanban-button-new, .o_field_widget[name=material_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Look for parts: on a phone the picker opens full screen",
            trigger: ".modal .o_field_widget[name=product_id] input",
            run: "click",
        },
        {
            content: "The spare parts are offered, the office chair is not",
            trigger:
                ".modal .o_kanban_view:has(.o_kanban_record:contains(测试角阀)):not(:has(.o_kanban_record:contains(测试办公椅)))",
        },
        {
            content: "Pick the spare part",
            trigger: ".modal .o_kanban_record:contains(测试角阀)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=product_id] input:value(测试角阀)",
        },
        {
            content: "Two of them",
            trigger: ".modal .o_field_widget[name=quantity] input",
            run: "edit 2",
        },
        {
            content: "Save the line",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The line is on the job",
            trigger: ".o_field_widget[name=material_ids] .o_kanban_record:contains(测试角阀)",
        },
        {
            content: "Mark done before the photo and the signature",
            trigger: "div[name=next_actions] button[name=action_done]:visible:contains(完工)",
            run: "click",
        },
        {
            content: "Refused, in Chinese",
            trigger: ".modal .modal-body:contains(维修后照片):contains(住户签字)",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Still in progress",
            trigger: "body:not(:has(.modal)) .o_statusbar_status button.o_arrow_button_current:contains(处理中)",
        },
        {
            content: "Take the photo after the work",
            trigger: ".o_field_widget[name=after_photo_ids] input[type=file]:not(:visible)",
            run() {
                uploadPhoto(this.anchor, "after.png");
            },
        },
        {
            content: "The photo is attached",
            trigger: ".o_field_widget[name=after_photo_ids] .o_attachment:contains(after.png)",
        },
        {
            content: "The resident signs",
            trigger: ".o_field_widget[name=resident_signature] .o_signature",
            run: "click",
        },
        {
            trigger: ".modal canvas.o_web_sign_signature",
            run() {
                drawStroke(this.anchor);
            },
        },
        {
            content: "Adopt the signature",
            trigger: ".modal .modal-footer .btn-primary:enabled:contains(同意并签名)",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal)) .o_field_widget[name=resident_signature] img.o_signature",
        },
        {
            content: "Mark done",
            trigger: "div[name=next_actions] button[name=action_done]:visible:contains(完工)",
            run: "click",
        },
        {
            content: "Done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(已完工)",
        },
    ],
});
