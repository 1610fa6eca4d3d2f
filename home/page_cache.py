"""The site's Wagtail pages in the public page cache (`learning_units.page_cache`).

What each page shows, as tags: itself and the pages it lists (`page:<id>`, purged on the
parent and grandparent of a changed page: a province lists its communes, the home page lists
provinces and communes, an area page lists its own news two levels down; and on its
translations, whose language switch links it or falls back, `home.languages`), the guidance and
news it inherits from the levels above (`listed-from:<tree path>`), and for area pages and
recognition listings the recognitions and figures of their area (`area:<area path>`, purged by
the assessments app). Purges follow Wagtail's publish, unpublish, move and delete, and changes
of a page's view restrictions (a page turned private is never served from the cache after).
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from assessments.models import RecognitionListingPage
from learning_units.page_cache import (
    area_tag,
    declare,
    page_tag,
    public_pages_changed,
    shareable,
)

from .models import GuidancePage, NewsPage
from .models.areas import AreaPage


def listed_from_tag(tree_path):
    """Guidance and news published at the page with this tree path, shown by the area pages
    below it."""
    return f"listed-from:{tree_path}"


def page_tags(page):
    tags = [page_tag(page.pk)]
    if isinstance(page, AreaPage):
        tags += [listed_from_tag(path) for path, _depth in page.tree_levels()]
    if isinstance(page, AreaPage | RecognitionListingPage):
        tags.append(area_tag(page.area.path))
    return tags


def declare_page(page, request):
    """Share this page with anonymous visitors (Wagtail's `before_serve_page` hook)."""
    if not shareable(request):
        return  # costs no query for logged-in visitors, forms' posts, or with the cache off
    if isinstance(page, RecognitionListingPage) and request.GET.get("q", "").strip():
        return  # a name search is one visitor's: not worth a shared copy
    if page.get_view_restrictions().exists():
        return
    declare(request, page_tags(page))


def _above(tree_path, page, levels):
    return tree_path[: len(tree_path) - page.steplen * levels]


def change_tags(page, tree_path=None):
    """Tags of the pages showing `page` where it stands (or stood) at `tree_path`."""
    tree_path = tree_path or page.path
    parents = [_above(tree_path, page, 1), _above(tree_path, page, 2)]
    # Its translations too: their language switch links it, or says it is missing.
    ids = Page.objects.filter(
        Q(path__in=[path for path in parents if path]) | Q(translation_key=page.translation_key)
    ).values_list("pk", flat=True)
    tags = [page_tag(page.pk), *(page_tag(pk) for pk in ids)]
    if isinstance(page, GuidancePage):
        tags.append(listed_from_tag(parents[0]))
    elif isinstance(page, NewsPage):
        tags.append(listed_from_tag(parents[1]))
    return tags


def _subtree_tags(page):
    """The pages of `page`'s subtree and their translations (which link them)."""
    subtree = Page.objects.descendant_of(page, inclusive=True)
    ids = Page.objects.filter(translation_key__in=subtree.values("translation_key")).values_list(
        "pk", flat=True
    )
    return [page_tag(pk) for pk in ids]


def _published_or_unpublished(sender, instance, **kwargs):
    public_pages_changed(tags=change_tags(instance.specific))


def _moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    page = instance.specific
    old_path = parent_page_before.path + page.path[-page.steplen :]
    public_pages_changed(
        tags=[*change_tags(page), *change_tags(page, old_path), *_subtree_tags(page)]
    )


def _deleted(sender, instance, **kwargs):
    public_pages_changed(tags=change_tags(instance.specific_deferred))


def _restriction_changed(sender, instance, **kwargs):
    public_pages_changed(tags=_subtree_tags(instance.page))


def connect_signals():
    page_published.connect(_published_or_unpublished, dispatch_uid="page_cache_published")
    page_unpublished.connect(_published_or_unpublished, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(_moved, dispatch_uid="page_cache_moved")
    # Per page model: a receiver for every sender would turn off Django's fast deletes for
    # every model (audit purges, task results).
    for model in get_page_models():
        pre_delete.connect(_deleted, sender=model, dispatch_uid=f"page_cache_deleted_{model}")
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed, sender=PageViewRestriction, dispatch_uid=f"page_cache_{signal}"
        )
