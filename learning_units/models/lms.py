"""Course completions and what LMSs send: sources, learner mappings, pending completions, xAPI."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .areas import Area
from .people import Citizen


class XapiStatementFields(models.Model):
    """The xAPI statement that reported a completion (learning_units.lms.xapi), kept on the
    completion's own row: one row written per statement. Its ID makes a statement sent again
    change nothing, and one sent again with other content a conflict (xAPI 1.0.3, Part Three,
    2.1.2: 409); the digest is of its content, the JSON what the LMS sent (it names the
    learner: a citizen's erasure clears it). Statement IDs are unique in the whole store, as
    the specification makes them (one ID space per LRS, whichever client sent it).
    """

    xapi_id = models.UUIDField(_("statement ID"), null=True, blank=True, editable=False)
    xapi_digest = models.CharField(max_length=64, blank=True, editable=False)
    xapi_statement = models.JSONField(_("xAPI statement"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class CourseCompletion(XapiStatementFields):
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
            models.UniqueConstraint(fields=["xapi_id"], name="course_completion_xapi_id"),
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


class PendingCompletion(XapiStatementFields):
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
            models.UniqueConstraint(fields=["xapi_id"], name="pending_completion_xapi_id"),
        ]
        indexes = [models.Index(fields=["matching", "learner_key"])]

    def __str__(self):
        return f"{self.learner_key} · {self.course_title}"
