"""Which citizen an LMS learner is: by citizen ID, e-mail address or a username mapping.

Learners are looked up a chunk of keys at a time (a 100k-row file costs a few dozen queries),
and only citizens whose area lies in `paths` (the officer's jurisdiction, the source's area)
count as found. A key matching two citizens is refused rather than guessed.
"""

from typing import NamedTuple

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from ..jurisdiction import path_is_under
from ..models import Citizen, LearnerMapping, LmsSource

Matching = LmsSource.Matching
AMBIGUOUS = object()


class Learner(NamedTuple):
    pk: int
    citizen_id: str
    full_name: str
    path: str


class MatchError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def learner_key(matching, value):
    """The form a key is looked up in: e-mails and usernames case-insensitively."""
    value = (value or "").strip()
    return value if matching == Matching.CITIZEN_ID else value.casefold()


def chunks(items, size=900):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class LearnerIndex:
    FIELDS = ("pk", "citizen_id", "full_name", "area__path")

    def __init__(self, *, matching, source=None, scopes=()):
        """`scopes`: lists of area paths; a learner must lie under one path of each (the
        officer's jurisdiction, the source's area)."""
        self.matching = matching
        self.source = source
        self.scopes = [list(paths) for paths in scopes if paths is not None]
        self.found = {}
        self.loaded = set()

    def load(self, keys):
        keys = {key for key in keys if key} - self.loaded
        if not keys:
            return
        for part in chunks(keys):
            for key, learner in self.query(part):
                current = self.found.get(key)
                if current is not None and current is not AMBIGUOUS and current.pk != learner.pk:
                    self.found[key] = AMBIGUOUS
                elif current is None:
                    self.found[key] = learner
        self.loaded |= keys

    def query(self, keys):
        if self.matching == Matching.CITIZEN_ID:
            rows = Citizen.objects.filter(citizen_id__in=keys).values_list(
                "citizen_id", *self.FIELDS
            )
            return [(row[0], Learner(*row[1:])) for row in rows]
        if self.matching == Matching.USERNAME:
            rows = (
                LearnerMapping.objects.annotate(key=Lower("username"))
                .filter(source=self.source, key__in=keys)
                .values_list("key", *(f"citizen__{name}" for name in self.FIELDS))
            )
            return [(row[0], Learner(*row[1:])) for row in rows]
        rows = (
            Citizen.objects.annotate(key=Lower("email"), user_key=Lower("user__email"))
            .filter(Q(key__in=keys) | Q(user_key__in=keys))
            .values_list("key", "user_key", *self.FIELDS)
        )
        found = []
        for key, user_key, *fields in rows:
            learner = Learner(*fields)
            for candidate in {key, user_key} & set(keys):
                found.append((candidate, learner))
        return found

    def find(self, key):
        """The learner for a key, or `MatchError` saying why not."""
        learner = self.found.get(key)
        if learner is AMBIGUOUS:
            raise MatchError(
                "ambiguous_learner",
                _("“%(key)s” matches more than one citizen: correct their records first.")
                % {"key": key},
            )
        if learner is None:
            raise MatchError("unknown_learner", self.unknown_message(key))
        if not all(any(path_is_under(learner.path, p) for p in paths) for paths in self.scopes):
            raise MatchError(
                "learner_outside_jurisdiction",
                _(
                    "The learner “%(key)s” is a citizen of an area outside your jurisdiction "
                    "or outside the source's area."
                )
                % {"key": key},
            )
        return learner

    def unknown_message(self, key):
        if self.matching == Matching.CITIZEN_ID:
            return _("No citizen has the citizen ID “%(key)s”.") % {"key": key}
        if self.matching == Matching.USERNAME:
            return _(
                "No citizen is mapped to the LMS username “%(key)s”: add a learner mapping "
                "for this source."
            ) % {"key": key}
        return _("No citizen or user account has the e-mail address “%(key)s”.") % {"key": key}
