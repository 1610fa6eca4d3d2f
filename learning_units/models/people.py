"""Citizens and the learning units (families, clans, communities, units) they belong to."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .. import citizen_id as cid
from ..text import nfc, search_key
from .areas import Area, AreaLevel


class TargetGroup(models.IntegerChoices):
    """Nhóm đối tượng (DOMAIN.md): each has its own indicators and wording."""

    FARMERS = 1, _("Farmers and rural labourers")
    WORKERS = 2, _("Workers, craftspeople, freelance workers")
    CADRES = 3, _("Cadres, civil servants, entrepreneurs, armed forces")


class Gender(models.TextChoices):
    MALE = cid.MALE, _("Male")
    FEMALE = cid.FEMALE, _("Female")


class CitizenQuerySet(models.QuerySet):
    def search(self, query):
        """Accent-insensitive name search; digits search the citizen ID."""
        query = (query or "").strip()
        if not query:
            return self
        digits = cid.normalise(query)
        if digits.isdigit():
            return self.filter(citizen_id__startswith=digits)
        return self.filter(search_name__contains=search_key(query))


class SearchNamed:
    """A model whose name (`name_field`) is kept NFC-normalised with its accent-folded copy in
    `search_name` (searches and the public listing's order), and which remembers the name as
    stored, so that a `post_save` receiver tells a rename from another save."""

    name_field = "name"

    def save(self, *args, **kwargs):
        name = nfc(getattr(self, self.name_field))
        setattr(self, self.name_field, name)
        self.search_name = search_key(name)
        super().save(*args, **kwargs)
        self.stored_search_name = self.search_name

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.stored_search_name = instance.__dict__.get("search_name")
        return instance


class Citizen(SearchNamed, models.Model):
    name_field = "full_name"
    # Not in Wagtail's reference index (its "usage" screens): millions of rows whose links
    # (area, user, units) nobody browses there, at ~4 queries per deleted citizen and a re-read
    # per save (issue #22); references *to* a citizen are then skipped too. Deleting an area or
    # a user still goes through the foreign keys' on_delete rules.
    wagtail_reference_index_ignore = True

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="citizen",
    )
    citizen_id = models.CharField(
        _("citizen ID"),
        max_length=12,
        unique=True,
        help_text=_("12-digit CCCD, or the 9-digit CMND for old cards."),
    )
    full_name = models.CharField(_("full name"), max_length=120)
    search_name = models.CharField(max_length=120, editable=False, db_index=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("birth year"))
    ethnicity = models.CharField(_("ethnicity"), max_length=60, default="Kinh")
    religion = models.CharField(_("religion"), max_length=60, default="Không", blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="citizens",
        help_text=_("The commune, or better the residential area, where the citizen takes part."),
    )
    target_group = models.PositiveSmallIntegerField(_("target group"), choices=TargetGroup.choices)
    occupation = models.CharField(_("occupation"), max_length=120, blank=True)
    workplace = models.ForeignKey(
        "LearningUnit",
        verbose_name=_("workplace"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        limit_choices_to={"kind": "organisation"},
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    consent_at = models.DateTimeField(_("consent to data processing"), null=True, blank=True)
    listing_opt_out = models.BooleanField(_("hide from public recognition listings"), default=False)
    must_change_password = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CitizenQuerySet.as_manager()

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")
        ordering = ["search_name", "pk"]
        indexes = [
            models.Index(fields=["area", "target_group"], name="citizen_area_group"),
            # LMS learners are matched by e-mail case-insensitively (lms.matching).
            models.Index(Lower("email"), name="citizen_email_lower"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def masked_citizen_id(self):
        return cid.mask(self.citizen_id)

    def clean(self):
        errors = {}
        try:
            self.citizen_id = cid.validate_citizen_id(
                self.citizen_id, gender=self.gender, birth_year=self.birth_year
            )
        except ValidationError as error:
            errors["citizen_id"] = error.messages
        if self.area_id and self.area.level < AreaLevel.COMMUNE:
            errors["area"] = _("Choose a commune/ward or a residential area, not a province.")
        if errors:
            raise ValidationError(errors)


class LearningUnit(SearchNamed, models.Model):
    """A collective that can hold a title: family, clan, community, organisation."""

    class Kind(models.TextChoices):
        FAMILY = "family", _("Learning family")
        CLAN = "clan", _("Learning clan")
        COMMUNITY = "community", _("Learning community")
        ORGANISATION = "organisation", _("Learning unit (agency, school, enterprise)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    code = models.CharField(
        _("code"), max_length=40, blank=True, help_text=_("Optional code used in imports.")
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="learning_units"
    )
    head = models.ForeignKey(
        Citizen,
        verbose_name=_("head"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_units",
    )
    members = models.ManyToManyField(
        Citizen, verbose_name=_("members"), blank=True, related_name="learning_units"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("learning unit")
        verbose_name_plural = _("learning units")
        ordering = ["search_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "code"], condition=~Q(code=""), name="learning_unit_code_per_area"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.area_id and self.area.level < AreaLevel.COMMUNE:
            raise ValidationError({"area": _("Choose a commune/ward or a residential area.")})
        if (
            self.head_id
            and self.area_id
            and self.head.area.province_path != self.area.province_path
        ):
            raise ValidationError({"head": _("The head must live in the same province.")})
