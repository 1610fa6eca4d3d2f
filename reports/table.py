"""The columns of a report, defined once for the screen, the xlsx and the PDF, so that what is
exported is exactly what was shown."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessments.band_labels import band_plain

from .figures import NO_BAND, STATUS_LABELS
from .models import Indicator


@dataclass
class Column:
    label: str
    percent: bool = False


def band_label(band):
    """A band column's heading in the reader's language (`assessments.band_labels`)."""
    return band_plain(band) if band != NO_BAND else _("Below the pass mark")


def columns(report):
    year, previous = report.year, report.previous_year
    return [
        Column(_("Area")),
        Column(_("Adults in scope")),
        Column(_("Registered")),
        *(Column(f"{STATUS_LABELS[key]}") for key in STATUS_LABELS),
        Column(_("Recognition rate %(year)s (%%)") % {"year": year}, percent=True),
        Column(_("Recognition rate %(year)s (%%)") % {"year": previous}, percent=True),
        Column(_("Recognised: change on %(year)s") % {"year": previous}),
        Column(_("Average score")),
        *(Column(band_label(band)) for band in report.band_labels),
        *(Column(f"{label} (%)", percent=True) for _key, label in Indicator.choices[:4]),
    ]


def cells(report, row):
    """A row's values in column order: numbers (int/Decimal) or None for "not known"."""
    current, previous = row.current, row.previous
    indicators = row.indicator_values()
    return [
        row.name,
        row.population,
        row.registered,
        *(current.counts[key] for key in STATUS_LABELS),
        current.recognition_rate,
        previous.recognition_rate,
        row.recognised_change,
        current.average_score,
        *(current.bands[band] for band in report.band_labels),
        *(indicators[key] for key, _label in Indicator.choices[:4]),
    ]


# The PDF summary leaves out the rarer states and the bands to fit an A4 page across.
SUMMARY_LEADING = (0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 13)
SUMMARY_TRAILING = 4  # the target indicators


def summary_indexes(report):
    count = len(columns(report))
    return [*SUMMARY_LEADING, *range(count - SUMMARY_TRAILING, count)]


def pick(values, indexes):
    return [values[index] for index in indexes]
