from . import test_invitation, test_invitation_tours, test_otp_sms
