"""The one way to pay property bills online. The residents' portal page and their JSON API both
extend this controller (Odoo merges them into one), so they offer the same providers and create
transactions the same way; Odoo's `PaymentPortal._create_transaction` does the creation."""

from werkzeug.exceptions import NotFound

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.http import request, route

from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment.controllers import portal as payment_portal


class PropertyBillPaymentPortal(payment_portal.PaymentPortal):
    # === A bill's payment link (no portal needed): Odoo's /payment/pay page === #

    @route()
    def payment_pay(self, *args, amount=None, property_bill_id=None, access_token=None, **kwargs):
        """Override of `payment`: a bill's payment link (see `payment.link.wizard`) pays that bill,
        for its household, with the providers allowed for its company."""
        amount = self._cast_as_float(amount)
        bill_id = self._cast_as_int(property_bill_id)
        if bill_id:
            bill_sudo = request.env["property.bill"].sudo().browse(bill_id).exists()
            if not bill_sudo or not payment_utils.check_access_token(
                access_token, bill_sudo.partner_id.id, amount, bill_sudo.currency_id.id
            ):
                raise NotFound()
            kwargs.update(
                {
                    "reference": bill_sudo.name,
                    "currency_id": bill_sudo.currency_id.id,
                    "partner_id": bill_sudo.partner_id.id,
                    "company_id": bill_sudo.company_id.id,
                    "property_bill_id": bill_id,
                }
            )
        return super().payment_pay(*args, amount=amount, access_token=access_token, **kwargs)

    def _get_extra_payment_form_values(self, property_bill_id=None, **kwargs):
        """Override of `payment`: a bill's transaction goes through the bill's route."""
        values = super()._get_extra_payment_form_values(property_bill_id=property_bill_id, **kwargs)
        bill_id = self._cast_as_int(property_bill_id)
        if bill_id:
            values["transaction_route"] = f"/property/bill/transaction/{bill_id}"
        return values

    @route("/property/bill/transaction/<int:bill_id>", type="json", auth="public")
    def property_bill_transaction(self, bill_id, access_token, amount=None, **kwargs):
        """The transaction route of a bill's payment link: the household pays what the bill owes."""
        bill_sudo = request.env["property.bill"].sudo().browse(bill_id).exists()
        amount = self._cast_as_float(amount)
        if not bill_sudo or not payment_utils.check_access_token(
            access_token, bill_sudo.partner_id.id, amount, bill_sudo.currency_id.id
        ):
            raise ValidationError(request.env._("The access token is invalid."))
        if bill_sudo.currency_id.compare_amounts(amount or 0.0, bill_sudo._get_online_payment_amount()):
            raise ValidationError(request.env._("The bills changed in the meantime: reload the page."))
        self._validate_transaction_kwargs(kwargs)
        tx_sudo = self._property_bill_create_transaction(bill_sudo, bill_sudo.partner_id, **kwargs)
        self._update_landing_route(tx_sudo, access_token)
        return tx_sudo._get_processing_values()

    # === The one path: used by the link above, the portal's pay page and the residents' API === #

    @staticmethod
    def _property_bill_access_token(bills, partner):
        """The payment form's access token: the partner, the amount, the currency and the bills."""
        return payment_utils.generate_access_token(
            partner.id, bills._get_online_payment_amount(), bills.currency_id.id, *bills.ids
        )

    def _property_bill_payment_form_values(self, bills, partner, transaction_route, landing_route):
        """The values of Odoo's `payment.form` for paying ``bills`` (the caller checked that
        ``partner`` may pay them): only the providers allowed for the bills' company."""
        bills_sudo = bills.sudo()
        providers_sudo = bills_sudo._get_payment_providers(partner)
        currency = bills_sudo.currency_id
        payment_methods_sudo = (
            request.env["payment.method"]
            .sudo()
            ._get_compatible_payment_methods(providers_sudo.ids, partner.id, currency_id=currency.id)
        )
        return {
            "reference_prefix": None,
            "amount": bills_sudo._get_online_payment_amount(),
            "currency": currency,
            "partner_id": partner.id,
            "providers_sudo": providers_sudo,
            "payment_methods_sudo": payment_methods_sudo,
            "tokens_sudo": request.env["payment.token"],  # no saved cards: one payment per bill
            "availability_report": {},
            "show_tokenize_input_mapping": {provider.id: False for provider in providers_sudo},
            "transaction_route": transaction_route,
            "landing_route": landing_route,
            "access_token": self._property_bill_access_token(bills_sudo, partner),
            "res_company": bills_sudo.company_id,
        }

    def _property_bill_check_access_token(self, bills, partner, access_token):
        if not payment_utils.check_access_token(
            access_token,
            partner.id,
            bills.sudo()._get_online_payment_amount(),
            bills.sudo().currency_id.id,
            *bills.ids,
        ):
            raise ValidationError(request.env._("The bills changed in the meantime: reload the page."))

    def _property_bill_create_transaction(
        self,
        bills,
        partner,
        provider_id,
        *,
        payment_method_id=None,
        flow="redirect",
        landing_route="",
        **_kwargs,
    ):
        """Create the draft transaction paying ``bills`` (the caller checked that ``partner`` may
        pay them) with an allowed provider; return it (sudoed). The other values the payment form
        posts (amount, tokens, references, ...) are ignored: the bills decide them.

        :raise ValidationError: if the provider or the payment method may not be used.
        :raise UserError: if the bills cannot be paid (see `property.bill`).
        """
        bills_sudo = bills.sudo()
        bills_sudo._check_online_payment_bills()
        try:
            provider_id = int(provider_id or 0)
            payment_method_id = int(payment_method_id or 0)
        except (TypeError, ValueError) as error:
            raise ValidationError(request.env._("Choose a payment method.")) from error
        provider_sudo = request.env["payment.provider"].sudo().browse(provider_id).exists()
        bills_sudo._check_payment_provider(provider_sudo)
        method_sudo = request.env["payment.method"].sudo().browse(payment_method_id).exists()
        if not method_sudo:
            method_sudo = provider_sudo.payment_method_ids.filtered("active")[:1]
        if method_sudo not in provider_sudo.payment_method_ids or flow not in ("redirect", "direct"):
            raise ValidationError(request.env._("Choose a payment method."))
        return self._create_transaction(
            provider_id=provider_sudo.id,
            payment_method_id=method_sudo.id,
            token_id=None,
            amount=bills_sudo._get_online_payment_amount(),
            currency_id=bills_sudo.currency_id.id,
            partner_id=partner.id,
            flow=flow,
            tokenization_requested=False,
            landing_route=landing_route,
            custom_create_values={
                "property_bill_ids": [Command.set(bills_sudo.ids)],
                "company_id": bills_sudo.company_id.id,
            },
        )
