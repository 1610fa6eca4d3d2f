"""Guidance and news pages, which any level (national, province, commune) may publish."""

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from learning_units.search import AccentInsensitiveSearchMixin, unaccented_search_field

from ..blocks import GuidanceStreamBlock, NewsStreamBlock

AREA_PARENTS = ["home.HomePage", "home.ProvincePage", "home.CommunePage"]
NEWS_PER_PAGE = 10


class GuidancePage(AccentInsensitiveSearchMixin, Page):
    """Plain-words guidance on a competency or an indicator, next to the self-assessment.

    Guidance goes through Wagtail's moderation workflow: editors submit, moderators publish
    (`home.services.moderation_workflow_ensure`).
    """

    intro = models.TextField(_("summary"), max_length=400)
    body = StreamField(GuidanceStreamBlock(), verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_text_fields = ("title", "intro", "body")
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        unaccented_search_field(),
    ]
    parent_page_types = AREA_PARENTS
    subpage_types = []

    class Meta:
        verbose_name = _("guidance page")
        verbose_name_plural = _("guidance pages")


class NewsIndexPage(AccentInsensitiveSearchMixin, Page):
    """The news and announcements of one level, newest first."""

    intro = models.TextField(_("introduction"), max_length=400, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_text_fields = ("title", "intro")
    search_fields = [*Page.search_fields, index.SearchField("intro"), unaccented_search_field()]
    parent_page_types = AREA_PARENTS
    subpage_types = ["home.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news listing")
        verbose_name_plural = _("news listings")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = (
            NewsPage.objects.child_of(self)
            .live()
            .public()
            .order_by("-date", "-pk")
            .only("id", "title", "url_path", "locale_id", "intro", "date", "kind")
        )
        context["news"] = Paginator(news, NEWS_PER_PAGE).get_page(request.GET.get("page"))
        return context


class NewsPage(AccentInsensitiveSearchMixin, Page):
    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        ANNOUNCEMENT = "announcement", _("Announcement")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NEWS)
    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.TextField(_("summary"), max_length=400)
    body = StreamField(NewsStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_text_fields = ("title", "intro", "body")
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
        unaccented_search_field(),
    ]
    parent_page_types = ["home.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
