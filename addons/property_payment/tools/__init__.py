from . import statement_parsers
