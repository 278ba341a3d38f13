from . import pii
