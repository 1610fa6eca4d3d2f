"""English formats that differ from Django's own (django/conf/locale/en/formats.py, American).

The site's English readers are people abroad and officers reading in English about Vietnam:
dates in day-month order, the month in words where a date stands alone ("5 June 2026"), never
the American month/day ("06/05/2026") that reads as 6 May to everyone else; typed dates are read
day first as well (an ISO date from type=date still reads).
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
FIRST_DAY_OF_WEEK = 1  # Monday, as in Viet Nam
