"""QR codes drawn here (qrcode + Pillow) and embedded as data URIs: nothing is fetched."""

import base64
import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M

# Any of the eight masks decodes; choosing the "best" one is qrcode's slowest step (~60% of its
# time, pure Python), and on a printed certificate with a quiet zone the gain is nil.
MASK_PATTERN = 2


# Pixels per module. The certificate prints the code 4.5 cm wide: a one-pixel-per-module image
# stretched that far was blurred past reading by a coarse scan (pdftoppm at 72 dpi: ~2.5 pixels
# per module); eight pixels per module survive the downsampling (tests/test_certificates.py
# scans it at 72 and 150 dpi) and still make a PNG under 1 KB.
BOX_SIZE = 8


def qr_png(text, *, box_size=BOX_SIZE, border=4):
    """PNG bytes of a QR code; a 4-module quiet zone, as scanners expect (ISO/IEC 18004)."""
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M,
        box_size=box_size,
        border=border,
        mask_pattern=MASK_PATTERN,
    )
    code.add_data(text)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white").get_image().convert("1")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def qr_data_uri(text):
    return "data:image/png;base64," + base64.b64encode(qr_png(text)).decode("ascii")
