"""Text helpers for Vietnamese names: NFC normalisation and accent-insensitive search keys."""

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
