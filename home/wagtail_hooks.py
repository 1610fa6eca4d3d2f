from wagtail import hooks

from .page_cache import declare_page


@hooks.register("before_serve_page")
def share_public_page(page, request, serve_args, serve_kwargs):
    """Anonymous visitors may get this page from the page cache (home/page_cache.py)."""
    declare_page(page, request)
