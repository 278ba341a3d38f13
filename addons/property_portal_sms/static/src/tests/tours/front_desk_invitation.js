import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

/**
 * The front desk invites a building's residents by SMS, in Chinese: a new campaign, its estate and
 * building chosen in the form, then started (the messages go in the background).
 */
tours.add("property_front_desk_invitation", {
    steps: () => [
        { content: "New campaign", trigger: ".o_list_button_add", run: "click" },
        { trigger: ".o_field_widget[name=name] input", run: "edit 邀请3号楼住户" },
        { trigger: ".o_field_widget[name=estate_id] input", run: "edit 翠湖" },
        { trigger: ".o-autocomplete--dropdown-item a:contains(翠湖花园)", run: "click" },
        { trigger: ".o_field_widget[name=building_ids] input", run: "edit 3号" },
        { trigger: ".o-autocomplete--dropdown-item a:contains(3号楼)", run: "click" },
        { content: "The building is chosen", trigger: ".o_field_widget[name=building_ids] .o_tag:contains(3号楼)" },
        { trigger: "button.o_property_invitation_start:contains(开始发送)", run: "click" },
        { content: "Confirm", trigger: ".modal-footer .btn-primary", run: "click" },
        {
            content: "Sending in the background",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(发送中)",
        },
        { content: "Skipped residents are counted", trigger: ".o_field_widget[name=skipped_count]:contains(4)" },
    ],
});

/**
 * The next morning: the campaign is done, the messages sent counted and listed resident by resident.
 */
tours.add("property_front_desk_invitation_done", {
    steps: () => [
        { trigger: ".o_data_row td:contains(邀请3号楼住户)", run: "click" },
        { content: "Done", trigger: ".o_statusbar_status button.o_arrow_button_current:contains(已完成)" },
        { content: "Two sent", trigger: ".o_field_widget[name=sent_count]:contains(2)" },
        { content: "Listed with their state", trigger: ".o_field_widget[name=line_ids] .o_data_row:contains(已发送)" },
    ],
});
