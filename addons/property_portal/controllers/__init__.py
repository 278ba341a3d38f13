from . import binding, portal
