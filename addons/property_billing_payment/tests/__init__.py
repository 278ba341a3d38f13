from . import test_bill_payment, test_duplicate_payment, test_payment_link, test_unionpay_bill_payment
