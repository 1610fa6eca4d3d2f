"""Accent-insensitive site search on Wagtail's search backend.

Wagtail's database backend (and PostgreSQL's `simple` configuration) match accented words only
when typed with the same accents. Each page type indexes an unaccented copy of its text
(`learning_units.text.search_key`), and the search view looks the visitor's words up in the same
form, so "ky nang so" finds "Kỹ năng số".
"""

from wagtail.blocks import StreamValue
from wagtail.search import index

from learning_units.text import search_key


class AccentInsensitiveSearchMixin:
    """Pages whose `search_text_fields` are also indexed without accents."""

    search_text_fields = ("title",)

    def search_key_text(self):
        parts = []
        for name in self.search_text_fields:
            value = getattr(self, name, "")
            if isinstance(value, StreamValue):
                parts.extend(str(text) for text in value.stream_block.get_searchable_content(value))
            else:
                parts.append(str(value or ""))
        return search_key(" ".join(parts))


def unaccented_search_field():
    return index.SearchField("search_key_text")
