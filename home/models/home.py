from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from learning_units.search import AccentInsensitiveSearchMixin, unaccented_search_field

from ..blocks import HomeStreamBlock
from ..links import leads_to_registration, self_assessment_url


class HomePage(AccentInsensitiveSearchMixin, Page):
    """The landing page of the site: what the movement is and how to take part."""

    hero_title = models.CharField(_("headline"), max_length=160)
    hero_intro = models.TextField(_("introduction"), max_length=600)
    hero_primary_label = models.CharField(_("primary button"), max_length=60, blank=True)
    hero_primary_url = models.CharField(_("primary button link"), max_length=300, blank=True)
    hero_secondary_label = models.CharField(_("secondary button"), max_length=60, blank=True)
    hero_secondary_url = models.CharField(_("secondary button link"), max_length=300, blank=True)
    body = StreamField(HomeStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_intro"),
                FieldPanel("hero_primary_label"),
                FieldPanel("hero_primary_url"),
                FieldPanel("hero_secondary_label"),
                FieldPanel("hero_secondary_url"),
            ],
            heading=_("Page header"),
        ),
        FieldPanel("body"),
    ]
    search_text_fields = ("title", "hero_title", "hero_intro", "body")
    search_fields = [
        *Page.search_fields,
        index.SearchField("hero_intro"),
        index.SearchField("body"),
        unaccented_search_field(),
    ]

    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.ProvincePage",
        "home.GuidancePage",
        "home.NewsIndexPage",
        "home.TrainingIndexPage",
        "assessments.RecognitionListingPage",
    ]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home page")

    def get_context(self, request, *args, **kwargs):
        from .areas import area_directory

        context = super().get_context(request, *args, **kwargs)
        context["area_directory"] = area_directory(self)
        if request.user.is_authenticated and leads_to_registration(self.hero_primary_url):
            # Registered already: the header's "register" would only reload this page.
            context["self_assessment_url"] = self_assessment_url()
            context["year"] = timezone.localdate().year
        return context
