"""Wagtail hooks of this site: public pages declared to the page cache, and the admin as this
site shows it to officers who edit no pages.

An officer of the association works in the queues and reports; Wagtail's help items for page
editors (the editor guide, what's new in Wagtail) lead nowhere they work, so they are shown only
to users with some page permission. Long Vietnamese menu labels wrap instead of being cut off.
"""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.auth import user_has_any_page_permission

from .page_cache import declare_page

EDITOR_HELP_ITEMS = {"editor-guide"}


@hooks.register("before_serve_page")
def share_public_page(page, request, serve_args, serve_kwargs):
    """Anonymous visitors may get this page from the page cache (home/page_cache.py)."""
    declare_page(page, request)


@hooks.register("construct_help_menu")
def hide_editor_help_from_non_editors(request, menu_items):
    if user_has_any_page_permission(request.user):
        return
    menu_items[:] = [
        item
        for item in menu_items
        if item.name not in EDITOR_HELP_ITEMS and not item.name.startswith("whats-new-in-wagtail")
    ]


@hooks.register("insert_global_admin_css")
def admin_menu_css():
    return format_html('<link rel="stylesheet" href="{}">', static("home/admin_menu.css"))
