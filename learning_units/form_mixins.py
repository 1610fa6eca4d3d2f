"""Behaviour shared by the apps' forms, public and admin: what every text field drops, and the
limits a password-reset form keeps."""

from django import forms

from .ratelimit import password_reset_throttled
from .text import strip_controls


class CleanTextMixin:
    """Every text a form takes is stored without invisible control characters (bidirectional
    overrides and the like, `text.strip_controls`), except passwords, which are kept as typed.
    On every form that takes names or free text: the public ones here, the admin's model forms
    (`admin_forms`, `assessments.forms`)."""

    def clean(self):
        cleaned_data = super().clean()
        for name, value in cleaned_data.items():
            field = self.fields.get(name)
            if isinstance(value, str) and not isinstance(
                getattr(field, "widget", None), forms.PasswordInput
            ):
                cleaned_data[name] = strip_controls(value)
        return cleaned_data


class ThrottledPasswordResetMixin:
    """Sends no reset mail beyond the limits per address and per client
    (`ratelimit.password_reset_throttled`), and says so to no one: the view answers "if an
    account has this address, a mail is on its way" either way. On the public and the admin
    reset forms (WAGTAILADMIN_USER_PASSWORD_RESET_FORM)."""

    def save(self, *args, request=None, **kwargs):
        if request is not None and password_reset_throttled(request, self.cleaned_data["email"]):
            return
        super().save(*args, request=request, **kwargs)


class CompleteFormsetsMixin:
    """A posted formset (a Wagtail InlinePanel, nested ones too) whose existing rows lack their
    hidden id is refused like one whose management form was tampered with: a formset error and
    no rows, instead of the KeyError modelcluster raises while building the rows (issue 18).
    On the cluster forms of the admin (`assessments.forms`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            refuse_incomplete_formsets(self)


def refuse_incomplete_formsets(form):
    for formset in getattr(form, "formsets", {}).values():
        pk_name = formset.model._meta.pk.name
        try:
            initial = int(formset.data.get(formset.add_prefix("INITIAL_FORMS"), 0))
        except ValueError:
            continue  # the management form reports it
        if any(f"{formset.add_prefix(i)}-{pk_name}" not in formset.data for i in range(initial)):
            formset.data = formset.data.copy()
            formset.data.pop(formset.add_prefix("TOTAL_FORMS"), None)
            continue
        for child in formset.forms:
            refuse_incomplete_formsets(child)
