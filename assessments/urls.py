"""Public URLs of the self-assessment (included by the project inside i18n_patterns)."""

from django.urls import path

from .views import certificates, credentials, notices, on_behalf, public, verification

app_name = "assessments"

urlpatterns = [
    path("assessments/", public.my_assessments, name="mine"),
    path("assessments/start/", public.start, name="start"),
    path("assessments/<int:pk>/", public.overview, name="overview"),
    path("assessments/<int:pk>/step/<int:number>/", public.step, name="step"),
    path("assessments/<int:pk>/step/<int:number>/autosave/", public.autosave, name="autosave"),
    path("assessments/<int:pk>/all/", public.all_parts, name="all_parts"),
    path("assessments/<int:pk>/all/autosave/", public.autosave, name="autosave_all"),
    path("assessments/<int:pk>/submit/", public.submit, name="submit"),
    path("assessments/evidence/<int:pk>/", public.evidence_download, name="evidence"),
    path("assessments/notices/read/", notices.mark_read, name="notices_read"),
    path("assessments/on-behalf/", on_behalf.citizen_list, name="on_behalf"),
    path(
        "assessments/on-behalf/<int:citizen_id>/",
        on_behalf.citizen_detail,
        name="on_behalf_citizen",
    ),
    # Certificates (issue #8): the citizen's own download, public verification, Open Badges.
    path("assessments/certificate/<int:pk>.pdf", certificates.my_certificate, name="certificate"),
    path("verify/offline/", credentials.offline_check, name="verify_offline"),
    path("assessments/certificate/<int:pk>/badge.png", certificates.my_badge, name="my_badge"),
    path("verify/<str:code>/", verification.verify, name="verify"),
    path("badges/assertions/<str:code>.png", verification.badge_image, name="badge_image"),
    path(
        "badges/assertions/<str:code>.json",
        verification.badge_assertion,
        name="badge_assertion",
    ),
    path(
        "badges/issuers/<int:area_id>/<str:kind>.json",
        verification.badge_class,
        name="badge_class",
    ),
    path("badges/issuers/<int:area_id>.json", verification.badge_issuer, name="badge_issuer"),
    # Open Badges 3.0 (issue #21): signed credentials, the keys, the revocation lists.
    path(
        "assessments/credential/<int:pk>.<str:fmt>",
        credentials.my_credential,
        name="my_credential",
    ),
    path(
        "badges/credentials/<str:code>.<str:fmt>",
        credentials.public_credential,
        name="credential",
    ),
    path("badges/status/<int:number>.jwt", credentials.status_list_view, name="status_list"),
    path(".well-known/jwks.json", credentials.jwks, name="jwks"),
    path("badges/keys/<str:kid>.json", credentials.issuer_key, name="issuer_key"),
]
