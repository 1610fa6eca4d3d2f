"""Officers' auth groups follow their roles: one group per role level (branch, commune,
province, central) with the admin access and model permissions its officers need, created by
the app's migrations (post_migrate) and joined or left as an officer's roles are saved or
deleted. Permissions say what an officer may do; the OfficerRole says where
(learning_units.jurisdiction): a user in a group without a role sees nothing."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import OfficerRole

# Group names are data (Vietnamese, as the association names its officers); the codenames per
# role are what the officer admin needs. Jurisdiction still limits every row (selectors).
OFFICER_GROUP_NAMES = {
    OfficerRole.Role.BRANCH: "Cán bộ chi hội",
    OfficerRole.Role.COMMUNE: "Cán bộ xã",
    OfficerRole.Role.PROVINCE: "Cán bộ tỉnh",
    OfficerRole.Role.CENTRAL: "Cán bộ trung ương",
}
_MANAGE = ["add", "change", "delete", "view"]
OFFICER_GROUP_PERMISSIONS = {
    OfficerRole.Role.BRANCH: {
        "citizen": ["add", "change", "view"],
        "learningunit": ["add", "change", "view"],
        "area": ["view"],
        "officerrole": ["view"],
    },
    **{
        role: {"citizen": _MANAGE, "learningunit": _MANAGE, "area": _MANAGE, "officerrole": _MANAGE}
        for role in (OfficerRole.Role.COMMUNE, OfficerRole.Role.PROVINCE, OfficerRole.Role.CENTRAL)
    },
}


@transaction.atomic
def officer_group_permissions(*, group_names=None):
    """Create or update one auth group per officer role with the admin access and model
    permissions its officers need; idempotent. Returns the groups by role.

    Permissions say what an officer may do, their OfficerRole says where: a user in a group
    without a role sees nothing.
    """
    group_names = group_names or OFFICER_GROUP_NAMES
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups = {}
    for role, name in group_names.items():
        group, _created = Group.objects.get_or_create(name=name)
        codenames = [
            f"{action}_{model}"
            for model, actions in OFFICER_GROUP_PERMISSIONS[role].items()
            for action in actions
        ]
        permissions = Permission.objects.filter(
            content_type__app_label="learning_units", codename__in=codenames
        )
        group.permissions.add(access_admin, *permissions)
        groups[role] = group
    return groups


def officer_groups_sync(user) -> None:
    """Put `user` in the group of each role level they hold, and out of the other officer
    groups: called whenever one of their roles is saved or deleted."""
    held = {OFFICER_GROUP_NAMES[role] for role in user.officer_roles.values_list("role", flat=True)}
    existing = Group.objects.filter(name__in=OFFICER_GROUP_NAMES.values())
    if not held <= set(existing.values_list("name", flat=True)):
        officer_group_permissions()  # a group was deleted by hand: make it again
    user.groups.add(*existing.filter(name__in=held))
    user.groups.remove(*existing.exclude(name__in=held))


def officer_groups_ensure(**kwargs) -> None:
    """post_migrate: the officer groups exist with their permissions once the permissions they
    grant do (Wagtail's `access_admin` and this app's), whatever the order of the apps."""
    codenames = Permission.objects.filter(
        content_type__app_label__in=["wagtailadmin", "learning_units"]
    ).values_list("codename", flat=True)
    if {"access_admin", "view_officerrole"} <= set(codenames):
        officer_group_permissions()
