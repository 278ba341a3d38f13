import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatFloat, formatInteger } from "@web/views/fields/formatters";

/**
 * 运营驾驶舱: the manager's landing page. One RPC (property.cockpit.get_cockpit_data) gives every
 * figure, computed with the user's rights; a click on a figure asks the server for the list
 * behind it (property.cockpit.open_figure) and opens it.
 */
export class PropertyCockpit extends Component {
    static template = "property_cockpit.Cockpit";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ data: null, estateId: 0 });
        onWillStart(() => this.load());
    }

    get estateIds() {
        return this.state.estateId ? [this.state.estateId] : [];
    }

    async load() {
        this.state.data = await this.orm.call("property.cockpit", "get_cockpit_data", [], {
            estate_ids: this.estateIds,
        });
    }

    async onEstateChange(ev) {
        this.state.estateId = parseInt(ev.target.value) || 0;
        await this.load();
    }

    async open(figure, key = null, key2 = null) {
        const action = await this.orm.call("property.cockpit", "open_figure", [figure], {
            estate_ids: this.estateIds,
            key,
            key2,
        });
        await this.actionService.doAction(action);
    }

    // ------------------------------------------------------------ formatting
    money(value) {
        const currency = this.state.data.currency;
        const amount = formatFloat(value || 0, { digits: [16, 0] });
        return currency.position === "after" ? `${amount} ${currency.symbol}` : `${currency.symbol} ${amount}`;
    }

    int(value) {
        return formatInteger(value || 0);
    }

    number(value) {
        return formatFloat(value || 0, { digits: [16, 1] });
    }

    pct(value) {
        return value === null || value === undefined ? "—" : `${formatFloat(value, { digits: [16, 1] })} %`;
    }

    signedPct(value) {
        if (value === null || value === undefined) {
            return "—";
        }
        const sign = value > 0 ? "+" : "";
        return `${sign}${formatFloat(value, { digits: [16, 1] })} %`;
    }

    changeClass(value, higherIsBetter = true) {
        if (value === null || value === undefined || value === 0) {
            return "text-muted";
        }
        return value > 0 === higherIsBetter ? "text-success" : "text-danger";
    }

    monthLabel(month) {
        // "2026-12" → "2026年12月" in Chinese, "12/2026" elsewhere
        const [year, m] = month.split("-");
        return _t("%(month)s/%(year)s", { month: parseInt(m), year });
    }

    /** Short month for chart axes: "26年1月" in Chinese, "1/26" elsewhere. */
    shortMonthLabel(month) {
        const [year, m] = month.split("-");
        return _t("%(month)s/%(year)s", { month: parseInt(m), year: year.slice(2) });
    }

    get hasCollectionTrend() {
        return this.collectionRates.some((rate) => rate !== null);
    }

    /** Bar width in % of the largest value of a list. */
    barWidth(value, values) {
        const max = Math.max(...values, 0);
        return max && value ? Math.max(2, Math.round((100 * value) / max)) : 0;
    }

    /** Points of an SVG polyline for a trend (null values are skipped). */
    sparkline(values, max = null, width = 300, height = 60) {
        const known = values.filter((v) => v !== null && v !== undefined);
        const top = max ?? Math.max(...known, 1);
        const step = values.length > 1 ? width / (values.length - 1) : width;
        return values
            .map((v, i) =>
                v === null || v === undefined
                    ? null
                    : `${(i * step).toFixed(1)},${(height - 4 - ((height - 8) * v) / top).toFixed(1)}`
            )
            .filter(Boolean)
            .join(" ");
    }

    heatStyle(count) {
        const max = this.state.data.heatmap.max || 1;
        const alpha = count ? 0.12 + (0.78 * count) / max : 0;
        return `background-color: rgba(220, 53, 69, ${alpha.toFixed(2)}); color: ${alpha > 0.55 ? "#fff" : "inherit"};`;
    }

    heatCount(rowId, columnId) {
        return this.state.data.heatmap.cells[`${rowId}-${columnId}`] || 0;
    }

    get collectedText() {
        const collection = this.state.data.collection;
        return _t("Collected %(collected)s of %(billed)s", {
            collected: this.money(collection.collected),
            billed: this.money(collection.billed),
        });
    }

    get teamsTitle() {
        return _t("Timeliness by Team (last %(days)s days)", { days: this.state.data.teams.days });
    }

    get heatmapTitle() {
        return _t("Requests and Complaints by Category (last %(days)s days)", {
            days: this.state.data.heatmap.days,
        });
    }

    get energyTitle() {
        return _t("Energy and Water, %(month)s", { month: this.monthLabel(this.state.data.energy.month) });
    }

    get ratingsText() {
        return _t("/ 5 · %(count)s ratings", { count: this.int(this.state.data.satisfaction.count) });
    }

    get activityText() {
        return _t("residents raised %(count)s requests this month", {
            count: this.int(this.state.data.activity.requests),
        });
    }

    get collectionRates() {
        return this.state.data.collection.trend.map((p) => p.rate);
    }

    get satisfactionAverages() {
        return this.state.data.satisfaction.trend.map((p) => p.average);
    }

    get activityRequests() {
        return this.state.data.activity.trend.map((p) => p.requests);
    }

    get activityResidents() {
        return this.state.data.activity.trend.map((p) => p.residents);
    }

    get slaTotal() {
        return this.state.data.workorders.by_sla.map((s) => s.count);
    }

    get arrearsAgingAmounts() {
        return this.state.data.arrears.by_aging.map((b) => b.amount);
    }

    get arrearsEstateAmounts() {
        return this.state.data.arrears.by_estate.map((b) => b.amount);
    }
}

registry.category("actions").add("property_cockpit", PropertyCockpit);
