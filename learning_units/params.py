"""Request parameters parsed before they reach a query: the one place that turns a posted or
queried id into a number (issue 18).

Every value from a request is hostile until parsed: "abc", "1.5", "²" (a digit to
`str.isdigit` that `int` refuses), a NUL byte or a number beyond the database's 64-bit
integers each made a view fail with a server error when handed straight to `filter(pk=…)`.
Here they are simply "no id", and the view answers as for an id that does not exist (404, an
empty choice, a form error).
"""

import re

# Every model of the project has a BigAutoField (see the apps' `default_auto_field`).
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value):
    """A database id (1 … 2⁶³−1) from a request value written in ASCII digits, else None."""
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values):
    """The valid ids among request values, in order, without repeats; the others dropped."""
    ids = (parse_id(value) for value in values)
    return list(dict.fromkeys(number for number in ids if number is not None))
