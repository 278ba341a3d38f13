from . import test_alipay, test_reconciliation, test_wechatpay
