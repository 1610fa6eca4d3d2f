"""Guards in front of Wagtail's own views, for request parameters they hand straight to the
database (issue 18).

Wagtail's bulk actions (`/admin/bulk/<app>/<model>/<action>/?id=…`: pages, images, documents,
users, snippets) filter `pk__in` the raw `id` values: "abc" or an id beyond the database's
integers was a server error. Our own bulk actions parse their ids themselves
(`assessments.views.bulk_actions`); this covers Wagtail's, for which we own no code.
"""

from django.http import Http404

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
