"""Text helpers for Vietnamese names: NFC normalisation, accent-insensitive keys, file names."""

import re
import unicodedata


def nfc(value):
    """Vietnamese typed on different keyboards arrives composed or decomposed; store NFC."""
    return unicodedata.normalize("NFC", value or "").strip()


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
