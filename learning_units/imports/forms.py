from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..lms.selectors import lms_sources_for_import
from ..models import LmsSource
from .parsing import (
    MAX_FILE_BYTES,
    ImportFileError,
    check_extension,
    check_size,
    grouped,
    max_rows_default,
)
from .service import KIND_LABELS


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=list(KIND_LABELS.items()),
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        error_messages={"empty": _("The file is empty.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    # Course completions only: which LMS the file comes from, and the course of its report.
    source = forms.ModelChoiceField(
        label=_("LMS source (course completions)"),
        queryset=None,
        required=False,
        empty_label=_("Our template (learners by citizen ID)"),
        help_text=_("For a Moodle or Open edX report, choose the LMS it was exported from."),
    )
    course_title = forms.CharField(
        label=_("Course title (LMS reports)"),
        max_length=255,
        required=False,
        help_text=_("An LMS report holds one course; its ID is read from the file name."),
    )
    course_id = forms.CharField(label=_("Course ID (LMS reports)"), max_length=120, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = (
            lms_sources_for_import(user) if user else LmsSource.objects.none()
        )
        self.fields["file"].help_text = gettext(
            "At most %(size)s MB and %(rows)s rows. The next page shows a preview: nothing is "
            "written until you confirm."
        ) % {
            "size": MAX_FILE_BYTES // 1024 // 1024,
            "rows": grouped(max_rows_default()),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_extension(upload.name)
            check_size(upload.size, MAX_FILE_BYTES)
        except ImportFileError as error:
            raise ValidationError(error.message, code=error.code) from error
        return upload

    def import_options(self):
        """The kind's own options, as `import_run` and the stored upload keep them."""
        if self.cleaned_data["kind"] != "completions":
            return {}
        source = self.cleaned_data.get("source")
        return {
            "source": source.pk if source else None,
            "course_title": self.cleaned_data.get("course_title", ""),
            "course_id": self.cleaned_data.get("course_id", ""),
        }
