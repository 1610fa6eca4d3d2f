"""Rating bands as assessments keep them (the Vietnamese label, e.g. "Khá", copied when scored)
shown in the reader's language (issue #19): the English label an editor gave any band of that
name, else the Vietnamese marked as such (`criteria_texts`).

One query for all labels, kept in the shared cache until a set's English text or bands change
(`forget`, called by `services.criteria`), so lists of many assessments cost nothing per row.
"""

from django.core.cache import cache

from .criteria_texts import SOURCE_LANGUAGE, reader_language, text_html, text_plain
from .models import RatingBand

CACHE_KEY = "cdht:band-labels-en"
TIMEOUT = 24 * 60 * 60


def english_labels():
    """{Vietnamese label: English label} over every set's bands that have one."""

    def read():
        return dict(
            RatingBand.objects.exclude(label_en="").order_by("pk").values_list("label", "label_en")
        )

    return cache.get_or_set(CACHE_KEY, read, TIMEOUT)


def forget():
    cache.delete(CACHE_KEY)


def _band(label):
    """The label as `criteria_texts` reads a band (Vietnamese pages never look the English up)."""
    if reader_language() == SOURCE_LANGUAGE:
        return {"label": label}
    return {"label": label, "label_en": english_labels().get(label, "")}


def band_html(label):
    return text_html(_band(label), "label") if label else ""


def band_plain(label):
    return text_plain(_band(label), "label") if label else ""
