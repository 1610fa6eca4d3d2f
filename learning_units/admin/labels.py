"""How areas and citizens are named in admin lists, choices and choosers."""

from ..models import AreaLevel


def area_label(area):
    """A residential area is named with its commune: “Thôn Phương Điếm, Xã Gia Lộc”.

    Expects ``parent`` to be select_related by the caller.
    """
    if area.level == AreaLevel.RESIDENTIAL and area.parent_id:
        return f"{area.name}, {area.parent.name}"
    return area.name


def citizen_label(citizen):
    """A citizen told apart from namesakes without showing the full ID."""
    return f"{citizen.full_name} · {citizen.masked_citizen_id} · {citizen.birth_year}"
