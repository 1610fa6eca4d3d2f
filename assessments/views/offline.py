"""The self-assessment offline: which pages a service worker may keep, for whom, and what the
server holds when a device comes back with answers typed against an older revision.

A host site's service worker (this project's: cdht_wagtail/pwa.py) keeps a page for offline use
only when its response carries OFFLINE_HEADER, whose value names the user without revealing
them; it keeps one user's pages at a time. The answers typed offline are kept by the page itself
(static/assessments/offline.js) and sent through `public.autosave`, whose refusal of a stale
revision carries `saved_values` so the page can show both values of a field changed on both sides.
"""

from functools import wraps

from django.utils.crypto import salted_hmac

from ..forms_public import plain_points
from ..models import IndicatorAnswer

OFFLINE_HEADER = "X-Offline-Page"


def offline_key(user):
    """An opaque, stable name of a user for the device's cache (no id, no name)."""
    return salted_hmac("assessments.offline.key", str(user.pk)).hexdigest()[:32]


def keep_offline(view):
    """Mark a page's successful GET as one a service worker may keep for this user."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            response[OFFLINE_HEADER] = offline_key(request.user)
        return response

    return wrapper


def saved_values(assessment, indicator_ids):
    """The answers as the server holds them, named and written as the step page's fields."""
    values = {}
    rows = IndicatorAnswer.objects.filter(
        assessment=assessment, indicator_id__in=indicator_ids
    ).values_list("indicator_id", "self_points", "note")
    for indicator_id, points, note in rows:
        values[f"points_{indicator_id}"] = plain_points(points)
        values[f"note_{indicator_id}"] = note
    return values
