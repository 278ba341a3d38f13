from . import unionpay
