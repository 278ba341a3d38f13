from . import test_alipay, test_reconciliation, test_unionpay, test_wechatpay
