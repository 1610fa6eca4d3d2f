"""The fonts certificates are set in, shipped with the app (Noto Serif, SIL OFL 1.1: fonts/OFL.txt).

Noto Serif covers every precomposed Vietnamese letter. ReportLab does no glyph composition, so
text reaches it in NFC (`documents.nfc_text`): a name typed with combining marks would otherwise
print its accents beside the letters.
"""

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR = Path(__file__).resolve().parent / "fonts"

# CSS family name → (regular, bold, italic) file names, all inside FONTS_DIR.
FAMILY = "Noto Serif"
FONT_FILES = {
    "regular": "NotoSerif-Regular.ttf",
    "bold": "NotoSerif-Bold.ttf",
    "italic": "NotoSerif-Italic.ttf",
}


def font_paths():
    return {style: FONTS_DIR / name for style, name in FONT_FILES.items()}


def missing_fonts():
    """Font files that are absent or empty: a certificate must never print in blank glyphs."""
    return [path for path in font_paths().values() if not path.is_file() or not path.stat().st_size]


class RenderError(RuntimeError):
    """A document cannot be made whole (a font is missing, or the renderer reported errors):
    none is returned rather than one printed in blank or wrong glyphs."""


class ResourceRefused(ValueError):
    """A document asked for a file that is not one of the shipped fonts."""


def link_callback(uri, rel=None):
    """Resolve a resource of a certificate or dossier: only the shipped font files.

    `data:` URIs (the QR code) are part of the document and pass unchanged; any other name —
    a path, `..`, a URL — is refused, so no template or value in one can make the renderer
    read a file or reach the network. The renderer's resource policy (`pdf.RESOURCE_POLICY`)
    enforces the same confinement a second time.
    """
    uri = str(uri or "")
    if uri.startswith("data:"):
        return None
    if uri in FONT_FILES.values():
        return str(FONTS_DIR / uri)
    raise ResourceRefused(f"Refused to load {uri[:80]!r}: only the certificate fonts are allowed.")


@cache
def measuring_font(style):
    """The font registered once per process with ReportLab, to measure text widths."""
    name = f"CdhtMeasure-{style}"
    path = font_paths()[style]
    if path in missing_fonts():
        # Measuring comes before rendering: refuse here as the renderer would.
        raise RenderError(f"Certificate font missing: {path}")
    pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def text_width_cm(text, *, size_pt, style="bold"):
    return pdfmetrics.stringWidth(text, measuring_font(style), size_pt) / 72 * 2.54
