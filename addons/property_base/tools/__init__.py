from . import pii, xlsx_templates
