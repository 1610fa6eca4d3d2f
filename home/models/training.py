"""Training materials and their listings, at national, province and commune level (issue #7).

A material lives under a `TrainingIndexPage`, which lives under the home page (national level),
a province page or a commune page. Like guidance and news (`areas.AreaPage`), a commune's index
also lists what its province and the national association published, found by materialised-path
prefix in one query rather than by walking the tree.

Studying a material is recorded as a `learning_units.CourseCompletion` (provider: this site) by
`home.training.training_material_complete`; the route below only hands the POST over to
`home.views_training`.
"""

from django import forms
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from assessments.models import Indicator, SubjectKind
from learning_units.models import TargetGroup
from learning_units.search import AccentInsensitiveSearchMixin, unaccented_search_field

from ..blocks import TrainingStreamBlock

AREA_PARENTS = ["home.HomePage", "home.ProvincePage", "home.CommunePage"]
MATERIALS_PER_PAGE = 12
MAX_QUERY_LENGTH = 100


class TrainingLevel(models.TextChoices):
    """Who published a material; follows from where it sits in the tree, never typed."""

    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Province")
    COMMUNE = "commune", _("Commune")


def split_target_groups(value):
    """The stored ",1,3," → [1, 3]."""
    return [int(part) for part in (value or "").split(",") if part.strip().isdigit()]


def join_target_groups(groups):
    """[3, 1] → ",1,3,": the commas on both sides let `contains=",1,"` filter on any database."""
    groups = sorted({int(group) for group in groups})
    return f",{','.join(str(group) for group in groups)}," if groups else ""


class IndicatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.criterion.criteria_set.code} v{obj.criterion.criteria_set.version} · {obj}"


class TrainingMaterialForm(WagtailAdminPageForm):
    """Target groups as ticks (stored as one short string); indicators labelled with their set."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "target_groups" in self.fields:
            self.fields["target_groups"] = forms.TypedMultipleChoiceField(
                label=_("target groups"),
                choices=TargetGroup.choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Leave all unticked if the material is for everyone."),
                initial=split_target_groups(self.instance.target_groups),
            )
            self.initial["target_groups"] = split_target_groups(self.instance.target_groups)
        if "indicators" in self.fields:
            field = self.fields["indicators"]
            self.fields["indicators"] = IndicatorChoiceField(
                queryset=Indicator.objects.filter(
                    criterion__criteria_set__subject_kind=SubjectKind.CITIZEN
                )
                .select_related("criterion__criteria_set")
                .order_by(
                    "criterion__criteria_set__code",
                    "-criterion__criteria_set__version",
                    "criterion__sort_order",
                    "sort_order",
                ),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label=field.label,
                help_text=field.help_text,
            )

    def clean_target_groups(self):
        return join_target_groups(self.cleaned_data.get("target_groups") or [])


class TrainingMaterialPage(RoutablePageMixin, AccentInsensitiveSearchMixin, Page):
    """A lesson a citizen can study here and have recorded as a completed course."""

    summary = models.TextField(_("summary"), max_length=400)
    body = StreamField(TrainingStreamBlock(), verbose_name=_("body"))
    target_groups = models.CharField(_("target groups"), max_length=20, blank=True)
    indicators = ParentalManyToManyField(
        Indicator,
        blank=True,
        related_name="training_materials",
        verbose_name=_("indicators it supports"),
        help_text=_(
            "Studying this material is suggested as proof for these indicators in the "
            "self-assessment."
        ),
    )
    estimated_hours = models.DecimalField(
        _("estimated hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0)],
        help_text=_("Recorded as the hours of the completed course."),
    )
    level = models.CharField(
        _("level"),
        max_length=20,
        choices=TrainingLevel.choices,
        default=TrainingLevel.NATIONAL,
        editable=False,
    )
    search_text = models.TextField(editable=False, blank=True)

    base_form_class = TrainingMaterialForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("target_groups"), FieldPanel("estimated_hours")],
            heading=_("Who it is for"),
        ),
        FieldPanel("indicators"),
    ]
    search_text_fields = ("title", "summary", "body")
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("level"),
        unaccented_search_field(),
    ]
    parent_page_types = ["home.TrainingIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")

    def save(self, *args, **kwargs):
        # The listing's accent-insensitive search filters on this column, on any database.
        self.search_text = self.search_key_text()
        if self.path:
            self.level = level_at(self.path, self.depth, self.steplen)
        super().save(*args, **kwargs)

    @property
    def target_group_labels(self):
        return [TargetGroup(group).label for group in split_target_groups(self.target_groups)]

    def quiz_blocks(self):
        return [block for block in self.body if block.block_type == "quiz"]

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # A logged-in visitor's page shows their own progress: no cache may keep it. An
        # anonymous visitor's shows none and may be shared (learning_units/page_cache.py).
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response

    def get_context(self, request, *args, progress=None, **kwargs):
        """`progress`: the visitor's, when the "studied" action has looked it up already."""
        from learning_units.selectors import own_citizen

        from ..training import completion_for, material_progress

        context = super().get_context(request, *args, **kwargs)
        if progress is None:
            citizen = own_citizen(request.user)
            completion = completion_for(page=self, citizen=citizen)
            progress = material_progress(page=self, citizen=citizen, completion=completion)
        context.update(progress)
        return context

    @path("studied/", name="studied")
    def studied(self, request):
        from ..views_training import mark_studied

        return mark_studied(request, self)


