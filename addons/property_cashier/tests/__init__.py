from . import test_cashier_tour, test_closing, test_collect, test_receipt, test_reversal, test_security
