"""The sections of a citizen's personal-data export and erasure (Decree 13/2023/NĐ-CP), gathered
from every app that holds some of it, and the retention rules of personal data held about
people who are no citizens here (`retention_rules`, run by `manage.py purge_personal_data`).

learning_units knows the citizen and their account; the apps built on it (assessments: the
self-assessments, evidence, review history, recognitions, notices) register their own sections
from their `AppConfig.ready()`, so this app never imports them (docs/architecture.md).
`learning_units.data_protection` asks the registry.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonalDataSection:
    key: str  # the section's name in the export (a JSON key, a sheet name)
    order: int  # sections are exported in this order, whichever app registered first
    # (*, citizen) -> what the section holds about the citizen (JSON-serialisable).
    export: Callable[..., object]
    # (*, citizen) -> a dict of counts for the audit log, after removing what identifies the
    # citizen in this section; runs in the erasure's transaction, before the account is
    # cleared. None: nothing to remove (the section is kept as a statistical trace).
    erase: Callable[..., dict] | None = None


_sections: dict[str, PersonalDataSection] = {}


def register(section: PersonalDataSection) -> None:
    """Add a section; registering the same key again replaces it (an app reloaded in tests)."""
    _sections[section.key] = section


def sections() -> list[PersonalDataSection]:
    return sorted(_sections.values(), key=lambda section: section.order)


@dataclass(frozen=True)
class RetentionRule:
    """Personal data kept only for a while (Decree 13/2023/NĐ-CP, art. 2 and 16: kept no longer
    than its purpose needs): `purge(before=…)` deletes what was last touched before then and
    returns how many rows went; `setting` names the ``CDHT_<NAME>`` giving the days kept."""

    key: str
    setting: str
    purge: Callable[..., int]


_retention: dict[str, RetentionRule] = {}


def register_retention(rule: RetentionRule) -> None:
    _retention[rule.key] = rule


def retention_rules() -> list[RetentionRule]:
    return sorted(_retention.values(), key=lambda rule: rule.key)
