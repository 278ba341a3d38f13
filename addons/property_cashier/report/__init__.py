from . import property_cashier_reports
