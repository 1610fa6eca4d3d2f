"""Areas of the two-tier administration and the officers who work in them (DOMAIN.md)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..signals import announce_areas_moved, changes_batched
from ..text import nfc, search_key


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
        """Save, moving the subtree's paths along, and announce a move under another parent
        (`signals.areas_moved`: the reports' summaries fold areas into their commune and
        province) once the whole subtree has moved, in the same transaction."""
        self.name = nfc(self.name)
        self.search_name = search_key(self.name)
        old_path = self.path
        self.path = (self.parent.path if self.parent_id else "") + f"{self.code}/"
        if not old_path or old_path == self.path:
            super().save(*args, **kwargs)
            return
        former_parent = getattr(self, "_loaded_parent_id", self.parent_id)
        with changes_batched():
            super().save(*args, **kwargs)
            self.rebase_descendants(old_path)
            if former_parent != self.parent_id:
                announce_areas_moved({self.pk, former_parent})
        self._loaded_parent_id = self.parent_id

    @classmethod
    def from_db(cls, db, field_names, values):
        # The parent it was loaded with: `save` tells a move from an edit.
        area = super().from_db(db, field_names, values)
        area._loaded_parent_id = area.__dict__.get("parent_id")
        return area

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
        from ..jurisdiction import under  # the jurisdiction module reads this one's models

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
