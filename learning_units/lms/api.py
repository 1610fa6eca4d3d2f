"""`POST /api/lms/completions/`: an LMS pushes completions with its source's bearer token.

JSON in and out; one completion (an object) or a batch (``{"completions": [...]}``). Checks run
cheapest first: body size (from Content-Length, before reading), token, rate limit, JSON,
then every item. Documented in README.md ("LMS completions API").
"""

import json
import time

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..conf import setting
from ..ratelimit import cache_count
from .services import MAX_ITEMS, PushInvalid, completions_push, lms_source_authenticate


def error_response(status, message, *, field="", code="invalid", headers=None):
    response = JsonResponse(
        {"errors": [{"index": None, "field": field, "code": code, "message": message}]},
        status=status,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# A batch is three levels deep ({"completions": [{"hours": 2}]}); a body nested thousands of
# levels deep made the parser, or any later walk of the values, exhaust Python's recursion.
MAX_JSON_DEPTH = 32


def too_deep(value):
    """Whether parsed JSON nests lists and objects deeper than MAX_JSON_DEPTH (walked without
    recursion, so a deep value cannot exhaust the stack here either)."""
    pending = [(value, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                return True
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
    return False


def bearer_token(request):
    scheme, _space, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def too_large_message(max_bytes):
    return _("The request body is larger than %(size)s KB: send smaller batches.") % {
        "size": max_bytes // 1024
    }


def declared_too_large(request, max_bytes):
    """Whether the declared Content-Length is over the limit (refused before reading)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > max_bytes
    except ValueError:
        return False


def bounded_body(request, max_bytes):
    """The body, read no further than the limit: None when it is longer (a lying header)."""
    body = request.read(max_bytes + 1)
    return None if len(body) > max_bytes else body


def rate_limited(source):
    """Seconds to wait when the source has used up this minute's requests, else 0.

    A fixed one-minute window in the shared cache, so every process counts together.
    """
    limit = setting("LMS_API_REQUESTS_PER_MINUTE")
    now = time.time()
    window = int(now // 60)
    count = cache_count(f"cdht:lms:rate:{source.pk}:{window}", timeout=70)
    return int(60 - now % 60) + 1 if count > limit else 0


@csrf_exempt
@require_POST
def completions_api(request):
    max_bytes = setting("LMS_API_MAX_BODY_BYTES")
    too_large = error_response(413, too_large_message(max_bytes), code="too_large")
    if declared_too_large(request, max_bytes):
        return too_large
    source = lms_source_authenticate(bearer_token(request))
    if source is None:
        return error_response(
            401,
            _("Missing, wrong or revoked token: send “Authorization: Bearer <token>”."),
            code="unauthorized",
            headers={"WWW-Authenticate": 'Bearer realm="lms"'},
        )
    wait = rate_limited(source)
    if wait:
        return error_response(
            429,
            _("Too many requests for this source: try again in %(seconds)s seconds.")
            % {"seconds": wait},
            code="rate_limited",
            headers={"Retry-After": str(wait)},
        )
    body = bounded_body(request, max_bytes)
    if body is None:
        return too_large
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return error_response(400, _("The body is not valid UTF-8 JSON."), code="invalid_json")
    if too_deep(payload):
        return error_response(
            400,
            _("The body is nested more than %(depth)s levels deep.") % {"depth": MAX_JSON_DEPTH},
            code="invalid_json",
        )
    if isinstance(payload, dict) and "completions" in payload:
        items = payload["completions"]
        if not isinstance(items, list) or not items:
            return error_response(
                400, _("“completions” must be a non-empty list."), field="completions"
            )
    elif isinstance(payload, dict):
        items = [payload]
    else:
        return error_response(
            400, _("Send one completion (an object) or {“completions”: [...]}."), field=""
        )
    if len(items) > MAX_ITEMS:
        return error_response(
            413,
            _("At most %(max)s completions per request; this one has %(count)s.")
            % {"max": MAX_ITEMS, "count": len(items)},
            field="completions",
            code="too_many_items",
        )
    try:
        result = completions_push(source=source, items=items)
    except PushInvalid as invalid:
        return JsonResponse({"errors": [error.as_dict() for error in invalid.errors]}, status=400)
    return JsonResponse(result.as_dict(), status=200)
