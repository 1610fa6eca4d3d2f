"""Public URLs of the learning_units app (registration, passwords, area choices).

The log-in view (`views.CitizenLoginView`) is routed by the project as "login", next to Django's
"logout", so that LOGIN_URL keeps its default meaning.
"""

from django.urls import path

from . import my_data_views, views
from .lms.views import MyCoursesView

app_name = "learning_units"

urlpatterns = [
    path("accounts/register/", views.CitizenRegisterView.as_view(), name="register"),
    path("accounts/courses/", MyCoursesView.as_view(), name="courses"),
    path("accounts/my-data/", my_data_views.my_data, name="my_data"),
    path(
        "accounts/my-data/download.<str:file_format>",
        my_data_views.my_data_download,
        name="my_data_download",
    ),
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
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        views.CitizenPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
