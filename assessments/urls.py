"""Public URLs of the self-assessment (included by the project inside i18n_patterns)."""

from django.urls import path

from .views import on_behalf, public

app_name = "assessments"

urlpatterns = [
    path("assessments/", public.my_assessments, name="mine"),
    path("assessments/start/", public.start, name="start"),
    path("assessments/<int:pk>/", public.overview, name="overview"),
    path("assessments/<int:pk>/step/<int:number>/", public.step, name="step"),
    path("assessments/<int:pk>/step/<int:number>/autosave/", public.autosave, name="autosave"),
    path("assessments/<int:pk>/submit/", public.submit, name="submit"),
    path("assessments/evidence/<int:pk>/", public.evidence_download, name="evidence"),
    path("assessments/on-behalf/", on_behalf.citizen_list, name="on_behalf"),
    path(
        "assessments/on-behalf/<int:citizen_id>/",
        on_behalf.citizen_detail,
        name="on_behalf_citizen",
    ),
]