def level_at(page_path, depth, steplen):
    """The level of the area page above a material's index (home: national)."""
    from .areas import CommunePage, ProvincePage

    area_paths = [page_path[: steplen * level] for level in range(3, depth - 1)]
    types = set(
        Page.objects.filter(path__in=area_paths).values_list("content_type__model", flat=True)
    )
    if CommunePage._meta.model_name in types:
        return TrainingLevel.COMMUNE
    if ProvincePage._meta.model_name in types:
        return TrainingLevel.PROVINCE
    return TrainingLevel.NATIONAL


class TrainingIndexPage(AccentInsensitiveSearchMixin, Page):
    """A level's training materials, with those published above it (province, national)."""

    intro = models.TextField(_("introduction"), max_length=400, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_text_fields = ("title", "intro")
    search_fields = [*Page.search_fields, index.SearchField("intro"), unaccented_search_field()]
    parent_page_types = AREA_PARENTS
    subpage_types = ["home.TrainingMaterialPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("training materials listing")
        verbose_name_plural = _("training materials listings")

    def materials(self):
        """Live materials of this index and of the indexes of the levels above, in one query.

        An index at depth d sits under an area page at depth d-1; the indexes above it sit
        under that page's ancestors (depth ≥ 2), and their materials one level further down.
        """
        condition = Q()
        for depth in range(2, self.depth):
            above = self.path[: self.steplen * depth]
            condition |= Q(path__startswith=above, depth=depth + 2)  # not an area path
        return TrainingMaterialPage.objects.live().public().filter(condition)

    def filter_options(self, materials):
        """Indicators and competencies that listed materials support, for the filter menus."""
        from assessments.models import CompetencyTag

        material_ids = materials.values("pk")
        indicators = (
            Indicator.objects.filter(training_materials__in=material_ids)
            .select_related("criterion__criteria_set")
            .order_by("criterion__criteria_set__code", "criterion__sort_order", "sort_order")
            .distinct()
        )
        competencies = (
            CompetencyTag.objects.filter(items__content_object__training_materials__in=material_ids)
            .order_by("name")
            .distinct()
        )
        return indicators, competencies

    def get_context(self, request, *args, **kwargs):
        from ..training import TrainingFilters, materials_filtered

        context = super().get_context(request, *args, **kwargs)
        materials = self.materials()
        filters = TrainingFilters.from_query(request.GET)
        indicators, competencies = self.filter_options(materials)
        listed = materials_filtered(materials, filters).only(
            "id",
            "title",
            "url_path",
            "locale_id",
            "summary",
            "level",
            "estimated_hours",
            "target_groups",
            "depth",
            "path",
        )
        context.update(
            filters=filters,
            materials=Paginator(listed, MATERIALS_PER_PAGE).get_page(request.GET.get("page")),
            indicator_options=list(indicators),
            competency_options=list(competencies),
            target_group_options=TargetGroup.choices,
        )
        return context
