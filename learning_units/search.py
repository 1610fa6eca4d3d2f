"""Accent-insensitive site search on Wagtail's search backend, for the page types of any app.

Wagtail's database backend matches accented words only when typed with the same accents: on
SQLite (FTS5) and on PostgreSQL alike, where it uses PostgreSQL's full-text search with the
`simple` configuration. Each page type indexes an unaccented copy of its text
(`learning_units.text.search_key`), and the site's search view looks the visitor's words up in
the same form, so "ky nang so" finds "Kỹ năng số" and "gia loc" finds "Gia Lộc".

Why a folded copy rather than PostgreSQL's `unaccent` extension: the same index and the same
query work on SQLite, where tests and small installs run; `unaccent` needs a superuser to
install the extension and a custom text-search configuration Wagtail's backend would have to be
told about; and `unaccent` leaves "đ" as it is, while Vietnamese typed without accents writes
it "d" (`search_key` folds it, as it does for the names searched in the queue and the listings).
"""

import re

from django.core.exceptions import FieldDoesNotExist
from wagtail.blocks import StreamValue
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField
from wagtail.models import CollectionViewRestriction
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index

from .text import search_key


class AccentInsensitiveSearchMixin:
    """Pages whose `search_text_fields` are also indexed without accents (rich text as plain
    text: the tags are no words anyone searches for)."""

    search_text_fields = ("title",)

    def search_key_text(self):
        parts = []
        for name in self.search_text_fields:
            value = getattr(self, name, "")
            if isinstance(value, StreamValue):
                parts.extend(str(text) for text in value.stream_block.get_searchable_content(value))
            else:
                parts.append(plain_text(self, name))
        return search_key(" ".join(parts))


def plain_text(page, name):
    """The text of `page`'s field `name`, rich text without its tags and entities."""
    value = str(getattr(page, name, "") or "")
    try:
        rich = isinstance(page._meta.get_field(name), RichTextField)
    except FieldDoesNotExist:  # a property, or a field another page type has
        rich = False
    return get_text_for_indexing(value) if rich else value


SUMMARY_FIELDS = ("search_description", "intro", "summary", "hero_intro")


def search_summary(page):
    """What a search result shows under its title: the first summary-like text of the page,
    as plain text (the template escapes it)."""
    for name in SUMMARY_FIELDS:
        text = plain_text(page, name).strip()
        if text:
            return text
    return ""


def unaccented_search_field():
    return index.SearchField("search_key_text")


MAX_DOCUMENTS = 10


def public_documents_matching(words):
    """Documents anyone may download (no view restriction on their collection or one above
    it) whose title holds every one of `words` (folded by `search_key`), by title.

    Titles are folded here rather than in the search index: Wagtail's document model has no
    folded copy (a custom document model, `WAGTAILDOCS_DOCUMENT_MODEL`, would carry one), and a
    site holds hundreds of documents, not the millions of rows an index is for.
    """
    documents = get_document_model().objects.only("id", "title", "file", "collection_id")
    for path in CollectionViewRestriction.objects.values_list("collection__path", flat=True):
        documents = documents.exclude(collection__path__startswith=path)  # not an area path
    wanted = set(words)
    found = [
        document
        for document in documents.order_by("title").iterator()
        if wanted <= set(re.findall(r"\w+", search_key(document.title)))
    ]
    return found[:MAX_DOCUMENTS]
