"""Bills, paying them, and the payment history. Paying goes through the one bill-payment path
of the portal's payment page (property_billing_payment's controller)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from werkzeug.exceptions import NotFound

from odoo import fields

from ..controllers.portal import ResidentPortal
from ..schemas import BillDetailOut, BillOut, BillPayIn, BillsOut, PaymentsOut, PaymentStartOut, ProvidersOut
from .common import AUTH_ERRORS, AuthenticatedHousehold, dt, error, money, savepoint

router = APIRouter(tags=["bills"], dependencies=[Depends(savepoint, scope="function")], responses=AUTH_ERRORS)


def payment_controller():
    """The portal's controller (a PropertyBillPaymentPortal): the API pays through it."""
    return ResidentPortal()


def bill_json(bill, lines=False):
    values = {
        "id": bill.id,
        "name": bill.name,
        "period_start": fields.Date.to_string(bill.period_start) or None,
        "date_due": fields.Date.to_string(bill.date_due) or None,
        "amount_total": money(bill.amount_total),
        "amount_residual": money(bill.amount_residual),
        "state": bill.state,
    }
    if lines:
        values["lines"] = [
            {
                "fee": line.product_id.display_name,
                "description": line.description or None,
                "quantity": line.quantity,
                "price_unit": line.price_unit,
                "amount": money(line.amount_total),
                "readings": [
                    {
                        "date": fields.Date.to_string(r.date) or None,
                        "value": r.value,
                        "consumption": r.consumption,
                    }
                    for r in line.reading_ids
                ],
            }
            for line in bill.line_ids
        ]
    return BillDetailOut(**values) if lines else BillOut(**values)


def bills_to_pay(household, bill_ids):
    bills = household.payable_bills(bill_ids)
    if not bills:
        raise NotFound()
    return bills


@router.get("/bills", summary="The household's bills")
def bills(household: AuthenticatedHousehold) -> BillsOut:
    records = household.search("property.bill", "bill", limit=100, order="date_due desc, id desc")
    return BillsOut(bills=[bill_json(b) for b in records])


@router.get(
    "/bills/payment_providers", summary="The payment providers the bills may be paid with (bill_ids=1,2)"
)
def bills_payment_providers(
    household: AuthenticatedHousehold,
    bill_ids: Annotated[str, Query(description="Comma-separated bill ids")] = "",
) -> ProvidersOut:
    """The providers the chosen bills may be paid with (the payment page offers the same)."""
    records = bills_to_pay(household, [int(i) for i in bill_ids.split(",") if i.isdigit()])
    providers = records.sudo()._get_payment_providers(household.partner)
    return ProvidersOut(
        amount=money(records.sudo()._get_online_payment_amount()),
        providers=[{"id": p.id, "code": p.code, "name": p.name} for p in providers],
    )


@router.post(
    "/bills/pay",
    summary="Pay bills with one of their payment providers (provider_id, or the provider's code); "
    "returns the gateway's values. Refused while the bills have a payment in progress",
)
def bills_pay(household: AuthenticatedHousehold, data: BillPayIn) -> PaymentStartOut:
    """Create the payment transaction of the chosen bills through the one bill-payment path
    (property_billing_payment), with ``provider_id``, or the ``provider`` code among the
    providers allowed for the bills' company."""
    records = bills_to_pay(household, data.bill_ids)
    provider_id = data.provider_id
    if not provider_id:
        code = data.provider or "wechatpay"
        allowed = records.sudo()._get_payment_providers(household.partner)
        provider_id = allowed.filtered(lambda p: p.code == code)[:1].id
    if not provider_id:
        return error(400, "provider_unavailable")
    tx = payment_controller()._property_bill_create_transaction(
        records,
        household.partner,
        provider_id,
        payment_method_id=data.payment_method_id or None,
        landing_route="/my/payments",
    )
    return PaymentStartOut(
        **{"reference": tx.reference, "amount": money(tx.amount), **tx._get_processing_values()}
    )


@router.get("/bills/{bill_id}", summary="A bill with its lines and meter readings")
def bill(household: AuthenticatedHousehold, bill_id: int) -> BillDetailOut:
    record = household.get("property.bill", "bill", bill_id)
    if not record:
        raise NotFound()
    return bill_json(record, lines=True)


@router.get("/payments", summary="Payment history")
def payments(household: AuthenticatedHousehold) -> PaymentsOut:
    txs = household.search("payment.transaction", "transaction", limit=50, order="id desc")
    return PaymentsOut(
        payments=[
            {
                "id": tx.id,
                "reference": tx.reference,
                "amount": money(tx.amount),
                "state": tx.state,
                "provider": tx.provider_code or None,
                "date": dt(tx.last_state_change),
                "bills": tx.property_bill_ids.filtered(lambda b: b.line_ids.unit_id & household.units).mapped(
                    "name"
                ),
            }
            for tx in txs
        ]
    )
