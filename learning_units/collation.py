"""Vietnamese alphabetical order: the one place names shown to people are sorted.

The Unicode Collation Algorithm (pyuca, on the DUCET) with CLDR's Vietnamese tailoring
(https://github.com/unicode-org/cldr/blob/main/common/collation/vi.xml): ă, â, đ, ê, ô, ơ and ư
are letters of their own, after a, d, e, o and u (so "Cao Bằng" < "Cần Thơ", "Lào Cai" <
"Lâm Đồng"), while tones stay secondary differences as in the DUCET ("Cà Mau" < "Cao Bằng").

Areas sort by their proper name: "Thành phố Hà Nội" under H, "Xã Tân Lập" under T; the
division word only breaks a tie. Used wherever areas are listed to the public (registration,
the home page's directory, province pages) and in the admin's area choosers and filters.
"""

import functools
import unicodedata

import pyuca
from django.forms.models import ModelChoiceField, ModelChoiceIterator

from .models import Area, AreaLevel

# CLDR vi: &A<ă<â &D<đ &E<ê &O<ô<ơ &U<ư, written as a base letter and the mark that makes
# it another letter (NFD). Each becomes the base letter's collation element followed by one
# above every primary weight, in this order: a word with the plain letter then comes first,
# and a word with the next letter of the alphabet ("b" after "ă") still comes after.
VIETNAMESE_LETTERS = (
    ("a", "\u0306"),  # ă
    ("a", "\u0302"),  # â
    ("d", "\u0335"),  # đ (DUCET: d with a secondary stroke)
    ("e", "\u0302"),  # ê
    ("o", "\u0302"),  # ô
    ("o", "\u031b"),  # ơ
    ("u", "\u031b"),  # ư
)
# đ does not decompose; it is read as "d" + this stroke before collating.
STROKED_D = str.maketrans({"đ": "d\u0335", "Đ": "D\u0335"})
ABOVE_EVERY_PRIMARY = 0x10000

# Division words a Vietnamese area name may start with (the official lists write "Thành phố
# Hà Nội" but "Cao Bằng"): longest first, so "Tổ dân phố" wins over "Tổ".
DIVISION_WORDS = (
    "thành phố",
    "tổ dân phố",
    "khu phố",
    "đặc khu",
    "thị trấn",
    "thị xã",
    "phường",
    "huyện",
    "quận",
    "tỉnh",
    "thôn",
    "xóm",
    "bản",
    "ấp",
    "xã",
    "tổ",
)


class VietnameseCollator(pyuca.Collator):
    def __init__(self):
        super().__init__()
        for rank, (base, mark) in enumerate(VIETNAMESE_LETTERS, start=1):
            extra = [ABOVE_EVERY_PRIMARY + rank, 0x20, 0x2]
            for letter in (base, base.upper()):
                elements = self.table.find_prefix([ord(letter)])[1]
                self.table.add([ord(letter), ord(mark)], [*elements, extra])

    def sort_key(self, string):
        return super().sort_key(unicodedata.normalize("NFC", string).translate(STROKED_D))


@functools.cache
def collator():
    """Loaded once per process (reading the DUCET takes a moment)."""
    return VietnameseCollator()


def sort_key(text):
    return collator().sort_key(text or "")


def proper_name(name):
    """The name without its leading division word ("Thành phố Huế" → "Huế")."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    lowered = name.lower()
    for word in DIVISION_WORDS:
        if lowered.startswith(word + " ") and name[len(word) :].strip():
            return name[len(word) :].strip()
    return name


@functools.lru_cache(maxsize=8192)
def name_key(name):
    """Sort key of an area's name: its proper name, then the whole name (ties)."""
    return (sort_key(proper_name(name)), sort_key(name))


def area_key(area):
    """An area's place in a list: higher levels first, each in alphabetical order; a
    residential area stays under its commune when its parent is loaded
    (select_related("parent"); never a query here)."""
    if area.level == AreaLevel.RESIDENTIAL and Area.parent.is_cached(area):
        return (AreaLevel.COMMUNE, name_key(area.parent.name), 1, name_key(area.name))
    return (area.level, name_key(area.name), 0)


def sorted_areas(areas):
    return sorted(areas, key=area_key)


def sorted_by_name(items, name=lambda item: item.name):
    """Any rows sorted by a name in Vietnamese order (pages by title: name=lambda p: p.title)."""
    return sorted(items, key=lambda item: name_key(name(item)))


class CollatedChoiceIterator(ModelChoiceIterator):
    """A model choice field's options in Vietnamese order instead of the queryset's."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in sorted_areas(self.queryset):
            yield self.choice(obj)


class CollatedModelChoiceField(ModelChoiceField):
    """A choice of areas listed in Vietnamese order."""

    iterator = CollatedChoiceIterator
