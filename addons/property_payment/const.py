"""Constants of the WeChat Pay, Alipay and UnionPay providers."""

# Payment methods (already defined, inactive, by `payment`) enabled by default per provider.
DEFAULT_PAYMENT_METHOD_CODES = {
    "wechatpay": {"wechat_pay"},
    "alipay": {"alipay"},
    # Odoo's `unionpay` method is a brand of `card`: both are enabled.
    "unionpay": {"card", "unionpay"},
}

# Both gateways settle in renminbi only for domestic merchants.
SUPPORTED_CURRENCIES = ("CNY",)

# Notifications whose timestamp is older (or further in the future) than this are rejected.
WECHATPAY_MAX_NOTIFICATION_AGE = 300  # seconds

# WeChat Pay API v3 `trade_state` values.
# https://pay.weixin.qq.com/doc/v3/merchant/4012791861
WECHATPAY_STATE_DONE = ("SUCCESS",)
WECHATPAY_STATE_PENDING = ("NOTPAY", "USERPAYING", "ACCEPT")
WECHATPAY_STATE_CANCEL = ("CLOSED", "REVOKED")
WECHATPAY_STATE_ERROR = ("PAYERROR",)
WECHATPAY_STATE_REFUND = ("REFUND",)

# WeChat Pay refund statuses (refund notifications and refund API answers).
WECHATPAY_REFUND_DONE = ("SUCCESS",)
WECHATPAY_REFUND_PENDING = ("PROCESSING",)
WECHATPAY_REFUND_ERROR = ("CLOSED", "ABNORMAL")

# Alipay `trade_status` values.
ALIPAY_STATE_DONE = ("TRADE_SUCCESS", "TRADE_FINISHED")
ALIPAY_STATE_PENDING = ("WAIT_BUYER_PAY",)
ALIPAY_STATE_CANCEL = ("TRADE_CLOSED",)

# Alipay API result code meaning "processed".
ALIPAY_CODE_SUCCESS = "10000"

# The notification reply bodies mandated by Alipay.
ALIPAY_REPLY_SUCCESS = "success"
ALIPAY_REPLY_FAIL = "fail"

# Alipay re-sends a notification for about 25 hours (4m, 10m, 10m, 1h, 2h, 6h, 15h); an older
# `notify_time` (Beijing time) is a replay.
ALIPAY_MAX_NOTIFICATION_AGE = 26 * 3600  # seconds
ALIPAY_TIMEZONE = "Asia/Shanghai"

# Pending transactions older than this are no longer polled by the order-status cron.
ORDER_QUERY_MAX_AGE_DAYS = 2
ORDER_QUERY_BATCH_SIZE = 100

# Outgoing HTTP requests: (connect, read) timeouts in seconds.
WECHATPAY_TIMEOUT = (5, 20)
ALIPAY_TIMEOUT = 20

# Alipay gateways (the provider's "test" state uses the sandbox).
ALIPAY_GATEWAY_URLS = {
    "enabled": "https://openapi.alipay.com/gateway.do",
    "test": "https://openapi-sandbox.dl.alipaydev.com/gateway.do",
}

# Longest description WeChat Pay accepts (characters).
WECHATPAY_DESCRIPTION_MAX = 127

# UnionPay (ACP 5.1.0) response codes: `respCode` of a notice or an answer, `origRespCode` of the
# queried transaction in a query answer.
UNIONPAY_CODE_DONE = ("00", "A6")  # A6: paid, with a deferred part of the settlement
UNIONPAY_CODE_PENDING = ("03", "04", "05")  # timeout / processing: query again later
UNIONPAY_CODE_NOT_FOUND = ("34",)  # no such transaction (yet): the payer has not paid

# UnionPay's back notifications are retried for about an hour; its `txnTime` (China time) is the
# order's, which the payer may pay up to the order-query window later. A notice for a
# transaction older than that, or dated in the future, is refused.
UNIONPAY_MAX_NOTIFICATION_AGE = ORDER_QUERY_MAX_AGE_DAYS * 24 * 3600  # seconds
UNIONPAY_MAX_CLOCK_SKEW = 600  # seconds
UNIONPAY_TIMEZONE = "Asia/Shanghai"
UNIONPAY_REPLY_OK = "ok"
