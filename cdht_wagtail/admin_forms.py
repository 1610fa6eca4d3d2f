"""The admin's login form in one language.

Wagtail's login form leaves the password field without a label (so Django shows the English
"Password") and builds the username placeholder from a Vietnamese string that lacks a space
("Nhập Tên đăng nhậpcủa bạn"). The supplement catalogue (`locale_wagtail`) only fills what
Wagtail does not translate, so the words are set here: `WAGTAILADMIN_USER_LOGIN_FORM`.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class AdminLoginForm(LoginForm):
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["password"].label = _("Password")
        self.fields["username"].widget.attrs["placeholder"] = _("Enter your user name")
