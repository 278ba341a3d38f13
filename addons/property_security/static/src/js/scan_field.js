import { _t } from "@web/core/l10n/translation";
import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import * as BarcodeDialog from "@web/core/barcode/barcode_dialog";
import { isBarcodeScannerSupported } from "@web/core/barcode/barcode_video_scanner";
import { CharField, charField } from "@web/views/fields/char/char_field";
import { pick } from "@web/core/utils/objects";
import { Component } from "@odoo/owl";

/**
 * A code the guard scans with the phone's camera (Odoo's barcode scanner: a visitor's QR pass,
 * a patrol checkpoint's QR code): a big 扫码 button that opens the camera, puts the code in the
 * field and runs the form's button ``options.action`` at once. Typing the code is offered only
 * when the browser has no camera access (no camera, or a page not served over https).
 */
export class ScanCodeField extends Component {
    static template = "property_security.ScanCodeField";
    static components = { CharField };
    static props = {
        ...CharField.props,
        action: { type: String, optional: true },
        label: { type: String, optional: true },
    };

    setup() {
        this.notification = useService("notification");
        this.canScan = isBarcodeScannerSupported();
    }

    get charProps() {
        return pick(this.props, ...Object.keys(CharField.props).filter((key) => key in this.props));
    }

    get label() {
        return this.props.label || _t("Scan");
    }

    async onScanClick() {
        let code = null;
        let error = null;
        try {
            // through the module object, so a headless tour can stand in for the camera
            code = await BarcodeDialog.scanBarcode(this.env);
        } catch (err) {
            error = err.message;
        }
        if (!code) {
            this.notification.add(error || _t("Nothing was scanned: try again."), { type: "warning" });
            return;
        }
        if ("vibrate" in browser.navigator) {
            browser.navigator.vibrate(100);
        }
        await this.props.record.update({ [this.props.name]: code });
        if (this.props.action) {
            const record = this.props.record;
            await this.env.onClickViewButton({
                clickParams: { name: this.props.action, type: "object" },
                getResParams: () =>
                    pick(record, "context", "evalContext", "resModel", "resId", "resIds"),
            });
        }
    }
}

export const scanCodeField = {
    ...charField,
    component: ScanCodeField,
    displayName: _t("Scan with the camera"),
    extractProps: (fieldInfo, dynamicInfo) => ({
        ...charField.extractProps(fieldInfo, dynamicInfo),
        action: fieldInfo.options.action,
        label: fieldInfo.options.label,
    }),
};

registry.category("fields").add("property_security_scan", scanCodeField);
