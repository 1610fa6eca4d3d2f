"""What the apps read from a request about the person behind it: the client address.

Here rather than beside the log-in throttling because the audit log records it too, and audit
imports no other app.
"""

from .conf import setting


def client_ip(request):
    """The client address; behind a proxy, set CDHT_CLIENT_IP_HEADER to the META key it sets.

    The proxy must overwrite that header (e.g. nginx `proxy_set_header X-Real-IP
    $remote_addr` with CDHT_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"), or clients could forge it.
    """
    header = setting("CLIENT_IP_HEADER")
    return (request.META.get(header) if header else None) or request.META.get("REMOTE_ADDR", "")
