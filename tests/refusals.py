"""The exact refusals the project promises, so tests assert one status and where it leads.

- Wagtail admin screens (admin URLs and viewsets): someone who may not open the admin at all
  (anonymous, or no `wagtailadmin.access_admin`) is sent to the admin login
  (`wagtail.admin.auth.reject_request`); a user who may open the admin but not this screen is
  sent to the admin home with a message (`wagtail.admin.auth.permission_denied`).
- Records outside an officer's jurisdiction are 404, in the admin and on the site: their
  existence is not disclosed.
- The public site's own pages send an anonymous visitor to the site's login.
"""

from django.conf import settings
from django.urls import reverse


def assert_sent_to_admin_login(response):
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith(reverse("wagtailadmin_login")), response["Location"]


def assert_refused_to_admin_home(response):
    assert response.status_code == 302, response.status_code
    assert response["Location"] == reverse("wagtailadmin_home"), response["Location"]


def assert_sent_to_site_login(response):
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith(reverse(settings.LOGIN_URL)), response["Location"]
