"""sitemap.xml with every language's pages, not only the default site root's tree."""

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class AllLanguagesSitemap(Sitemap):
    """Wagtail's sitemap lists the site root's descendants; the English tree is a sibling."""

    def items(self):
        root = self.get_wagtail_site().root_page
        in_any_tree = Q()
        for tree_root in root.get_translations(inclusive=True).only("path", "depth"):
            in_any_tree |= Page.objects.descendant_of_q(tree_root, inclusive=True)
        return (
            Page.objects.live()
            .public()
            .filter(in_any_tree)
            .order_by("path")
            .defer_streamfields()
            .specific()
        )


SITEMAPS = {"pages": AllLanguagesSitemap}
