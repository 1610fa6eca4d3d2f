"""Machine-facing URLs of learning_units (no language prefix, no CSRF: token-authenticated).

Include at the top level of the project's urlpatterns, outside i18n_patterns:
``path("api/", include("learning_units.api_urls"))``.
"""

from django.urls import path

from .lms.api import completions_api

app_name = "learning_units_api"

urlpatterns = [
    path("lms/completions/", completions_api, name="lms_completions"),
]
