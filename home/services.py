"""Who may edit which part of the page tree, and how edits get published.

Editors of a commune add and change pages in their commune's subtree only and cannot publish:
everything they write goes to Wagtail's "Moderators approval" workflow, where the association's
moderators approve it (docs: wagtail/docs/topics/permissions.md, extending/custom_tasks.md).
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

MODERATION_WORKFLOW_NAME = "Moderators approval"  # the name Wagtail's own migration gives it
MODERATORS_GROUP_NAME = "Moderators"
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
MODERATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page")
MEDIA_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)


def _page_permission(codename):
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def _grant_admin_access(group):
    """The admin, and Wagtail's "Translate" (simple_translation): a copy of a page they may
    edit in the other language, a draft they write and submit like any page (issue #19)."""
    group.permissions.add(
        *Permission.objects.filter(
            Q(content_type__app_label="wagtailadmin", codename="access_admin")
            | Q(content_type__app_label="simple_translation", codename="submit_translation")
        )
    )
    root_collection = Collection.get_first_root_node()
    for app_label, codename in MEDIA_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=root_collection,
            permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
        )


def _grant_pages(group, pages, codenames):
    for page in pages:
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=page, permission=_page_permission(codename)
            )


@transaction.atomic
def commune_editor_group(commune_page) -> Group:
    """The group of editors of one commune: add and change pages under it (all its languages)."""
    with translation.override(settings.LANGUAGE_CODE):
        name = gettext("Editors of %(area)s") % {"area": commune_page.area.name}
    group, _ = Group.objects.get_or_create(name=name)
    _grant_admin_access(group)
    _grant_pages(
        group,
        [commune_page, *commune_page.get_translations()],
        EDITOR_PAGE_PERMISSIONS,
    )
    return group


@transaction.atomic
def moderation_workflow_ensure(*, pages) -> Workflow:
    """Wagtail's default moderation workflow, assigned to `pages` and their subtrees.

    Wagtail's migrations create it on the tree's root; a flushed database (browser tests) has
    lost it, so it is made again here with the same names.
    """
    moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP_NAME)
    _grant_admin_access(moderators)
    _grant_pages(moderators, pages, MODERATOR_PAGE_PERMISSIONS)
    task = GroupApprovalTask.objects.filter(name=MODERATION_WORKFLOW_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=MODERATION_WORKFLOW_NAME)
    task.groups.add(moderators)
    workflow, _ = Workflow.objects.get_or_create(name=MODERATION_WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for page in pages:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow
