"""The one home of the suite's factories and builders (factory_boy).

- `people`: users, areas, officers' roles, citizens and learning units; re-exported here, so
  `from tests.factories import CitizenFactory` works.
- `assessments`: criteria sets and campaigns (dated from today: `this_year()`), raw set data.
- `review`: a whole review world (officers of every level, a small set, a campaign) and
  assessments in any status, one at a time or in bulk.

World fixtures built from them live in the test modules' and `tests/conftest.py`'s fixtures.
"""

from tests.factories.people import (
    CentralAreaFactory,
    CitizenFactory,
    CommuneFactory,
    LearningUnitFactory,
    OfficerRoleFactory,
    ProvinceFactory,
    ResidentialAreaFactory,
    UserFactory,
    make_citizen_id,
)

__all__ = [
    "CentralAreaFactory",
    "CitizenFactory",
    "CommuneFactory",
    "LearningUnitFactory",
    "OfficerRoleFactory",
    "ProvinceFactory",
    "ResidentialAreaFactory",
    "UserFactory",
    "make_citizen_id",
]
