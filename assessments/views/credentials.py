"""Open Badges 3.0: the signed credentials, the keys that verify them, the revocation list, and
the page that checks a credential in the browser without the site's database.

Public and anonymous: the JWKS (`/.well-known/jwks.json`), each key at its `kid` URL, the
status lists and the offline page; a credential by its unguessable verification code, counted
against the verification rate limit like the verification page. The signed-in citizen
downloads their own by the recognition's id (`selectors.own_recognition`: anyone else's is a
404).
"""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from learning_units.layout import render

from ..certificates import credentials, keys, selectors, status_list
from .verification import rate_limited, too_many

JWT_TYPE = "application/vc+jwt"  # VC-JOSE-COSE's media type of a VC secured as a JWT


def _public(response, seconds):
    patch_cache_control(response, public=True, max_age=seconds)
    response["Access-Control-Allow-Origin"] = "*"  # wallets and verifiers fetch cross-origin
    return response


def _unavailable():
    response = HttpResponse(
        _("Credentials cannot be signed yet: the site has no signing key."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "3600"
    return response


@require_GET
def jwks(request):
    """Every public key, the retired ones too: credentials they signed still verify."""
    return _public(JsonResponse(keys.jwks()), 300)


@require_GET
def issuer_key(request, kid):
    """One public key as a JWK, active or retired: what a credential's `kid` dereferences to."""
    found = keys.public_key(kid)
    if found is None:
        raise Http404
    return _public(JsonResponse(found, content_type="application/jwk+json"), 300)


@require_GET
def status_list_view(request, number):
    if not status_list.list_exists(number):
        raise Http404
    try:
        token = status_list.signed_status_list(number)
    except keys.NoSigningKey:
        return _unavailable()
    return _public(HttpResponse(token, content_type=JWT_TYPE), 60)


def credential_response(recognition, fmt):
    """The credential as a signed .jwt download, or its JSON to read (unsigned, as signed)."""
    if fmt == "json":
        response = HttpResponse(
            json.dumps(credentials.credential(recognition), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
    elif fmt == "jwt":
        try:
            token = credentials.signed_credential(recognition)
        except keys.NoSigningKey:
            return _unavailable()
        response = HttpResponse(token, content_type=JWT_TYPE)
        filename = credentials.credential_filename(recognition, "jwt")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        raise Http404
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@never_cache
def public_credential(request, code, fmt):
    """By the verification code (the QR): a standing recognition's credential; revoked: 410."""
    if rate_limited(request):
        return too_many(request)
    recognition = selectors.recognition_by_code(code)
    if recognition is None:
        raise Http404
    if recognition.revoked:
        return HttpResponse(
            _("This certificate has been revoked"),
            status=410,
            content_type="text/plain; charset=utf-8",
        )
    return credential_response(recognition, fmt)


@login_required
@never_cache
def my_credential(request, pk, fmt):
    """The signed-in citizen's own credential (or a unit's they head); anyone else's is 404."""
    return credential_response(selectors.own_recognition(request.user, pk), fmt)


@require_GET
def offline_check(request):
    """The verifier in the browser (WebCrypto): a .jwt file, the keys and the list."""
    return render(
        request,
        "assessments/certificates/verify_offline.html",
        {
            "jwks_url": status_list.jwks_url(),
        },
    )
