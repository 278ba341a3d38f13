import base64
from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import WECHATPAY_APPID, WECHATPAY_MCH_ID, PropertyPaymentCommon

WECHATPAY_COLUMNS = [
    "交易时间",
    "公众账号ID",
    "商户号",
    "特约商户号",
    "设备号",
    "微信订单号",
    "商户订单号",
    "用户标识",
    "交易类型",
    "交易状态",
    "付款银行",
    "货币种类",
    "应结订单金额",
    "代金券金额",
    "微信退款单号",
    "商户退款单号",
    "退款金额",
    "充值券退款金额",
    "退款类型",
    "退款状态",
    "商品名称",
    "商户数据包",
    "手续费",
    "费率",
    "订单金额",
    "申请退款金额",
    "费率备注",
]
WECHATPAY_SUMMARY = (
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
)


def wechatpay_bill(rows, announced=None, merchant=WECHATPAY_MCH_ID):
    """A WeChat Pay trade bill as downloaded: backtick-prefixed values and a summary."""
    lines = [",".join(WECHATPAY_COLUMNS)]
    for row in rows:
        values = {
            "交易时间": row.get("time", "2024-11-20 10:00:00"),
            "公众账号ID": WECHATPAY_APPID,
            "商户号": merchant,
            "特约商户号": "0",
            "微信订单号": row.get("wx_id", "4200001901202411200000000001"),
            "商户订单号": row["reference"],
            "用户标识": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
            "交易类型": "NATIVE",
            "交易状态": row.get("state", "SUCCESS"),
            "付款银行": "OTHERS",
            "货币种类": "CNY",
            "应结订单金额": "0.00" if row.get("state") == "REFUND" else row["amount"],
            "代金券金额": "0.00",
            "微信退款单号": row.get("refund_id", "0"),
            "商户退款单号": row.get("refund_reference", "0"),
            "退款金额": row["amount"] if row.get("state") == "REFUND" else "0.00",
            "充值券退款金额": "0.00",
            "退款类型": "ORIGINAL" if row.get("state") == "REFUND" else "",
            "退款状态": "SUCCESS" if row.get("state") == "REFUND" else "",
            "商品名称": "物业费",
            "手续费": "0.60",
            "费率": "0.60%",
            "订单金额": "0.00" if row.get("state") == "REFUND" else row["amount"],
            "申请退款金额": row["amount"] if row.get("state") == "REFUND" else "0.00",
        }
        lines.append(",".join(f"`{values.get(column, '')}" for column in WECHATPAY_COLUMNS))
    lines.append(WECHATPAY_SUMMARY)
    count = len(rows) if announced is None else announced
    lines.append(f"`{count},`0.00,`0.00,`0.00,`0.00,`0.00,`0.00")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def alipay_bill(rows, income_count):
    """An Alipay account bill (账务明细) as downloaded: GBK, '#' comments, tab-padded values."""
    header = "账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,账户余额（元）,交易渠道,业务类型,备注"
    lines = [
        "#支付宝账务明细查询",
        "#账号：[20881234567890120156]",
        "#起始日期：[2024年11月20日 00:00:00]   终止日期：[2024年11月21日 00:00:00]",
        "#-----------------------------------------账务明细列表----------------------------------------",
        header,
    ]
    for number, row in enumerate(rows, start=1):
        values = [
            f"2024112010000{number:02d}",
            f"20241120220014000000{number:02d}",
            row["reference"],
            "物业费",
            "2024-11-20 10:00:00",
            "wan***@163.com",
            row.get("income", ""),
            row.get("outcome", ""),
            "1000.00",
            "支付宝",
            row["type"],
            "",
        ]
        lines.append(",".join(f"{value}\t" for value in values))
    lines += [
        "#-----------------------------------------账务明细列表结束------------------------------------",
        "#支出合计：2笔，共10.53元",
        f"#收入合计：{income_count}笔，共256.00元",
        "#导出时间：[2024年11月21日 09:00:00]",
    ]
    return "\r\n".join(lines).encode("gbk")


