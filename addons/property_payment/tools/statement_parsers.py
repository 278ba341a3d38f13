"""Parsers of the gateways' daily statement files.

Both return ``{"lines": [...], "fee_amount": float, "merchant": str}`` where each line is a dict
with ``trade_time`` (naive, Beijing time), ``reference`` (商户订单号), ``refund_reference``,
``gateway_reference``, ``line_type`` ('payment' or 'refund'), ``gateway_state`` (as printed),
``gateway_status`` ('paid', 'refunded', 'closed', 'other'), ``amount`` and ``fee_amount``.
They raise ``StatementFormatError`` on a file they cannot read completely.
"""

import csv
import io
import re
from datetime import datetime


class StatementFormatError(ValueError):
    """The statement file is not in the expected format or is incomplete."""


def _decode(content, encodings):
    for encoding in encodings:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StatementFormatError("The file encoding is not supported.")


def _amount(value):
    value = (value or "").strip().replace(",", "")
    if not value:
        return 0.0
    try:
        return float(value)
    except ValueError as error:
        raise StatementFormatError(f"Invalid amount: {value}") from error


def _datetime(value):
    value = (value or "").strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise StatementFormatError(f"Invalid date: {value}")


# === WeChat Pay trade bill (交易账单, bill_type=ALL) === #

WECHATPAY_STATUS = {
    "SUCCESS": "paid",
    "REFUND": "refunded",
    "REVOKED": "closed",
    "CLOSED": "closed",
}


def parse_wechatpay_trade_bill(content):
    """Parse WeChat Pay's trade bill CSV: a header row, one row per trade or refund whose values
    are prefixed with a backtick, then a summary header (总交易单数,...) and its values."""
    text = _decode(content, ("utf-8-sig", "gb18030"))
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not rows or "商户订单号" not in [cell.strip() for cell in rows[0]]:
        raise StatementFormatError("This is not a WeChat Pay trade bill (no 商户订单号 column).")
    header = [cell.strip() for cell in rows[0]]

    def column(row, *names):
        for name in names:
            if name in header:
                index = header.index(name)
                return row[index].strip().lstrip("`").strip() if index < len(row) else ""
        return ""

    lines, summary = [], None
    merchant = ""
    fee_total = 0.0
    for position, row in enumerate(rows[1:], start=1):
        if row[0].strip().lstrip("`").startswith("总交易单数"):
            summary_header = [cell.strip() for cell in row]
            values = rows[position + 1] if position + 1 < len(rows) else []
            summary = {
                name: value.strip().lstrip("`") for name, value in zip(summary_header, values, strict=False)
            }
            break
        state = column(row, "交易状态")
        is_refund = state == "REFUND"
        fee = _amount(column(row, "手续费"))
        fee_total += fee
        merchant = merchant or column(row, "商户号")
        lines.append(
            {
                "trade_time": _datetime(column(row, "交易时间")),
                "reference": column(row, "商户订单号"),
                "refund_reference": column(row, "商户退款单号") if is_refund else "",
                "gateway_reference": column(row, "微信退款单号") if is_refund else column(row, "微信订单号"),
                "line_type": "refund" if is_refund else "payment",
                "gateway_state": state,
                "gateway_status": WECHATPAY_STATUS.get(state, "other"),
                "amount": _amount(column(row, "退款金额", "申请退款金额"))
                if is_refund
                else _amount(column(row, "订单金额", "应结订单金额")),
                "fee_amount": fee,
                "merchant": column(row, "商户号"),
            }
        )
    if summary is None:
        raise StatementFormatError("The WeChat Pay bill has no summary (总交易单数): incomplete file.")
    try:
        expected_count = int(summary.get("总交易单数", ""))
    except ValueError as error:
        raise StatementFormatError("The WeChat Pay bill summary is unreadable.") from error
    if expected_count != len(lines):
        raise StatementFormatError(
            f"The WeChat Pay bill announces {expected_count} trades but lists {len(lines)}."
        )
    return {"lines": lines, "fee_amount": fee_total, "merchant": merchant}


# === Alipay account bill (账务明细) === #

ALIPAY_PAYMENT_TYPES = ("在线支付", "交易付款", "交易收款")
ALIPAY_REFUND_TYPES = ("交易退款", "退款")
ALIPAY_FEE_TYPES = ("收费", "服务费", "交易服务费")
ALIPAY_INCOME_FOOTER = re.compile(r"收入合计[：:]\s*(\d+)\s*笔")
ALIPAY_ACCOUNT_HEADER = re.compile(r"账号[：:]\s*\[?(\d+)")


def parse_alipay_account_bill(content):
    """Parse Alipay's account bill CSV (GBK): '#' comment lines around a header row
    (账务流水号,业务流水号,商户订单号,...) and rows whose values may end with a tab."""
    text = _decode(content, ("gb18030", "utf-8-sig"))
    comments = [line for line in text.splitlines() if line.strip().startswith("#")]
    data = "\n".join(line for line in text.splitlines() if line.strip() and not line.strip().startswith("#"))
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(data))]
    if not rows or "商户订单号" not in rows[0] or "业务类型" not in rows[0]:
        raise StatementFormatError("This is not an Alipay account bill (no 商户订单号 column).")
    header = rows[0]

    def column(row, prefix):
        for index, name in enumerate(header):
            if name.startswith(prefix):
                return row[index] if index < len(row) else ""
        return ""

    lines = []
    fee_total = 0.0
    income_rows = 0
    for row in rows[1:]:
        if not any(row):
            continue
        income = _amount(column(row, "收入金额"))
        outcome = abs(_amount(column(row, "支出金额")))
        income_rows += 1 if income else 0
        business_type = column(row, "业务类型")
        if business_type in ALIPAY_FEE_TYPES:
            fee_total += outcome - income
            continue
        if business_type in ALIPAY_PAYMENT_TYPES:
            line_type, status, amount = "payment", "paid", income
        elif business_type in ALIPAY_REFUND_TYPES:
            line_type, status, amount = "refund", "refunded", outcome
        else:  # withdrawals, transfers: not about residents' payments
            continue
        lines.append(
            {
                "trade_time": _datetime(column(row, "发生时间")),
                "reference": column(row, "商户订单号"),
                "refund_reference": "",
                "gateway_reference": column(row, "业务流水号"),
                "line_type": line_type,
                "gateway_state": business_type,
                "gateway_status": status,
                "amount": amount,
                "fee_amount": 0.0,
                "merchant": "",
            }
        )
    merchant = ""
    for comment in comments:
        match = ALIPAY_INCOME_FOOTER.search(comment)
        if match and int(match.group(1)) != income_rows:
            raise StatementFormatError(
                f"The Alipay bill announces {match.group(1)} income rows but lists {income_rows}."
            )
        account = ALIPAY_ACCOUNT_HEADER.search(comment)
        if account:
            merchant = account.group(1)
    return {"lines": lines, "fee_amount": fee_total, "merchant": merchant}


PARSERS = {
    "wechatpay": parse_wechatpay_trade_bill,
    "alipay": parse_alipay_account_bill,
}
