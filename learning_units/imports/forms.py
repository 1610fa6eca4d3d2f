from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .parsing import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    check_extension,
    check_size,
    grouped,
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "At most %(size)s MB and %(rows)s rows. The next page shows a preview: nothing is "
            "written until you confirm."
        ) % {
            "size": MAX_FILE_BYTES // 1024 // 1024,
            "rows": grouped(MAX_ROWS),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_extension(upload.name)
            check_size(upload.size, MAX_FILE_BYTES)
        except ImportFileError as error:
            raise ValidationError(error.message, code=error.code) from error
        return upload
