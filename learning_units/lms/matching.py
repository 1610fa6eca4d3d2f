"""Which citizen an LMS learner is: by citizen ID, e-mail address or a username mapping.

Learners are looked up a chunk of keys at a time (a 100k-row file costs a few dozen queries),
and only citizens whose area lies in `paths` (the officer's jurisdiction, the source's area)
count as found. A key matching two citizens is refused rather than guessed.

A citizen outside those areas is answered like one who does not exist ("not found in the
area"): an LMS token holder, or an officer of one province, must not learn whether an ID or
e-mail belongs to someone elsewhere in the country. Only an officer with national scope
(`jurisdiction.is_national`) is told that the learner lives outside the source's area.
"""

from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from ..jurisdiction import is_national, path_is_under
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

    def __init__(self, *, matching, source=None, scopes=(), officer=None):
        """`scopes`: lists of area paths; a learner must lie under one path of each (the
        officer's jurisdiction, the source's area). `officer`: who reads the errors (None: an
        LMS through the API), told "outside" only with national scope."""
        self.matching = matching
        self.source = source
        self.reveals_outside = officer is not None and is_national(officer)
        self.scopes = [list(paths) for paths in scopes if paths is not None]
        self.found = {}  # in scope; a citizen elsewhere never makes a key ambiguous
        self.outside = {}
        self.loaded = set()

    def load(self, keys):
        keys = {key for key in keys if key} - self.loaded
        if not keys:
            return
        for part in chunks(keys):
            for key, learner in self.query(part):
                if not self.in_scope(learner):
                    self.outside.setdefault(key, learner)
                    continue
                current = self.found.get(key)
                if current is not None and current is not AMBIGUOUS and current.pk != learner.pk:
                    self.found[key] = AMBIGUOUS
                elif current is None:
                    self.found[key] = learner
        self.loaded |= keys

    def in_scope(self, learner):
        return all(any(path_is_under(learner.path, p) for p in paths) for paths in self.scopes)

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
        # Two halves, each served by its lower(email) index (migration 0011): an OR across
        # the citizen's and the user account's columns is served by neither, and the accounts
        # are looked up first (a subquery), not through the citizens' outer join to them.
        citizens = Citizen.objects.order_by().annotate(
            key=Lower("email"), user_key=Lower("user__email")
        )
        accounts = (
            get_user_model()
            ._default_manager.order_by()
            .annotate(key=Lower("email"))
            .filter(key__in=keys)
            .values("pk")
        )
        fields = ("key", "user_key", *self.FIELDS)
        rows = (
            citizens.filter(key__in=keys)
            .values_list(*fields)
            .union(citizens.filter(user__in=accounts).values_list(*fields), all=True)
        )
        wanted = set(keys)
        found = []
        for key, user_key, *fields in rows:
            learner = Learner(*fields)
            for candidate in {key, user_key} & wanted:
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
        if learner is None and self.reveals_outside and key in self.outside:
            raise MatchError(
                "learner_outside_jurisdiction",
                _(
                    "The learner “%(key)s” is a citizen of an area outside your jurisdiction "
                    "or outside the source's area."
                )
                % {"key": key},
            )
        if learner is None:
            raise MatchError("unknown_learner", self.unknown_message(key))
        return learner

    def unknown_message(self, key):
        """The same words whether nobody has the key or somebody outside the area has it."""
        if self.matching == Matching.CITIZEN_ID:
            return _("No citizen with the citizen ID “%(key)s” is found in this area.") % {
                "key": key
            }
        if self.matching == Matching.USERNAME:
            return _(
                "No citizen of this area is mapped to the LMS username “%(key)s”: add a "
                "learner mapping for this source."
            ) % {"key": key}
        return _(
            "No citizen or user account with the e-mail address “%(key)s” is found in this area."
        ) % {"key": key}
