"""Import of citizens, matched by citizen ID: new ones are created, known ones updated.

A known citizen may be updated only by an officer whose jurisdiction holds both the area the
citizen is in now and the area the file puts them in. A blank optional cell keeps the current
value (a file with fewer columns never wipes data).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields

from .. import citizen_id as cid
from ..lms.pending import citizen_learners, pending_attach
from ..models import Citizen
from ..signals import announce_citizens_changed, announce_renamed
from ..text import search_key
from . import cells
from .base import chunked
from .flow import WRITE_BATCH, ResourceImport, RowResource, cell, cleaned, text
from .resources import GENDER_WORDS, CitizenResource
from .widgets import CitizenIdWidget

# Gender and birth year first: the citizen ID is checked against them.
FIRST = ("gender", "birth_year", "citizen_id")
REST = (
    "full_name",
    "ethnicity",
    "religion",
    "area",
    "target_group",
    "occupation",
    "phone",
    "email",
)
OPTIONAL_FIELDS = ["ethnicity", "religion", "occupation", "phone", "email"]
COMPARED = [
    "full_name",
    "gender",
    "birth_year",
    "ethnicity",
    "religion",
    "area_id",
    "target_group",
    "occupation",
    "phone",
    "email",
]
# Every field given explicitly: Model.__init__ then skips a default look-up per field.
NEW_CITIZEN_DEFAULTS = {
    "user_id": None,
    "workplace_id": None,
    "ethnicity": "Kinh",
    "religion": "Không",
    "occupation": "",
    "phone": "",
    "email": "",
    "consent_at": None,
    "listing_opt_out": False,
    "must_change_password": False,
}


class CitizenImportResource(RowResource):
    """A citizens file's rows, checked and written by import-export's `import_data`.

    Cells are cleaned by the fields' widgets in `before_import_row`; the citizen is found among
    those loaded for the whole file in `before_import` (one query per chunk of IDs, never one per
    row); `import_instance` resolves the area and the jurisdiction; unchanged rows are skipped
    (`skip_row`); new and changed citizens are written in bulk (`Meta.use_bulk`). A row's
    problems become a `ValidationError` per column with the code and message of `cells`.
    """

    citizen_id = fields.Field(widget=CitizenIdWidget())
    full_name = text(120, required=True)
    gender = cell(cells.gender)
    birth_year = cell(cells.birth_year)
    ethnicity = text(60)
    religion = text(60)
    area = text(40, required=True)
    target_group = cell(cells.target_group)
    occupation = text(120)
    phone = cell(cells.phone)
    email = cell(cells.email)

    class Meta:
        model = Citizen
        fields = (*FIRST, *REST)
        import_id_fields = ("citizen_id",)
        use_bulk = True
        batch_size = WRITE_BATCH
        skip_diff = True  # the preview shows its own samples; no per-row HTML diff
        report_skipped = False
        clean_model_instances = False  # the widgets and `import_instance` check everything

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.this_year = timezone.localdate().year
        self.existing = {}
        self.moved_from = set()  # areas citizens of the file leave
        self.renamed = set()  # citizens given another name: the public listings show it

    def preload(self, dataset):
        """Load the areas and the known citizens that the file names, a chunk at a time."""
        self.spec.areas.load(cleaned(dataset["area"], cells.text, max_length=40))
        numbers = {cells.number_text(value).strip() for value in dataset["citizen_id"] if value}
        for part in chunked(numbers):
            for citizen in Citizen.objects.filter(citizen_id__in=part).select_related("area"):
                self.existing[citizen.citizen_id] = citizen

    def clean_row(self, row):
        clean, cleaners = row.clean, self.cleaners
        gender = clean("gender", cleaners["gender"])
        birth_year = clean("birth_year", cleaners["birth_year"], this_year=self.this_year)
        clean("citizen_id", cleaners["citizen_id"], gender=gender, birth_year=birth_year)
        for name in REST:
            if row.has(name):  # required columns always are (the header check saw to it)
                clean(name, cleaners[name])

    def get_or_init_instance(self, instance_loader, row):
        number = self.row.values.get("citizen_id")
        current = self.existing.get(number) if number else None
        if current is not None:
            return current, False
        return Citizen(citizen_id=number or "", **NEW_CITIZEN_DEFAULTS), True

    def import_instance(self, instance, row, **kwargs):
        """Resolve the area and the jurisdiction, then set what the row changes."""
        row, values = self.row, self.row.values
        number = values.get("citizen_id")
        repeated = bool(number) and not self.spec.first_seen(row, "citizen_id", number)
        area = self.spec.resolve_area(row, "area", values.get("area"))
        new = instance.pk is None
        if not new and not repeated and not self.spec.in_jurisdiction(instance.area.path):
            # Not "registered elsewhere": an officer does not learn where a citizen lives
            # outside their area (an officer with national scope covers every area anyway).
            row.error(
                "citizen_id",
                "citizen_not_in_area",
                _(
                    "No citizen with this ID is found in your area, and the ID cannot be "
                    "registered here: check it, or ask the province's officer to move the "
                    "citizen into your area."
                ),
            )
        self.raise_row_errors()
        wanted = {
            "full_name": values["full_name"],
            "gender": values["gender"],
            "birth_year": values["birth_year"],
            "area_id": area.pk,
            "target_group": values["target_group"],
        }
        for name in OPTIONAL_FIELDS:
            if values.get(name):
                wanted[name] = values[name]
        if new:
            self.changes = wanted
        else:
            self.changes = {
                name: value for name, value in wanted.items() if getattr(instance, name) != value
            }
            if self.changes and self.report.wants_samples:  # before the change is made
                old = {
                    name: (getattr(instance, name), value) for name, value in self.changes.items()
                }
                self.report.add_sample(
                    row.number, "updated", self.spec.describe_changes(instance, old, area)
                )
        if not new and "area_id" in self.changes:
            self.moved_from.add(instance.area_id)
        if not new and "full_name" in self.changes:
            self.renamed.add(instance.pk)
        for name, value in self.changes.items():
            setattr(instance, name, value)
        if self.changes:
            instance.search_name = search_key(instance.full_name)
        if new and self.report.wants_samples:
            self.report.add_sample(row.number, "new", self.spec.describe_new(instance, area))

    def after_bulk_write(self, instances, result):
        """New citizens (or new IDs and e-mails) may be learners an LMS report is waiting for,
        and the reports count the citizens of the areas written: bulk writes send no signals,
        so the pending completions are attached and the areas announced here."""
        learners = [learner for citizen in instances for learner in citizen_learners(citizen)]
        pending_attach(learners=learners)
        announce_citizens_changed({citizen.area_id for citizen in instances} | self.moved_from)
        renamed = self.renamed & {citizen.pk for citizen in instances}
        self.renamed -= renamed
        announce_renamed(citizen_ids=renamed)

    def before_bulk_update(self, instances):
        now = timezone.now()
        for citizen in instances:
            citizen.updated_at = now  # bulk_update does not apply auto_now

    def get_bulk_update_fields(self):
        return [*COMPARED, "search_name", "updated_at"]


class CitizenImport(ResourceImport):
    kind = "citizens"
    resource_class = CitizenResource
    import_resource_class = CitizenImportResource

    # --- what the preview shows ----------------------------------------------------------

    def describe_new(self, citizen, area):
        return {
            "label": f"{citizen.full_name} · {cid.mask(citizen.citizen_id)}",
            "details": " · ".join(
                [
                    GENDER_WORDS[citizen.gender],
                    str(citizen.birth_year),
                    f"{area.name} ({area.code})",
                    _("group %(group)s") % {"group": citizen.target_group},
                ]
            ),
        }

    def describe_changes(self, citizen, changes, area):
        """“Header: old → new” for each changed column (called before the change is made)."""
        headers = {name: column.column_name for name, column in self.columns.items()}
        parts = []
        for name, (old, new) in changes.items():
            if name == "area_id":
                name, old, new = "area", citizen.area.code, area.code
            parts.append(f"{headers[name]}: {display_value(old)} → {display_value(new)}")
        return {
            "label": f"{citizen.full_name} · {cid.mask(citizen.citizen_id)}",
            "details": "; ".join(parts),
        }


def display_value(value):
    if value in GENDER_WORDS:
        return GENDER_WORDS[value]
    return str(value) if value not in (None, "") else "∅"
