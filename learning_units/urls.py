"""Public URLs of the learning_units app (registration, passwords, area choices).

The log-in view (`views.CitizenLoginView`) is routed by the project as "login", next to Django's
"logout", so that LOGIN_URL keeps its default meaning.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .lms.views import MyCoursesView

app_name = "learning_units"

urlpatterns = [
    path("accounts/register/", views.CitizenRegisterView.as_view(), name="register"),
    path("accounts/courses/", MyCoursesView.as_view(), name="courses"),
    path(
        "accounts/areas/<int:parent_id>/children.json",
        views.area_children,
        name="area_children",
    ),
    path(
        "accounts/password-change/",
        views.ChooseOwnPasswordView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password-reset/",
        views.CitizenPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        views.CitizenPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
