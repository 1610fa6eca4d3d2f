"""Every URL of `learning_units` and `assessments` for a host site, in one module.

A host site adds, before Wagtail's catch-all::

    path("", include("assessments.site_urls")),
    path("", include(wagtail_urls)),

It gets log-in/out at /accounts/login/ and /accounts/logout/ (Django's default LOGIN_URL; URL
names "login" and "logout", which the apps' templates use), registration and passwords under
/accounts/, the self-assessment under /assessments/ and the LMS API under /api/. This project
itself includes the same modules separately, because it puts the pages inside
``i18n_patterns`` and the API outside (see cdht_wagtail/urls.py); a host may do the same.
"""

from django.urls import include, path

from learning_units.views import CitizenLoginView, CitizenLogoutView

urlpatterns = [
    path("accounts/login/", CitizenLoginView.as_view(), name="login"),
    path("accounts/logout/", CitizenLogoutView.as_view(), name="logout"),
    path("api/", include("learning_units.api_urls")),
    path("", include("learning_units.urls")),
    path("", include("assessments.urls")),
]
