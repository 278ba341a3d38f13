from . import test_otp_sms
