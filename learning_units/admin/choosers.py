"""A citizen chooser scoped to the officer's subtree: search by name without accents or by
ID digits, paginated, so a form stays usable with thousands of citizens in a commune.

Used as a single chooser (a learning unit's head) and, through the small script of
`CitizenMultipleChooser`, in Wagtail's multiple-choice mode (a learning unit's members).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.telepath import JSContext
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets.chooser import BaseChooser

from ..models import Citizen
from ..params import parse_id, parse_ids
from .jurisdiction import ALL_ACTIONS
from .labels import area_label, citizen_label
from .policies import citizen_policy


class CitizenSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search term"),
        widget=forms.TextInput(attrs={"placeholder": _("Name (accents optional) or citizen ID")}),
        required=False,
    )

    def filter(self, objects):
        query = self.cleaned_data.get("q")
        if query:
            self.is_searching, self.search_query = True, query
            objects = objects.search(query)
        return objects


class CitizenChooserMixin:
    """Only citizens of the user's subtree can be listed or chosen; users without any
    permission on citizens (editors) are refused rather than shown an empty list."""

    def dispatch(self, request, *args, **kwargs):
        if not citizen_policy.user_has_any_permission(request.user, ALL_ACTIONS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object_list(self):
        return citizen_policy.instances_user_has_any_permission_for(self.request.user, ALL_ACTIONS)

    def get_display_title(self, instance):
        return citizen_label(instance)


class CitizenChooseViewMixin(CitizenChooserMixin):
    filter_form_class = CitizenSearchForm
    per_page = 20

    @property
    def title_column(self):
        column = super().title_column
        column.label = _("Full name")
        return column

    @property
    def columns(self):
        return [
            self.title_column,
            Column("masked_citizen_id", label=_("Citizen ID")),
            Column("birth_year", label=_("Birth year")),
            Column("area", label=_("Area"), accessor=lambda citizen: area_label(citizen.area)),
        ]


class CitizenChooseView(CitizenChooseViewMixin, chooser_views.ChooseView):
    pass


class CitizenChooseResultsView(CitizenChooseViewMixin, chooser_views.ChooseResultsView):
    pass


class CitizenChosenView(CitizenChooserMixin, chooser_views.ChosenView):
    def get_object(self, pk):
        try:
            return self.get_object_list().get(pk=parse_id(pk))
        except Citizen.DoesNotExist as error:
            raise Http404 from error


class CitizenChosenMultipleView(CitizenChooserMixin, chooser_views.ChosenMultipleView):
    def get_objects(self, pks):
        return self.get_object_list().filter(pk__in=parse_ids(pks))


class CitizenCreateView(chooser_views.CreateView):
    """The chooser has no creation form (Wagtail offers no "create" tab then, but still routes
    the URL, whose POST failed on the missing form): citizens are added in their own admin
    screen, with its checks of ID and area. Nobody creates here."""

    def dispatch(self, request, *args, **kwargs):
        raise Http404


class CitizenChooserWidgetBase(BaseChooser):
    def get_instance(self, value):
        """A form shown again with a hostile posted id ("abc", "1.5") shows no citizen; Wagtail's
        widget handed it to `get(pk=…)`, a server error (issue 18)."""
        if isinstance(value, str) and parse_id(value) is None:
            return None
        return super().get_instance(value)

    def get_display_title(self, instance):
        return citizen_label(instance)


class CitizenChooserViewSet(ChooserViewSet):
    model = Citizen
    icon = "user"
    choose_one_text = _("Choose a citizen")
    choose_another_text = _("Choose another citizen")
    edit_item_text = _("Open this citizen")
    register_widget = False  # forms opt in, with a queryset scoped to the jurisdiction
    base_widget_class = CitizenChooserWidgetBase
    choose_view_class = CitizenChooseView
    choose_results_view_class = CitizenChooseResultsView
    chosen_view_class = CitizenChosenView
    chosen_multiple_view_class = CitizenChosenMultipleView
    create_view_class = CitizenCreateView


citizen_chooser_viewset = CitizenChooserViewSet(
    "learning_units_citizen_chooser", url_prefix="learning-citizens/citizen-chooser"
)


class CitizenMultipleChooser(forms.SelectMultiple):
    """Chosen citizens as a list with “remove” buttons and an “Add” button that opens the
    chooser modal in multiple mode; posts the ids like a multiple select."""

    template_name = "learning_units/admin/widgets/citizen_multiple_chooser.html"

    @cached_property
    def chooser(self):
        return citizen_chooser_viewset.widget_class()

    def packed_chooser(self):
        """The chooser as telepath data for the script, and the media that unpacks it."""
        js_context = JSContext()
        return js_context.pack(self.chooser), js_context.media

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        ids = parse_ids(str(pk) for pk in (value or []))
        members = Citizen.objects.filter(pk__in=ids).order_by("search_name", "pk")
        context["members"] = [(citizen.pk, citizen_label(citizen)) for citizen in members]
        context["chooser_definition"] = self.packed_chooser()[0]
        return context

    @property
    def media(self):
        return self.packed_chooser()[1] + forms.Media(
            js=["learning_units/admin/citizen_multiple_chooser.js"],
            css={"all": ["learning_units/admin/citizen_multiple_chooser.css"]},
        )
