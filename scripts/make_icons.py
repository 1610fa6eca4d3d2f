"""Draw the web app's icons (an open book on the site's green) with Pillow.

    .venv/bin/python scripts/make_icons.py

Writes cdht_wagtail/static/icons/: icon-192.png, icon-512.png, maskable-512.png (the book inside
the safe zone of a maskable icon: the inner 80 %) and apple-touch-icon.png (180). The PNGs are
committed; run this again only to change the drawing.
"""

from pathlib import Path

from PIL import Image, ImageDraw

GREEN = (11, 93, 59)  # --c-primary of site.css
WHITE = (255, 255, 255)
GOLD = (245, 180, 0)  # the focus colour of site.css
OUT = Path(__file__).resolve().parents[1] / "cdht_wagtail" / "static" / "icons"
SCALE = 4  # drawn larger, then reduced: smooth edges without an anti-aliasing library


def book(size, inset, rounded):
    """The icon at `size` px; the book fills the square less `inset` (a fraction) each side."""
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=GREEN)
    else:
        draw.rectangle((0, 0, big - 1, big - 1), fill=GREEN)
    left, right = big * inset, big * (1 - inset)
    width, middle = right - left, big / 2
    top, bottom = big * 0.30 + width * 0.02, big * 0.70
    dip = width * 0.06
    # Two pages meeting at the spine, each a quadrilateral sagging towards the middle.
    draw.polygon([(left, top), (middle, top + dip), (middle, bottom + dip), (left, bottom)], WHITE)
    draw.polygon(
        [(middle, top + dip), (right, top), (right, bottom), (middle, bottom + dip)], WHITE
    )
    line = max(SCALE, int(width * 0.02))
    draw.line([(middle, top + dip), (middle, bottom + dip)], fill=GREEN, width=line)
    for step in (0.3, 0.5, 0.7):  # lines of text on each page
        y = top + (bottom - top) * step
        draw.line([(left + width * 0.07, y), (middle - width * 0.07, y + dip * 0.5)], GREEN, line)
        draw.line([(middle + width * 0.07, y + dip * 0.5), (right - width * 0.07, y)], GREEN, line)
    # A small gold sun above the book: learning, growing.
    radius = width * 0.09
    draw.ellipse(
        (middle - radius, top - radius * 2.6, middle + radius, top - radius * 0.6), fill=GOLD
    )
    return image.resize((size, size), Image.LANCZOS)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    book(192, 0.16, rounded=True).save(OUT / "icon-192.png", optimize=True)
    book(512, 0.16, rounded=True).save(OUT / "icon-512.png", optimize=True)
    book(512, 0.24, rounded=False).save(OUT / "maskable-512.png", optimize=True)
    book(180, 0.16, rounded=False).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
