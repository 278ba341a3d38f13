from . import test_dunning, test_personal_data
