"""Text helpers for Vietnamese names: NFC normalisation, accent-insensitive keys, file names,
and the removal of invisible control characters from everything people type.

Every name and free text that enters the site passes `strip_controls`, mostly through `nfc`
(names: models' save, services; free text: notes, comments, reasons; the form mixin
`learning_units.form_mixins.CleanTextMixin`; import cells): it drops bidirectional overrides and
isolates and other control characters, which would otherwise reverse or hide text on listings
and certificates ("Nguyễn\u202eAn" shown as another name). Tabs and line breaks stay in free text.
"""

import re
import unicodedata

# C0 and C1 controls except tab, line feed and carriage return; the bidirectional marks,
# embeddings, overrides and isolates (U+061C, U+200E-F, U+202A-E, U+2066-9); the byte-order mark
# and the other invisible format characters a copy from a web page brings (U+200B, U+2060).
INVISIBLE_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f"
    "\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)


def strip_controls(value):
    """`value` without invisible control characters (see INVISIBLE_CONTROLS)."""
    return INVISIBLE_CONTROLS.sub("", value or "")


def nfc(value):
    """Vietnamese typed on different keyboards arrives composed or decomposed; store NFC,
    without control characters, trimmed (names and free text alike)."""
    return unicodedata.normalize("NFC", strip_controls(value)).strip()


def search_key(value):
    """Lower-case, accents removed, đ → d: "Nguyễn Văn An" → "nguyen van an".

    Stored beside names so that searching works the same on SQLite and PostgreSQL without an
    unaccent extension.
    """
    decomposed = unicodedata.normalize("NFD", (value or "").replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.lower().split())


def file_slug(value):
    """ "Đà Nẵng" → "da-nang": ASCII letters and digits joined by hyphens, for file names.

    Built on `search_key` because Django's slugify drops "đ" ("Đà Nẵng" → "a-nang"); file names
    stay ASCII so every phone, mail client and Content-Disposition header keeps them whole.
    """
    return "-".join(re.findall(r"[a-z0-9]+", search_key(value)))
