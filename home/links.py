"""Links from the public pages into the apps' own views, which may not all be installed."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import override

# The self-assessment's list view; its URL name has changed while it was being built.
SELF_ASSESSMENT_URL_NAMES = ("assessments:my_assessments", "assessments:mine")


def self_assessment_url():
    """The citizen's self-assessment, or the login page on a site without it."""
    for name in SELF_ASSESSMENT_URL_NAMES:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return reverse("login")


def leads_to_registration(url):
    """Whether a link an editor typed opens the registration page (in any language, whichever
    the page it sits on)."""
    path = urlsplit(url or "").path
    for language, _name in settings.LANGUAGES:
        with override(language):
            try:
                if resolve(path).view_name == "learning_units:register":
                    return True
            except Resolver404:
                continue
    return False
