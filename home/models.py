from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from .blocks import HomeStreamBlock


class HomePage(Page):
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

    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home page")
