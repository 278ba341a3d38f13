from . import api, binding, portal
