"""The people and places every assessment hangs on (DESIGN.md, DOMAIN.md)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import citizen_id as cid
from .text import nfc, search_key


class AreaLevel(models.IntegerChoices):
    """Two-tier local government since 1 July 2025: no district level."""

    CENTRAL = 0, _("Central")
    PROVINCE = 1, _("Province / centrally-run city")
    COMMUNE = 2, _("Commune / ward / special zone")
    RESIDENTIAL = 3, _("Residential area / branch")


class Area(models.Model):
    """A node of the area tree, with a materialised path for one-query subtree checks.

    `path` is the parent's path plus this area's level-unique code and a slash, e.g.
    ``VN/01/00070/TDP-01/``; a jurisdiction is the subtree of the officer's area, matched on
    this path by `learning_units.jurisdiction` only.
    """

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    level = models.PositiveSmallIntegerField(_("level"), choices=AreaLevel.choices)
    division_type = models.CharField(
        _("division type"),
        max_length=60,
        blank=True,
        help_text=_("e.g. tỉnh, thành phố, xã, phường, đặc khu, thôn, tổ dân phố, chi hội cơ quan"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, unique=True)
    is_agency_branch = models.BooleanField(
        _("agency branch"),
        default=False,
        help_text=_("A branch in an agency or enterprise (chi hội cơ quan) rather than a place."),
    )
    former_district = models.CharField(
        _("former district"),
        max_length=200,
        blank=True,
        help_text=_("History only: the district this commune belonged to before July 2025."),
    )
    former_province = models.CharField(
        _("former province"),
        max_length=200,
        blank=True,
        help_text=_("History only: the province before the 2025 merger."),
    )
    contact_email = models.EmailField(
        _("association's e-mail"),
        blank=True,
        help_text=_(
            "The association's public contact address, named in its Open Badges issuer "
            "profile; never an officer's private address."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="area_unique_code_per_level"),
        ]
        indexes = [
            models.Index(
                fields=["path"], name="area_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.search_name = search_key(self.name)
        old_path = self.path
        self.path = (self.parent.path if self.parent_id else "") + f"{self.code}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            self.rebase_descendants(old_path)

    def clean(self):
        if self.level not in AreaLevel.values:
            return  # no level to check the parent against: the level field says what is wrong
        expected_parent_level = {
            AreaLevel.CENTRAL: None,
            AreaLevel.PROVINCE: AreaLevel.CENTRAL,
            AreaLevel.COMMUNE: AreaLevel.PROVINCE,
            AreaLevel.RESIDENTIAL: AreaLevel.COMMUNE,
        }[self.level]
        if expected_parent_level is None and self.parent_id:
            raise ValidationError({"parent": _("The central level has no parent area.")})
        if expected_parent_level is not None and (
            self.parent is None or self.parent.level != expected_parent_level
        ):
            raise ValidationError(
                {
                    "parent": _("A %(level)s belongs to a %(parent)s.")
                    % {
                        "level": AreaLevel(self.level).label.lower(),
                        "parent": AreaLevel(expected_parent_level).label.lower(),
                    }
                }
            )
        if "/" in self.code:
            raise ValidationError({"code": _("A code may not contain “/”.")})

    def rebase_descendants(self, old_path):
        """Moving or recoding an area moves its whole subtree (rare: done in Python, once)."""
        from .jurisdiction import under  # the jurisdiction module reads this one's models

        descendants = Area.objects.filter(under("path", old_path)).exclude(pk=self.pk)
        for area in descendants.order_by("path"):
            area.path = self.path + area.path[len(old_path) :]
            area.save(update_fields=["path"])

    @property
    def province_path(self):
        """Path of the province this area is in ("" for the central level)."""
        parts = self.path.split("/")
        return "/".join(parts[:2]) + "/" if len(parts) > 2 else ""


class OfficerRole(models.Model):
    """A user's role over an area and its whole subtree."""

    class Role(models.TextChoices):
        BRANCH = "branch", _("Branch officer")
        COMMUNE = "commune", _("Commune officer")
        PROVINCE = "province", _("Province officer")
        CENTRAL = "central", _("Central officer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="officer_roles",
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="officer_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("officer role")
        verbose_name_plural = _("officer roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "area", "role"], name="officer_role_unique"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.area}"

    def clean(self):
        expected = {
            self.Role.BRANCH: {AreaLevel.RESIDENTIAL},
            self.Role.COMMUNE: {AreaLevel.COMMUNE},
            self.Role.PROVINCE: {AreaLevel.PROVINCE},
            self.Role.CENTRAL: {AreaLevel.CENTRAL},
        }.get(self.role, set())
        if self.area_id and self.area.level not in expected:
            raise ValidationError(
                {"area": _("This role is held over an area of the matching level.")}
            )


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


class Citizen(models.Model):
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
        indexes = [models.Index(fields=["area", "target_group"], name="citizen_area_group")]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = nfc(self.full_name)
        self.search_name = search_key(self.full_name)
        super().save(*args, **kwargs)

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


class LearningUnit(models.Model):
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

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.search_name = search_key(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        if self.area_id and self.area.level < AreaLevel.COMMUNE:
            raise ValidationError({"area": _("Choose a commune/ward or a residential area.")})
        if (
            self.head_id
            and self.area_id
            and self.head.area.province_path != self.area.province_path
        ):
            raise ValidationError({"head": _("The head must live in the same province.")})


class CourseCompletion(models.Model):
    """A course a citizen completed, from this site or an LMS: the best evidence there is."""

    class Provider(models.TextChoices):
        SITE = "site", _("This site")
        MOODLE = "moodle", _("Moodle")
        OPEN_EDX = "open_edx", _("Open edX")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        SITE = "site", _("Completed on this site")
        IMPORT = "import", _("File import")
        API = "api", _("Pushed by an LMS")
        MANUAL = "manual", _("Entered by an officer")

    citizen = models.ForeignKey(
        Citizen,
        verbose_name=_("citizen"),
        on_delete=models.CASCADE,
        related_name="course_completions",
    )
    course_title = models.CharField(_("course"), max_length=255)
    provider = models.CharField(_("provider"), max_length=20, choices=Provider.choices)
    course_id = models.CharField(_("course ID"), max_length=120, blank=True)
    course_url = models.URLField(_("course URL"), blank=True)
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=40, blank=True)
    certificate_url = models.URLField(_("certificate URL"), blank=True)
    competency_tags = models.CharField(
        _("competencies"),
        max_length=255,
        blank=True,
        help_text=_("Comma-separated competency tags, matched against indicators' tags."),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    external_id = models.CharField(
        _("external ID"),
        max_length=120,
        blank=True,
        help_text=_(
            "The LMS's own identifier: importing the same completion twice changes nothing."
        ),
    )
    # The xAPI statement that reported it (learning_units.lms.xapi), kept as it came.
    xapi_statement = models.ForeignKey(
        "XapiStatement",
        verbose_name=_("xAPI statement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        ordering = ["-completed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "external_id"],
                condition=~Q(external_id=""),
                name="course_completion_external_id_per_provider",
            ),
        ]

    def __str__(self):
        return f"{self.course_title} ({self.completed_on:%d/%m/%Y})"


class LmsSource(models.Model):
    """An LMS that sends course completions, by file import or by the token-authenticated API.

    Only a SHA-256 hash of the token is stored: the token itself is shown once, when it is
    created or rotated. `area` bounds the citizens the source may record completions for.
    """

    class Matching(models.TextChoices):
        EMAIL = "email", _("E-mail address")
        USERNAME = "username", _("LMS username (mapped to citizens)")
        CITIZEN_ID = "citizen_id", _("Citizen ID")

    name = models.CharField(_("name"), max_length=120, unique=True)
    provider = models.CharField(
        _("provider"), max_length=20, choices=CourseCompletion.Provider.choices
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="lms_sources",
        help_text=_("Completions are recorded only for citizens of this area and below."),
    )
    matching = models.CharField(
        _("learner matching"),
        max_length=20,
        choices=Matching.choices,
        default=Matching.EMAIL,
        help_text=_("How a learner of the LMS is recognised as a citizen."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(_("token starts with"), max_length=8, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("LMS source")
        verbose_name_plural = _("LMS sources")
        ordering = ["name"]

    def __str__(self):
        return self.name


class LearnerMapping(models.Model):
    """An LMS username known to be a given citizen (for sources that match by username)."""

    source = models.ForeignKey(
        LmsSource,
        verbose_name=_("LMS source"),
        on_delete=models.CASCADE,
        related_name="learner_mappings",
    )
    username = models.CharField(_("LMS username"), max_length=150)
    citizen = models.ForeignKey(
        Citizen,
        verbose_name=_("citizen"),
        on_delete=models.CASCADE,
        related_name="lms_usernames",
    )

    class Meta:
        verbose_name = _("learner mapping")
        verbose_name_plural = _("learner mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "username"], name="learner_mapping_unique_username"
            ),
        ]

    def __str__(self):
        return f"{self.username} → {self.citizen}"


class PendingCompletion(models.Model):
    """A course completion an LMS reported for a learner who is no citizen here (yet).

    One per source, course and learner: a report imported again, or exported again later,
    updates it. When a citizen of the source's area gets that e-mail address, username mapping
    or citizen ID, it becomes their `CourseCompletion` (`lms.pending.pending_attach`).
    """

    source = models.ForeignKey(
        LmsSource,
        verbose_name=_("LMS source"),
        on_delete=models.CASCADE,
        related_name="pending_completions",
    )
    matching = models.CharField(
        _("learner matching"), max_length=20, choices=LmsSource.Matching.choices
    )
    learner_key = models.CharField(
        _("learner"),
        max_length=254,
        help_text=_("The e-mail address, LMS username or citizen ID the report gives."),
    )
    learner_name = models.CharField(_("name in the LMS"), max_length=255, blank=True)
    course_id = models.CharField(_("course ID"), max_length=120)
    course_title = models.CharField(_("course"), max_length=255)
    completed_on = models.DateField(_("completed on"))
    grade = models.CharField(_("grade"), max_length=40, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)
    xapi_statement = models.ForeignKey(
        "XapiStatement",
        verbose_name=_("xAPI statement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("first reported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last reported"), auto_now=True)

    class Meta:
        verbose_name = _("pending course completion")
        verbose_name_plural = _("pending course completions")
        ordering = ["source", "course_id", "learner_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "course_id", "learner_key"],
                name="pending_completion_per_source_course_learner",
            ),
        ]
        indexes = [models.Index(fields=["matching", "learner_key"])]

    def __str__(self):
        return f"{self.learner_key} · {self.course_title}"


class XapiStatement(models.Model):
    """A statement an LMS sent to `/xapi/statements` (learning_units.lms.xapi).

    Every statement's ID is kept with a digest of its content, so that a statement sent again
    changes nothing and one sent again with other content is refused (xAPI 1.0.3, Part Three,
    2.1.2: 409 Conflict). Only the statements that report a course completion keep their JSON
    (it names the learner); the others are acknowledged and ignored, as the specification lets
    an LRS do with statements it has no use for.
    """

    source = models.ForeignKey(
        LmsSource,
        verbose_name=_("LMS source"),
        on_delete=models.CASCADE,
        related_name="xapi_statements",
    )
    statement_id = models.UUIDField(_("statement ID"))
    digest = models.CharField(max_length=64, editable=False)
    verb = models.CharField(_("verb"), max_length=255)
    statement = models.JSONField(_("statement"), null=True, blank=True, editable=False)
    stored_at = models.DateTimeField(_("stored at"), auto_now_add=True)

    class Meta:
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "statement_id"], name="xapi_statement_id_per_source"
            ),
        ]
        indexes = [models.Index(fields=["stored_at"])]

    def __str__(self):
        return str(self.statement_id)
