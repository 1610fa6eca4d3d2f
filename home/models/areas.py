"""Province and commune pages: one per `learning_units.Area` and language.

A small commune has useful pages on day one because its page lists, beside its own guidance and
news, those published on its province page and on the home page (national level), unless its
editors hide them. The listing is one query per page type whatever the tree's size: parents are
found by materialised-path prefix (Wagtail's treebeard `path`), not by walking the tree.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from assessments.models import RecognitionListingPage
from learning_units.collation import sorted_by_name
from learning_units.jurisdiction import under
from learning_units.models import Area, AreaLevel, OfficerRole
from learning_units.search import AccentInsensitiveSearchMixin, unaccented_search_field

from ..links import self_assessment_url
from .content import GuidancePage, NewsIndexPage, NewsPage
from .training import TrainingIndexPage

NEWS_ON_AREA_PAGE = 5


class Source(models.TextChoices):
    """Where a listed page was published, relative to the page listing it."""

    OWN = "own", _("This page")
    PROVINCE = "province", _("From the province association")
    NATIONAL = "national", _("From the national association")


class AreaPageForm(WagtailAdminPageForm):
    """Offers only the areas under the parent page's area, and only inherited pages to hide."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent_area_id = getattr(self.parent_page.specific, "area_id", None)
        if parent_area_id and "area" in self.fields:
            self.fields["area"].queryset = self.fields["area"].queryset.filter(
                parent_id=parent_area_id
            )
        if "hidden_inherited_pages" in self.fields:
            field = self.fields["hidden_inherited_pages"]
            field.queryset = (
                self.instance.inherited_candidates() if self.instance.pk else Page.objects.none()
            )


