"""Server-side SVG bar charts: plain shapes, values written beside the bars, so they read the
same on screen, in grayscale print and to a screen reader (title/desc; the table beside them
carries the same figures)."""

from decimal import Decimal

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 300
PLOT_WIDTH = 360
VALUE_WIDTH = 190


def bar_chart(*, title, description, bars):
    """`bars`: (label, value %, target % or None). Returns what the SVG template draws."""
    rows = []
    for index, (label, value, target) in enumerate(bars):
        y = index * (BAR_HEIGHT + GAP)
        width = _x(value)
        rows.append(
            {
                "label": label,
                "value": value,
                "target": target,
                "y": y,
                "text_y": y + BAR_HEIGHT * 0.7,
                "width": width,
                "target_x": None if target is None else LABEL_WIDTH + _x(target),
                "value_x": LABEL_WIDTH + PLOT_WIDTH + 10,
            }
        )
    return {
        "title": title,
        "description": description,
        "rows": rows,
        "label_width": LABEL_WIDTH,
        "plot_width": PLOT_WIDTH,
        "width": LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH,
        "height": max(len(rows), 1) * (BAR_HEIGHT + GAP),
        "bar_height": BAR_HEIGHT,
        "grid": [{"x": LABEL_WIDTH + _x(Decimal(p)), "label": p} for p in (0, 50, 100)],
    }


def _x(percent):
    if percent is None:
        return 0
    return round(float(min(max(Decimal(percent), Decimal(0)), Decimal(100))) * PLOT_WIDTH / 100, 1)
