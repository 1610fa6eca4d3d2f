"""Guards in front of Wagtail's own views, for request parameters they hand straight to the
database (issue 18).

Wagtail's bulk actions (`/admin/bulk/<app>/<model>/<action>/?id=…`: pages, images, documents,
users, snippets) filter `pk__in` the raw `id` values: "abc" or an id beyond the database's
integers was a server error. Our own bulk actions parse their ids themselves
(`assessments.views.bulk_actions`); this covers Wagtail's, for which we own no code.
"""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from learning_units.params import parse_id

BULK_ACTION_URL_NAME = "wagtail_bulk_action"


class BulkActionIdsMiddleware:
    """A bulk action naming an id that cannot exist is a 404, as for a missing row."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.url_name != BULK_ACTION_URL_NAME:
            return None
        ids = request.GET.getlist("id")
        if any(value != "all" and parse_id(value) is None for value in ids):
            raise Http404
        return None


# No form of the site sends a query string this long; a longer one is a crafted address. It
# would also make the log-in redirect (which carries the whole address in `next`) longer than
# Django allows, a DisallowedRedirect logged as an error.
MAX_QUERY_STRING = 8192


class LongQueryStringMiddleware:
    """A query string over MAX_QUERY_STRING characters gets 414 with a plain message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            return HttpResponse(
                _("This address is too long. Go back and search again with fewer words."),
                status=414,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
