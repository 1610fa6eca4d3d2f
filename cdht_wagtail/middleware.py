"""Content-Security-Policy with one relaxation: the Wagtail admin.

The public site (what citizens and anyone on the internet load) runs with a strict policy: scripts
and styles only from our own origin, no inline code. Wagtail 8's admin still renders inline
`<script>` blocks (inline panels, date/time widgets, multiple chooser panels) and `style`
attributes, and some of the project's own admin templates add `<style>` blocks; under a strict
policy they would silently stop working. So paths under the admin prefix get `'unsafe-inline'`
for scripts and styles; everything else (sources, framing, forms, objects) stays as strict.
Only logged-in staff reach those pages, which narrows what an injected script could exploit.
"""

from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIX = "/admin/"
ADMIN_RELAXATION = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            parts.replace = {**(parts.replace or {}), **ADMIN_RELAXATION}
        return parts
