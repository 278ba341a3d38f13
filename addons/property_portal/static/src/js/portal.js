import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";

/**
 * Repair request form: as the resident types, ask the classifier for a category and pre-fill
 * it (the resident can still change it).
 */
publicWidget.registry.PropertyRequestForm = publicWidget.Widget.extend({
    selector: ".o_property_request_form",
    events: {
        "input .o_property_description": "_onDescriptionInput",
        "change .o_property_category": "_onCategoryChange",
    },

    start() {
        this.userChoseCategory = false;
        this.timer = null;
        return this._super(...arguments);
    },

    _onCategoryChange(ev) {
        if (ev.isTrusted) {
            this.userChoseCategory = true;
        }
    },

    _onDescriptionInput(ev) {
        clearTimeout(this.timer);
        const text = ev.currentTarget.value;
        this.timer = setTimeout(() => this._suggest(text), 400);
    },

    async _suggest(text) {
        if (this.userChoseCategory || text.trim().length < 2) {
            return;
        }
        const result = await rpc("/my/requests/suggest", { text });
        if (result && result.category_id && !this.userChoseCategory) {
            const select = this.el.querySelector(".o_property_category");
            select.value = String(result.category_id);
            this.el.querySelector(".o_property_suggestion").classList.remove("d-none");
        }
    },
});

/**
 * Bills list: the pay button shows the total of the selected bills.
 */
publicWidget.registry.PropertyBillsForm = publicWidget.Widget.extend({
    selector: ".o_property_bills_form",
    events: {
        "change input[name=bill_ids]": "_onSelect",
    },

    _onSelect() {
        const checked = this.el.querySelectorAll("input[name=bill_ids]:checked");
        const button = this.el.querySelector(".o_property_pay_selected");
        if (button) {
            button.disabled = checked.length === 0;
        }
    },
});

/**
 * Home: the residents' cards stay visible with a zero counter (a household with no open
 * request must still reach the request form).
 */
publicWidget.registry.PortalHomeCounters.include({
    _getCountersAlwaysDisplayed() {
        return this._super(...arguments).concat([
            "property_bill_count",
            "property_request_count",
            "property_announcement_count",
            "property_event_count",
            "property_market_count",
            "property_visitor_count",
            "property_feedback_count",
            "property_survey_count",
        ]);
    },
});
