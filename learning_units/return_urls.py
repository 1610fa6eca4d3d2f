"""Return addresses taken from a request (`next`, `back`): only ones on this site are followed.

Every view that redirects to an address the request carries goes through `return_url`, so an
attacker's link cannot send a citizen from our log-in or assessment page to a look-alike site
(an open redirect). Django's `url_has_allowed_host_and_scheme` does the judging: no other host,
no scheme but http(s) (https only on a secure request), no `//evil` or `\\evil` forms.
"""

from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_return_url(request, target):
    """Whether `target` stays on the host the request came to. A bare word ("123", "mine")
    is no address: `redirect` would take it for a URL name (NoReverseMatch, a 500)."""
    return (
        bool(target)
        and "/" in target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )


def return_url(request, *names, default):
    """The first of the request's POST/GET parameters `names` that is a safe return address,
    else `default` (a URL, or a URL name for `redirect`)."""
    for name in names:
        for source in (request.POST, request.GET):
            target = source.get(name)
            if target:
                return target if is_safe_return_url(request, target) else default
    return default
