"""The xAPI endpoints (a minimal Learning Record Store, `learning_units.lms.xapi`).

Include at the top level of the project's urlpatterns, outside i18n_patterns, with no slash
after the resources (the xAPI specification names them `/statements` and `/about`):
``path("xapi/", include("learning_units.xapi_urls"))``.
"""

from django.urls import path

from .lms.xapi.views import about, statements

app_name = "xapi"

urlpatterns = [
    path("statements", statements, name="statements"),
    path("about", about, name="about"),
]
