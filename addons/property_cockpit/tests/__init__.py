from . import test_cockpit, test_demo_history, test_tours
