"""Page types the assessments app adds to a host site's content tree.

`RecognitionListingPage` publishes the titles recognised in an area, one year at a time
(``<page>/<year>/``). Only the name, the residential area, the year and the title are shown:
never a citizen ID or a birth date; citizens who opted out and revoked recognitions are left
out. The queries stay the same in number however many recognitions there are, and a
province's hundreds of thousands are never counted: the totals of an area and year are read
from pre-aggregated figures (`selectors.public_recognition_counts`), a search's are counted up
to a cap (`CappedPaginator`).
"""

from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from learning_units.collation import sorted_by_name
from learning_units.db_routers import use_replica
from learning_units.layout import layout_context
from learning_units.models import Area, AreaLevel
from learning_units.pagination import CappedPaginator
from learning_units.search import AccentInsensitiveSearchMixin, unaccented_search_field
from learning_units.text import strip_controls

from .. import selectors

RECOGNITIONS_PER_PAGE = 50
FIRST_YEAR = 2000  # the movement's titles predate this site; older years are not listed


class RecognitionListingPage(RoutablePageMixin, AccentInsensitiveSearchMixin, Page):
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__in": [AreaLevel.PROVINCE, AreaLevel.COMMUNE]},
        help_text=_("Recognitions of citizens and collectives in this area are listed."),
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("area"), FieldPanel("intro")]
    search_text_fields = ("title", "intro")
    search_fields = [*Page.search_fields, index.SearchField("intro"), unaccented_search_field()]
    template = "assessments/pages/recognition_listing_page.html"

    class Meta:
        verbose_name = _("recognition listing")
        verbose_name_plural = _("recognition listings")

    def serve(self, request, *args, **kwargs):
        """A listing only reads: from the read replica when the project has one (rendered
        inside, so the template's reads go there too; learning_units.db_routers)."""

        def serve_and_render(request, *args, **kwargs):
            response = super(RecognitionListingPage, self).serve(request, *args, **kwargs)
            return response.render() if hasattr(response, "render") else response

        return use_replica(serve_and_render)(request, *args, **kwargs)

    @path("")
    def latest_year(self, request):
        years = list(selectors.recognition_years(area=self.area))
        year = years[0] if years else timezone.localdate().year
        return self.render_year(request, year, years)

    @path("<int:year>/")
    def year_listing(self, request, year):
        if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
            raise Http404
        years = list(selectors.recognition_years(area=self.area))
        return self.render_year(request, year, years)

    def render_year(self, request, year, years):
        chosen_year = _year_param(request.GET.get("year"))
        if chosen_year is not None and chosen_year != year and chosen_year in years:
            # The year selector (a plain GET form): go to that year's own URL, same search.
            params = request.GET.copy()
            del params["year"]
            url = self.get_url(request) + self.reverse_subpage("year_listing", args=[chosen_year])
            return redirect(f"{url}?{params.urlencode()}" if params else url)
        residential_areas = sorted_by_name(selectors.listing_residential_areas(area=self.area))
        chosen_area = _chosen(residential_areas, request.GET.get("area"))
        # Control characters never reach the database (PostgreSQL refuses a NUL byte).
        query = strip_controls(request.GET.get("q", "")).strip()[:100]
        # The whole area's totals are kept (no count query); a search's or a residential
        # area's are counted, capped.
        counts = {}
        if not query and chosen_area is None:
            counts = selectors.public_recognition_counts(area=self.area, year=year) or {}
        found_citizens, found_collectives = selectors.public_recognition_search(
            area=chosen_area or self.area, year=year, query=query
        )
        citizens = CappedPaginator(
            found_citizens, RECOGNITIONS_PER_PAGE, count=counts.get("citizens")
        ).get_page(request.GET.get("page"))
        collectives = CappedPaginator(
            found_collectives,
            RECOGNITIONS_PER_PAGE,
            count=counts.get("collectives"),
        ).get_page(request.GET.get("page_tt"))
        return self.render(
            request,
            context_overrides={
                **layout_context(),
                "year": year,
                "ancestors": self.get_ancestors().filter(depth__gt=1).live(),
                "years": sorted({*years, year}, reverse=True),
                "residential_areas": residential_areas,
                "chosen_area": chosen_area,
                "query": query,
                "citizens": citizens,
                "collectives": collectives,
                "year_url": self.get_url(request)
                + self.reverse_subpage("year_listing", args=[year]),
            },
        )


def _year_param(value):
    """The year the selector sent, or None for anything that is not a plausible year."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit() and len(value) == 4):
        return None
    return int(value)


def _chosen(areas, value):
    return next((area for area in areas if str(area.pk) == (value or "")), None)
