"""The citizen's certificates on "My assessments": a download link per unrevoked recognition."""

from django import template

from ..certificates.selectors import own_certificates

register = template.Library()


@register.inclusion_tag("assessments/certificates/_my_certificates.html")
def my_certificates(user):
    return {"certificates": list(own_certificates(user))}
