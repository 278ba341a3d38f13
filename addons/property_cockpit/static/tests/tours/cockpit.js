import { registry } from "@web/core/registry";

/**
 * The manager opens the Property app, in Chinese: it opens on the operations cockpit, whose
 * open-work-orders figure leads to the list of those work orders.
 */
registry.category("web_tour.tours").add("property_cockpit_manager", {
    steps: () => [
        { content: "Open the apps menu", trigger: ".o_navbar_apps_menu button", run: "click" },
        {
            content: "Open the Property app",
            trigger: ".o_app[data-menu-xmlid='property_base.property_menu_root']",
            run: "click",
        },
        {
            content: "The app opens on the cockpit, in Chinese",
            trigger: ".o_property_cockpit h1:contains(运营驾驶舱)",
        },
        { trigger: ".o_property_cockpit [data-figure=collection] h2:contains(本月收缴率)" },
        { trigger: ".o_property_cockpit [data-figure=arrears] h2:contains(欠费账龄)" },
        { trigger: ".o_property_cockpit [data-figure=energy] th:contains(环比)" },
        {
            content: "Open the open work orders",
            trigger: ".o_property_cockpit [data-figure=workorders] .o_cockpit_workorders_total",
            run: "click",
        },
        {
            content: "The list of open work orders",
            trigger: ".o_list_view .o_data_row",
        },
        { trigger: ".o_breadcrumb .active:contains(未完成工单)" },
        {
            content: "Back to the cockpit by the breadcrumb",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(运营驾驶舱)",
            run: "click",
        },
        {
            content: "Filter on one estate",
            trigger: ".o_property_cockpit select.o_cockpit_estate",
            run: "selectByLabel 翠湖花园",
        },
        {
            content: "The figures of that estate are loaded",
            trigger: ".o_property_cockpit:not([data-estates='']) [data-figure=workorders]",
        },
    ],
});
