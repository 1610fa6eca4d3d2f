"""django-import-export widgets carrying the Vietnamese cell rules of `cells`.

A widget turns one raw cell (text from a csv, or whatever Excel stored: numbers, dates) into a
Python value or raises `CellError` with a stable code and the message an officer acts on. The
rules themselves stay in `cells` because the LMS API and the other import kinds share them.
"""

from import_export import widgets

from . import cells


class CellWidget(widgets.Widget):
    """A widget running one `cells` cleaner (formula cells are refused before, by `Row.clean`)."""

    def __init__(self, cleaner, **options):
        super().__init__()
        self.cleaner = cleaner
        self.options = options

    def clean(self, value, row=None, **kwargs):
        return self.cleaner(value, **self.options, **kwargs)


class TextWidget(CellWidget):
    """Trimmed text, runs of spaces collapsed, numbers without a trailing “.0”."""

    def __init__(self, *, max_length, required=False):
        super().__init__(cells.text, max_length=max_length, required=required)


class CitizenIdWidget(CellWidget):
    """A CCCD/CMND, checked against the row's gender and birth year (kwargs of `clean`).

    Explains IDs that lost their leading zeros in a number cell, Excel's 1.0 and 1e11 forms and
    masked IDs copied from an export.
    """

    def __init__(self, *, required=True):
        super().__init__(cells.citizen_id, required=required)
