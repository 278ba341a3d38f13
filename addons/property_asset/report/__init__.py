from . import property_asset_cost_report
from . import property_asset_reliability_report
from . import property_asset_upcoming_report
