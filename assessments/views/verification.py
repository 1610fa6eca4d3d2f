"""Public verification of a certificate by its code (the QR), its Open Badges documents and its
badge picture (the assertion baked in).

Shows only what the certificate itself shows publicly: name, title, year, issuing area, and
whether it was revoked (with the date). Limited per client address in the cache: the codes
carry 96 random bits, and the limit keeps anyone from even trying to enumerate them. A found
certificate's page is shared from the page cache (purged when it is revoked); a cached answer
skips the count, which costs the limit nothing: only a code someone already holds is cached,
and every guess (a 404) still reaches the view and is counted.
"""

import hashlib

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from learning_units.layout import render
from learning_units.login_lockout import client_ip
from learning_units.models import Area
from learning_units.page_cache import declare, verification_tag
from learning_units.ratelimit import cache_count

from ..certificates import badges, baking, selectors
from ..certificates.documents import TITLES, nfc_text, title_kind
from ..conf import setting

# (requests, seconds) per client address; shared by the page and the badge documents.


def rate_limited(request):
    """Count this request against the client's window; True once the limit is passed."""
    limit, window = setting("VERIFY_RATE")
    return cache_count(f"cdht:verify:{client_ip(request)}", timeout=window) > limit


def too_many(request):
    limit, window = setting("VERIFY_RATE")
    response = render(
        request,
        "assessments/certificates/verify_limited.html",
        {"window": window},
        status=429,
    )
    response["Retry-After"] = str(window)
    return response


def public_facts(recognition):
    """The only facts a verification page shows."""
    assessment = recognition.assessment
    subject = assessment.citizen or assessment.learning_unit
    name = subject.full_name if assessment.citizen_id else subject.name
    return {
        "name": nfc_text(name),
        "title": TITLES.get(title_kind(assessment), TITLES["citizen"]),
        "year": recognition.year,
        "issuing_area": nfc_text(recognition.issuing_area.name),
        "certificate_number": recognition.certificate_number,
        "revoked": recognition.revoked,
        "revoked_on": recognition.revoked_at,
    }


@require_GET
def verify(request, code):
    response = _verify(request, code)
    if response.status_code != 200:  # refusals and unknown codes are never kept anywhere
        add_never_cache_headers(response)
    return response


def _verify(request, code):
    if rate_limited(request):
        return too_many(request)
    if not selectors.is_well_formed_code(code):
        return render(
            request, "assessments/certificates/verify_malformed.html", {"code": code}, status=404
        )
    declare(request, [verification_tag(code)])
    recognition = selectors.recognition_by_code(code)
    context = {
        "code": code,
        "facts": public_facts(recognition) if recognition else None,
        # The machine-readable twin of the page (<link rel="alternate">), on the issuing site.
        "assertion_url": badges.assertion_url(recognition) if recognition else None,
    }
    return render(
        request,
        "assessments/certificates/verify.html",
        context,
        status=200 if recognition else 404,
    )


def _badge_json(document, status=200):
    response = JsonResponse(
        document, status=status, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Type"] = "application/ld+json; charset=utf-8"
    response["Access-Control-Allow-Origin"] = "*"  # badge wallets fetch these cross-origin
    return response


@require_GET
def badge_assertion(request, code):
    if rate_limited(request):
        return _badge_json({"error": _("Too many requests. Try again later.")}, status=429)
    recognition = selectors.recognition_by_code(code)
    if recognition is None:
        raise Http404
    # Hosted verification: a revoked assertion answers 410 Gone with revoked: true.
    return _badge_json(badges.assertion(recognition), status=410 if recognition.revoked else 200)


def baked_badge_response(recognition):
    """The recognition's badge picture with its Assertion baked in, as a download."""
    content = baking.baked_badge(recognition)
    response = HttpResponse(content, content_type="image/png")
    filename = baking.badge_filename(recognition)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = quote_etag(hashlib.sha256(content).hexdigest())
    return response


def _refusal(message, status):
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    add_never_cache_headers(response)
    return response


@require_safe
def badge_image(request, code):
    """The baked badge (PNG) for anyone holding the code, like its Assertion.

    Shared like the verification page: a proxy keeps it for PAGE_CACHE_PROXY_SECONDS at most,
    browsers revalidate it by its ETag. Refusals, unknown codes and a revoked recognition (410
    Gone: never a badge that looks valid) are never kept.
    """
    if rate_limited(request):
        return _refusal(_("Too many requests. Try again later."), 429)
    recognition = selectors.recognition_by_code(code)
    if recognition is None:
        return _refusal(_("No certificate has this code"), 404)
    if recognition.revoked:
        return _refusal(_("This certificate has been revoked"), 410)
    response = baked_badge_response(recognition)
    patch_cache_control(
        response, public=True, max_age=0, s_maxage=setting("PAGE_CACHE_PROXY_SECONDS")
    )
    return get_conditional_response(request, etag=response["ETag"], response=response)


@require_GET
def badge_class(request, area_id, kind):
    if kind not in TITLES:
        raise Http404
    return _badge_json(badges.badge_class(get_object_or_404(Area, pk=area_id), kind))


@require_GET
def badge_issuer(request, area_id):
    return _badge_json(badges.issuer(get_object_or_404(Area, pk=area_id)))
