"""`/xapi/statements` (POST, PUT) and `/xapi/about` (GET): the HTTP side of the small LRS.

Checks run cheapest first: body size (Content-Length, before reading), HTTP Basic credentials
(the source's token as the password, the token's first eight characters as the user name),
the `X-Experience-API-Version` header, the rate limit (shared with the LMS API), the content
type, then the JSON (depth, NUL characters, lone surrogates) and every statement. Every answer
carries `X-Experience-API-Version` (xAPI 1.0.3, Part Three, 6.2). Documented in docs/lms.md.
"""

import base64
import binascii
import json
import re

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from ...conf import setting
from ..api import (
    MAX_JSON_DEPTH,
    bounded_body,
    declared_too_large,
    rate_limited,
    too_large_message,
)
from ..services import PushInvalid, lms_source_authenticate
from .services import MAX_STATEMENTS, StatementConflict, statements_store
from .validation import VERSION, Invalid, uuid_text

VERSIONS = ["1.0.3", "2.0.0"]
VERSION_HEADER = "X-Experience-API-Version"


def answered(response, version="1.0.3"):
    response[VERSION_HEADER] = version
    return response


def error_response(status, message, *, version="1.0.3", field="", code="invalid", errors=None):
    errors = errors or [{"index": None, "field": field, "code": code, "message": message}]
    return answered(JsonResponse({"errors": errors}, status=status), version)


def basic_source(request):
    """The active source whose credentials the request carries, or None."""
    scheme, _space, encoded = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, _colon, password = decoded.partition(":")
    source = lms_source_authenticate(password)
    return source if source is not None and username == source.token_prefix else None


# A NUL character or a lone surrogate can only come as an escape (JSON forbids a raw control
# character, and UTF-8 cannot carry a surrogate): a body without such an escape, which is
# almost every one, holds neither and is not written out again to find them.
SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
# Depth is all a bracket tells here: both kinds become "[]", everything else is dropped.
ONE_KIND = bytes.maketrans(b"{}", b"[]")
NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))


def outside_strings(body):
    """The body less its JSON strings. Without an escaped quote, every quote opens or closes
    a string, and a split finds them faster than the regular expression."""
    if b'\\"' in body:
        return JSON_STRING.sub(b"", body)
    return b"".join(body.split(b'"')[::2])


def unreadable(body, payload):
    """Why a parsed body cannot be kept (a NUL character or a lone surrogate, both of which
    PostgreSQL's jsonb refuses, or nesting beyond MAX_JSON_DEPTH), else "".

    Characters are checked, when the body has a suspect escape, on the payload written back as
    JSON (a NUL comes out as the escape \\u0000, a lone surrogate fails to encode; a text
    holding a backslash and "u0000" is refused with them). Nesting is read from the body's
    brackets outside strings, peeled one level at a time, at C speed: a walk of a batch's
    every list and object cost more than its validation."""
    if SUSPECT_ESCAPE.search(body):
        try:
            written = json.dumps(payload, ensure_ascii=False)
            written.encode("utf-8")
        except UnicodeEncodeError:
            return _("The body holds an invalid character (a lone surrogate).")
        except RecursionError:
            written = ""
        if "\\u0000" in written:
            return _("The body holds a NUL character.")
    brackets = outside_strings(body).translate(ONE_KIND, NOT_BRACKETS)
    for _level in range(MAX_JSON_DEPTH):
        if not brackets:
            return ""
        brackets = brackets.replace(b"[]", b"")  # the innermost lists and objects
    if brackets:
        return _("The body is nested more than %(depth)s levels deep.") % {"depth": MAX_JSON_DEPTH}
    return ""


@require_GET
def about(request):
    """The versions this LRS speaks (xAPI 1.0.3, Part Three, 7.7); no credentials needed."""
    return answered(JsonResponse({"version": VERSIONS}))


@csrf_exempt
@require_http_methods(["POST", "PUT"])
def statements(request):
    max_bytes = setting("XAPI_MAX_BODY_BYTES")
    too_large = error_response(413, too_large_message(max_bytes), code="too_large")
    if declared_too_large(request, max_bytes):
        return too_large
    source = basic_source(request)
    if source is None:
        response = error_response(
            401,
            _(
                "Missing or wrong credentials: send HTTP Basic authentication with the "
                "token's first eight characters as the user name and the token as the password."
            ),
            code="unauthorized",
        )
        response["WWW-Authenticate"] = 'Basic realm="xapi"'
        return response
    asked = request.headers.get(VERSION_HEADER, "").strip()
    if not VERSION.match(asked):
        return error_response(
            400,
            _("Send the header X-Experience-API-Version: 1.0.3 (1.0.x and 2.0.x are accepted)."),
            field=VERSION_HEADER,
            code="version",
        )
    version = "2.0.0" if asked.startswith("2") else "1.0.3"
    wait = rate_limited(source)
    if wait:
        response = error_response(
            429,
            _("Too many requests for this source: try again in %(seconds)s seconds.")
            % {"seconds": wait},
            version=version,
            code="rate_limited",
        )
        response["Retry-After"] = str(wait)
        return response
    if request.content_type != "application/json":
        return error_response(
            415,
            _("Send the statements as application/json."),
            version=version,
            code="content_type",
        )
    statement_id = None
    if request.method == "PUT":
        try:
            statement_id = uuid_text(request.GET.get("statementId"), "statementId")
        except Invalid as invalid:
            return error_response(
                400, invalid.message, version=version, field="statementId", code=invalid.code
            )
    body = bounded_body(request, max_bytes)
    if body is None:
        return too_large
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return error_response(
            400, _("The body is not valid UTF-8 JSON."), version=version, code="invalid_json"
        )
    if isinstance(payload, dict | list) and (reason := unreadable(body, payload)):
        return error_response(400, reason, version=version, code="invalid_json")
    if statement_id is not None and not isinstance(payload, dict):
        return error_response(
            400, _("PUT takes one statement (a JSON object)."), version=version, code="invalid"
        )
    items = payload if isinstance(payload, list) else [payload]
    if not items:
        return error_response(400, _("The list of statements is empty."), version=version)
    if len(items) > MAX_STATEMENTS:
        return error_response(
            413,
            _("At most %(max)s statements per request; this one has %(count)s.")
            % {"max": MAX_STATEMENTS, "count": len(items)},
            version=version,
            code="too_many_items",
        )
    try:
        ids = statements_store(source=source, items=items, statement_id=statement_id)
    except PushInvalid as invalid:
        errors = [error.as_dict() for error in invalid.errors]
        return error_response(400, "", version=version, errors=errors)
    except StatementConflict as conflict:
        return error_response(409, "", version=version, errors=[conflict.error.as_dict()])
    if request.method == "PUT":
        return answered(HttpResponse(status=204), version)
    return answered(JsonResponse(ids, safe=False), version)