@tagged("post_install", "-at_install")
class TestReconciliation(PropertyPaymentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.accountant = new_test_user(
            cls.env,
            login="property_accountant",
            name="会计 李娜",
            groups="base.group_user,property_base.group_property_accountant",
            company_id=company.id,
            company_ids=[company.id],
        )
        cls.front_desk = new_test_user(
            cls.env,
            login="property_front_desk",
            name="前台 张伟",
            groups="base.group_user,property_base.group_property_user",
            company_id=company.id,
            company_ids=[company.id],
        )

    def _done_tx(self, provider, reference, amount=None, post=True):
        tx = self._create_gateway_tx(provider, reference, amount=amount)
        tx._set_done()
        if post:
            tx._post_process()
        return tx

    def _refund(self, tx, amount):
        refund_tx = tx._create_child_transaction(amount, is_refund=True)
        refund_tx._set_done()
        refund_tx._post_process()
        return refund_tx

    def _import(self, provider, content, user=None):
        wizard = (
            self.env["property.payment.statement.import.wizard"]
            .with_user(user or self.accountant)
            .create(
                {
                    "provider_id": provider.id,
                    "statement_date": "2024-11-20",
                    "data_file": base64.b64encode(content),
                    "file_name": "bill.csv",
                }
            )
        )
        action = wizard.action_import()
        return (
            self.env["property.payment.statement.line"]
            .with_user(user or self.accountant)
            .search(action["domain"])
        )

    def _results(self, lines):
        return {
            (line.line_type, line.reference, line.refund_reference or False): line.match_state
            for line in lines
        }

    @freeze_time("2024-11-20 02:00:00")  # 10:00 in Beijing, on the statement day
    def test_wechatpay_trade_bill(self):
        tx_a = self._done_tx(self.wechatpay, "PB-WX-A")
        refund_a = self._refund(tx_a, 30.0)
        self._done_tx(self.wechatpay, "PB-WX-B")
        self._create_gateway_tx(self.wechatpay, "PB-WX-C", state="pending")
        self._done_tx(self.wechatpay, "PB-WX-E", post=False)
        self._done_tx(self.wechatpay, "PB-WX-D")
        tx_f = self._done_tx(self.wechatpay, "PB-WX-F")
        tx_f.last_state_change = datetime(2024, 11, 18, 2, 0)  # another day: not expected

        content = wechatpay_bill(
            [
                {"reference": "PB-WX-A", "amount": "128.50"},
                {
                    "reference": "PB-WX-A",
                    "amount": "30.00",
                    "state": "REFUND",
                    "refund_reference": refund_a.reference,
                    "refund_id": "50300000001",
                },
                {"reference": "PB-WX-B", "amount": "100.00"},
                {"reference": "PB-WX-C", "amount": "128.50"},
                {"reference": "PB-WX-E", "amount": "128.50"},
                {"reference": "PB-WX-X", "amount": "66.00"},
            ]
        )
        lines = self._import(self.wechatpay, content)
        self.assertEqual(
            self._results(lines),
            {
                ("payment", "PB-WX-A", False): "matched",
                ("refund", "PB-WX-A", refund_a.reference): "matched",
                ("payment", "PB-WX-B", False): "amount_differs",
                ("payment", "PB-WX-C", False): "state_differs",
                ("payment", "PB-WX-E", False): "payment_missing",
                ("payment", "PB-WX-X", False): "missing_in_odoo",
                ("payment", "PB-WX-D", False): "missing_in_statement",
            },
        )
        by_reference = {line.reference: line for line in lines if line.line_type == "payment"}
        self.assertIn("100.0", by_reference["PB-WX-B"].mismatch_reason)
        self.assertIn("128.5", by_reference["PB-WX-B"].mismatch_reason)
        self.assertEqual(by_reference["PB-WX-C"].odoo_state, "pending")
        self.assertIn("PB-WX-X", by_reference["PB-WX-X"].mismatch_reason)
        self.assertEqual(by_reference["PB-WX-A"].trade_time, datetime(2024, 11, 20, 2, 0))
        self.assertTrue(by_reference["PB-WX-A"].with_user(self.accountant).odoo_payment)

        statement = lines.statement_id
        self.assertEqual(statement.state, "reconciled")
        self.assertEqual(statement.line_count, 7)
        self.assertEqual(statement.mismatch_count, 5)
        self.assertAlmostEqual(statement.fee_amount, 3.60)

        # Reconciling again (e.g. after fixing PB-WX-E) is idempotent.
        self.env["payment.transaction"].search([("reference", "=", "PB-WX-E")])._post_process()
        statement.with_user(self.accountant).action_reconcile()
        self.assertEqual(statement.line_count, 7)
        self.assertEqual(statement.mismatch_count, 4)

    @freeze_time("2024-11-20 02:00:00")
    def test_alipay_account_bill(self):
        tx_a = self._done_tx(self.alipay, "PB-ALI-A", amount=88.0)
        self._refund(tx_a, 10.0)
        self._done_tx(self.alipay, "PB-ALI-B", amount=88.0)
        content = alipay_bill(
            [
                {"reference": "PB-ALI-A", "income": "88.00", "type": "在线支付"},
                {"reference": "PB-ALI-A", "outcome": "-0.53", "type": "收费"},
                {"reference": "PB-ALI-A", "outcome": "-10.00", "type": "交易退款"},
                {"reference": "PB-ALI-B", "income": "80.00", "type": "在线支付"},
                {"reference": "PB-ALI-X", "income": "88.00", "type": "在线支付"},
            ],
            income_count=3,
        )
        lines = self._import(self.alipay, content)
        self.assertEqual(
            self._results(lines),
            {
                ("payment", "PB-ALI-A", False): "matched",
                ("refund", "PB-ALI-A", False): "matched",
                ("payment", "PB-ALI-B", False): "amount_differs",
                ("payment", "PB-ALI-X", False): "missing_in_odoo",
            },
        )
        self.assertAlmostEqual(lines.statement_id.fee_amount, 0.53)
        refund_line = lines.filtered(lambda line: line.line_type == "refund")
        self.assertAlmostEqual(refund_line.amount, 10.0)
        self.assertEqual(refund_line.odoo_reference, f"R-{tx_a.reference}")

    def test_truncated_wechatpay_bill_is_refused(self):
        content = wechatpay_bill([{"reference": "PB-WX-A", "amount": "128.50"}], announced=2)
        with self.assertRaisesRegex(UserError, "announces 2 trades"):
            self._import(self.wechatpay, content)

    def test_wechatpay_bill_of_another_merchant_is_refused(self):
        content = wechatpay_bill([{"reference": "PB-WX-A", "amount": "1.00"}], merchant="1900000999")
        with self.assertRaisesRegex(UserError, "1900000999"):
            self._import(self.wechatpay, content)

    def test_incomplete_alipay_bill_is_refused(self):
        content = alipay_bill([{"reference": "PB-ALI-A", "income": "88.00", "type": "在线支付"}], 2)
        with self.assertRaises(UserError):
            self._import(self.alipay, content)

    def test_wrong_format_is_refused(self):
        with self.assertRaises(UserError):
            self._import(self.alipay, wechatpay_bill([{"reference": "PB-WX-A", "amount": "1.00"}]))

    def test_same_day_cannot_be_imported_twice(self):
        content = wechatpay_bill([{"reference": "PB-WX-A", "amount": "1.00"}])
        self._import(self.wechatpay, content)
        with self.assertRaisesRegex(UserError, "already imported"):
            self._import(self.wechatpay, content)

    def test_statements_follow_the_companies(self):
        other_company = self.env["res.company"].create({"name": "第二物业公司"})
        other_provider = self.wechatpay.sudo().copy({"company_id": other_company.id})
        statements = (
            self.env["property.payment.statement"]
            .sudo()
            .create(
                [
                    {"name": "A", "provider_id": self.wechatpay.id, "statement_date": "2024-11-20"},
                    {"name": "B", "provider_id": other_provider.id, "statement_date": "2024-11-20"},
                ]
            )
        )
        self.assertEqual(statements[1].company_id, other_company)
        visible = self.env["property.payment.statement"].with_user(self.accountant).search([])
        self.assertIn(statements[0], visible)
        self.assertNotIn(statements[1], visible)

    def test_front_desk_cannot_reconcile(self):
        with self.assertRaises(AccessError):
            self.env["property.payment.statement"].with_user(self.front_desk).search([])
        with self.assertRaises(AccessError):
            self._import(self.wechatpay, wechatpay_bill([]), user=self.front_desk)
