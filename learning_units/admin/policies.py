"""Permission policies of the officer admin: who may do what, and on which rows.

One base for every model the officer admin shows. A user may act when they are an officer
(holds an OfficerRole) or a superuser, and either their Django model permissions (from their
groups, see `officer_groups.officer_group_permissions`) allow the action or, for the role-based
models of the LMS screens, the action is one the policy grants by role. On top, a row is
reachable only inside the officer's subtree (`jurisdiction.scope`), and a few rows are
read-only even there. Instance checks read the roles cached on the user (`jurisdiction`), so a
listing never pays a query per row.
"""

from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

from .. import jurisdiction, selectors
from ..models import Area, AreaLevel, Citizen, LearningUnit, OfficerRole


class JurisdictionPermissionPolicy(ModelPermissionPolicy):
    """Permissions held by officers only, applied to the rows of their subtree."""

    # Actions granted by role rather than by Django model permissions (None: model permissions).
    role_actions = None

    def scope(self, user):
        """Every row of the user's subtree (one query, select_related as listings need)."""
        raise NotImplementedError

    def area_path(self, instance):
        """The path an instance's jurisdiction is checked against."""
        return instance.area.path

    def instance_allows(self, user, action, instance):
        """Rules beyond the subtree for a row inside it (override per model)."""
        return True

    def user_allowed(self, user):
        """Who may use the model at all (override to require a level)."""
        return jurisdiction.is_officer(user)

    def user_has_permission(self, user, action):
        if self.role_actions is not None:
            return action in self.role_actions and user.is_active and self.user_allowed(user)
        return self.user_allowed(user) and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        users = super().users_with_any_permission(actions)
        if self.role_actions is not None:
            return users.none()
        return users.filter(Q(is_superuser=True) | Q(officer_roles__isnull=False)).distinct()

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and jurisdiction.covers_path(user, self.area_path(instance))
            and self.instance_allows(user, action, instance)
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.scope(user)


class CitizenPermissionPolicy(JurisdictionPermissionPolicy):
    def scope(self, user):
        return selectors.citizens_for_officer(user).select_related("area__parent")


class LearningUnitPermissionPolicy(JurisdictionPermissionPolicy):
    def scope(self, user):
        return selectors.learning_units_for_officer(user).select_related("area__parent", "head")


class AreaPermissionPolicy(JurisdictionPermissionPolicy):
    """Official provinces and communes come from `load_areas`: only superusers change them.

    Officers of a commune (or above) add, change and delete the residential areas and agency
    branches below their communes; a branch officer cannot edit the branch they serve.
    """

    def scope(self, user):
        return selectors.areas_for_officer(user).select_related("parent")

    def area_path(self, instance):
        return instance.path

    def instance_allows(self, user, action, instance):
        if user.is_superuser or action not in ("change", "delete"):
            return True
        return instance.level == AreaLevel.RESIDENTIAL and jurisdiction.covers_path(
            user, jurisdiction.parent_path(instance.path)
        )


class OfficerRolePermissionPolicy(JurisdictionPermissionPolicy):
    """Officers manage roles below them, never their own nor one above their own level."""

    def scope(self, user):
        return selectors.officer_roles_for_officer(user).select_related("area__parent")

    def instance_allows(self, user, action, instance):
        if user.is_superuser or action not in ("change", "delete"):
            return True
        top_level = jurisdiction.top_level(user)
        return (
            instance.user_id != user.pk
            and top_level is not None
            and jurisdiction.ROLE_LEVELS[instance.role] >= top_level
        )


citizen_policy = CitizenPermissionPolicy(Citizen)
learning_unit_policy = LearningUnitPermissionPolicy(LearningUnit)
area_policy = AreaPermissionPolicy(Area)
officer_role_policy = OfficerRolePermissionPolicy(OfficerRole)

POLICIES = {
    Citizen: citizen_policy,
    LearningUnit: learning_unit_policy,
    Area: area_policy,
    OfficerRole: officer_role_policy,
}