class AreaPage(AccentInsensitiveSearchMixin, Page):
    """What a province's or a commune's pages share: intro, contact, inherited listings."""

    intro = models.TextField(_("introduction"), max_length=600, blank=True)
    meeting_place = models.CharField(
        _("meeting place"),
        max_length=255,
        blank=True,
        help_text=_("Where the association meets, e.g. the commune's cultural house."),
    )
    contact_phone = models.CharField(
        _("office phone"),
        max_length=30,
        blank=True,
        help_text=_("A public office number; never an officer's private phone."),
    )
    contact_note = models.TextField(
        _("when to come"), max_length=300, blank=True, help_text=_("e.g. opening hours")
    )
    hidden_inherited_pages = ParentalManyToManyField(
        "wagtailcore.Page",
        blank=True,
        related_name="+",
        verbose_name=_("hidden pages from above"),
        help_text=_(
            "Guidance and news published by the province or nationally are shown here "
            "unless ticked."
        ),
    )

    base_form_class = AreaPageForm
    # The meeting place names the village ("thôn Phương Điếm"): people search for it too.
    search_text_fields = ("title", "intro", "meeting_place", "contact_note")
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("meeting_place"),
        index.SearchField("contact_note"),
        unaccented_search_field(),
    ]
    # Officers named in the contact block: roles held over this area or below it.
    contact_roles = ()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        duplicate = (
            type(self)
            .objects.filter(area_id=self.area_id, locale_id=self.locale_id)
            .exclude(pk=self.pk)
        )
        if self.area_id and duplicate.exists():
            raise ValidationError({"area": _("This area already has a page in this language.")})

    def tree_levels(self):
        """(path, depth) of this page and of its ancestors from the home page down."""
        return [(self.path[: self.steplen * depth], depth) for depth in range(2, self.depth + 1)]

    def _listed(self, model, offset):
        condition = Q()
        for path, depth in self.tree_levels():
            condition |= Q(path__startswith=path, depth=depth + offset)  # not an area path
        return model.objects.live().public().filter(condition)

    def _with_source(self, pages, offset):
        for page in pages:
            level = page.depth - offset
            page.source = (
                Source.OWN
                if level == self.depth
                else Source.NATIONAL
                if level == 2
                else Source.PROVINCE
            )
        return pages

    def hidden_ids(self):
        return [page.pk for page in self.hidden_inherited_pages.all()]

    def guidance_pages(self, hidden_ids=None):
        """Own guidance first, then the province's, then the national level's."""
        hidden_ids = self.hidden_ids() if hidden_ids is None else hidden_ids
        pages = (
            self._listed(GuidancePage, 1)
            .exclude(pk__in=hidden_ids)
            .order_by("-depth", "path")
            .only("id", "title", "path", "depth", "url_path", "locale_id", "intro")
        )
        return self._with_source(list(pages), 1)

    def latest_news(self, hidden_ids=None):
        hidden_ids = self.hidden_ids() if hidden_ids is None else hidden_ids
        pages = (
            self._listed(NewsPage, 2)
            .exclude(pk__in=hidden_ids)
            .order_by("-date", "-pk")
            .only("id", "title", "path", "depth", "url_path", "locale_id", "intro", "date", "kind")
        )
        return self._with_source(list(pages[:NEWS_ON_AREA_PAGE]), 2)

    def inherited_candidates(self):
        """Pages an editor may hide here: guidance and news published higher up."""
        above = self.tree_levels()[:-1]
        condition = Q(pk__in=[])
        for path, depth in above:
            condition |= Q(path__startswith=path, depth=depth + 1) & Q(  # not an area path
                content_type__model="guidancepage"
            )
            condition |= Q(path__startswith=path, depth=depth + 2) & Q(  # not an area path
                content_type__model="newspage"
            )
        return Page.objects.filter(condition, content_type__app_label="home").order_by("path")

    def officers(self):
        """Names and roles of the association's officers here; no contact data of theirs."""
        roles = (
            OfficerRole.objects.filter(
                under("area__path", self.area.path), role__in=self.contact_roles
            )
            .select_related("user", "area")
            .only("role", "area__name", "area__level", "user__first_name", "user__last_name")
            .order_by("area__path", "role", "user__first_name")
        )
        return [role for role in roles if role.user.get_full_name()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        hidden_ids = self.hidden_ids()
        context["guidance_pages"] = self.guidance_pages(hidden_ids)
        context["latest_news"] = self.latest_news(hidden_ids)
        context["news_index"] = (
            NewsIndexPage.objects.child_of(self).live().only("id", "url_path", "locale_id").first()
        )
        context["training_index"] = (
            TrainingIndexPage.objects.child_of(self)
            .live()
            .only("id", "url_path", "locale_id")
            .first()
        )
        context["officers"] = self.officers()
        context["self_assessment_url"] = self_assessment_url()
        # Wherever the listing sits in the tree (the assessments app owns it), link to it.
        context["recognition_listing"] = (
            RecognitionListingPage.objects.live()
            .filter(area_id=self.area_id, locale_id=self.locale_id)
            .only("id", "url_path", "locale_id")
            .first()
        )
        return context


class ProvincePage(AreaPage):
    area = models.ForeignKey(
        Area,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": AreaLevel.PROVINCE},
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("area"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("meeting_place"), FieldPanel("contact_phone"), FieldPanel("contact_note")],
            heading=_("Contact"),
        ),
    ]
    settings_panels = [*Page.settings_panels, FieldPanel("hidden_inherited_pages")]
    contact_roles = (OfficerRole.Role.PROVINCE,)
    parent_page_types = ["home.HomePage"]
    subpage_types = [
        "home.CommunePage",
        "home.GuidancePage",
        "home.NewsIndexPage",
        "home.TrainingIndexPage",
        "assessments.RecognitionListingPage",
    ]

    class Meta:
        verbose_name = _("province page")
        verbose_name_plural = _("province pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["communes"] = sorted_by_name(
            CommunePage.objects.child_of(self).live().only("id", "title", "url_path", "locale_id"),
            name=page_title,
        )
        return context


class CommunePage(AreaPage):
    area = models.ForeignKey(
        Area,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": AreaLevel.COMMUNE},
    )

    content_panels = ProvincePage.content_panels
    settings_panels = ProvincePage.settings_panels
    contact_roles = (OfficerRole.Role.COMMUNE, OfficerRole.Role.BRANCH)
    parent_page_types = ["home.ProvincePage"]
    subpage_types = [
        "home.GuidancePage",
        "home.NewsIndexPage",
        "home.TrainingIndexPage",
        "assessments.RecognitionListingPage",
    ]

    class Meta:
        verbose_name = _("commune page")
        verbose_name_plural = _("commune pages")


def page_title(page):
    return page.title


def area_directory(home_page):
    """Provinces with their communes that have live pages under `home_page`, in one query."""
    pages = (
        Page.objects.live()
        .descendant_of(home_page)
        .type(ProvincePage, CommunePage)
        .filter(depth__lte=home_page.depth + 2)
        .only("id", "title", "path", "depth", "url_path", "locale_id")
        .order_by("path")
    )
    provinces = []
    for page in pages:
        if page.depth == home_page.depth + 1:
            page.communes = []
            provinces.append(page)
        elif provinces and page.is_descendant_of(provinces[-1]):
            provinces[-1].communes.append(page)
    for province in provinces:
        province.communes = sorted_by_name(province.communes, name=page_title)
    return sorted_by_name(provinces, name=page_title)
