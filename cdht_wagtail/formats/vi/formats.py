"""Vietnamese formats that differ from Django's own (django/conf/locale/vi/formats.py).

Dates are written day/month/year with slashes, as on Vietnamese forms and documents
(Django's "06-12-2026" is not how they are written); typed dates are read the same way.
Numbers keep Django's comma decimal and dot thousands. English uses Django's English formats.
"""

SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
# The first is how a text date field shows its value; an ISO date (from type=date) still reads.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%H:%M %d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
