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

/**
 * Self-binding: the building and unit lists follow the estate and the building; "Send code"
 * asks for a one-time code and waits a minute before it may be asked again.
 */
publicWidget.registry.PropertyBindForm = publicWidget.Widget.extend({
    selector: ".o_property_bind_form",
    events: {
        "change .o_property_bind_estate": "_onEstateChange",
        "change .o_property_bind_building": "_onBuildingChange",
        "click .o_property_bind_send": "_onSendCode",
    },

    async start() {
        await this._super(...arguments);
        const estate = this.el.querySelector(".o_property_bind_estate");
        if (estate.value) {
            await this._fill(".o_property_bind_building", { estate_id: estate.value });
            const building = this.el.querySelector(".o_property_bind_building");
            if (building.value) {
                await this._fill(".o_property_bind_unit", { building_id: building.value });
            }
        }
    },

    async _fill(selector, params) {
        const select = this.el.querySelector(selector);
        const options = params.estate_id || params.building_id ? await rpc("/bind/options", params) : [];
        const wanted = select.dataset.selected;
        select.querySelectorAll("option:not([value=''])").forEach((option) => option.remove());
        for (const { id, name } of options) {
            const option = document.createElement("option");
            option.value = String(id);
            option.textContent = name;
            option.selected = String(id) === wanted;
            select.appendChild(option);
        }
    },

    async _onEstateChange(ev) {
        await this._fill(".o_property_bind_building", { estate_id: ev.currentTarget.value });
        await this._fill(".o_property_bind_unit", {});
    },

    async _onBuildingChange(ev) {
        await this._fill(".o_property_bind_unit", { building_id: ev.currentTarget.value });
    },

    async _onSendCode(ev) {
        const button = ev.currentTarget;
        const phone = this.el.querySelector(".o_property_bind_phone").value;
        button.disabled = true;
        const result = await rpc("/bind/otp", { phone });
        const sent = this.el.querySelector(".o_property_bind_sent");
        sent.dataset.sentText ||= sent.textContent;
        sent.textContent = sent.dataset.sentText;
        if (result.error) {
            sent.textContent = result.error;
            sent.classList.remove("d-none");
            button.disabled = false;
            return;
        }
        sent.classList.remove("d-none");
        setTimeout(() => {
            button.disabled = false;
        }, 60000);
    },
});
