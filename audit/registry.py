"""What audit learns from the apps above it, through what they register (audit imports none).

- The scope: which area paths an officer's events are filed under and which they may read.
  `learning_units` (areas and officer roles) registers it in its `AppConfig.ready()`; without
  one, events of exports and imports are filed at the root and only superusers read the log.
- Log sections: more tabs of the audit screen, each a table of rows another app already keeps
  (the assessments app adds its review events: every transition is recorded there once, not
  copied here).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class AuditScope:
    # (user) -> area paths whose events the user may read (never called for superusers).
    reader_paths: Callable[[object], list[str]]
    # (user) -> area paths of every role the user holds (where their own actions are filed).
    actor_paths: Callable[[object], list[str]]
    # (field, paths) -> Q of the rows whose `field` (an area path) lies under one of `paths`.
    paths_q: Callable[[str, list[str]], Q]


@dataclass(frozen=True)
class LogSection:
    key: str  # the `show` parameter of the audit screen
    label: str
    template: str  # renders `page` (the section's rows) as a table
    # (*, paths, actor) -> the section's rows within `paths` (None: everything), newest first.
    rows: Callable[..., QuerySet]


# Without a registered scope no one but superusers reads the log, so no row is ever under a path.
_scope = AuditScope(
    reader_paths=lambda user: [],
    actor_paths=lambda user: [],
    paths_q=lambda field, paths: Q(pk__in=[]),
)
_sections: dict[str, LogSection] = {}


def register_scope(scope: AuditScope) -> None:
    global _scope
    _scope = scope


def scope() -> AuditScope:
    return _scope


def register_log_section(section: LogSection) -> None:
    """Add a tab to the audit screen; registering the same key again replaces it."""
    _sections[section.key] = section


def log_sections() -> list[LogSection]:
    return list(_sections.values())
