"""State-changing actions of the learning_units app (keyword-only, transactional)."""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.log_actions import log

from . import citizen_id as cid
from . import jurisdiction, selectors
from .email_lookup import with_email
from .models import Area, AreaLevel, Citizen
from .signals import changes_batched
from .text import nfc, search_key

CENTRAL_CODE = "VN"


@changes_batched()
def areas_load_official(*, provinces, wards):
    """Create or update the official provinces and communes; never duplicates, never deletes.

    `provinces` are (code, name, division_type); `wards` are (code, name, division_type,
    province_code), as published in the `vietnam-provinces` package. Returns counts per level.
    One transaction, in which the reports count the communes of the moved areas once.
    """
    central, _ = Area.objects.get_or_create(
        level=AreaLevel.CENTRAL,
        code=CENTRAL_CODE,
        defaults={"name": "Việt Nam", "division_type": "quốc gia"},
    )
    province_by_code = {}
    counts = {}
    counts["provinces"], province_by_code = _upsert_level(
        AreaLevel.PROVINCE,
        [(code, name, division, central) for code, name, division in provinces],
    )
    counts["communes"], _ = _upsert_level(
        AreaLevel.COMMUNE,
        [
            (code, name, division, province_by_code[province_code])
            for code, name, division, province_code in wards
        ],
    )
    return counts


def _upsert_level(level, rows):
    existing = {area.code: area for area in Area.objects.filter(level=level)}
    created, updated, moved = [], [], []
    for code, name, division_type, parent in rows:
        name = nfc(name)
        area = existing.get(code)
        if area is None:
            area = Area(
                level=level,
                code=code,
                name=name,
                division_type=division_type,
                parent=parent,
                path=f"{parent.path}{code}/",
                search_name=search_key(name),
            )
            created.append(area)
            existing[code] = area
        elif area.parent_id != parent.pk:
            area.parent, area.name, area.division_type = parent, name, division_type
            moved.append(area)
        elif (area.name, area.division_type) != (name, division_type):
            area.name, area.division_type, area.search_name = name, division_type, search_key(name)
            updated.append(area)
    Area.objects.bulk_create(created, batch_size=1000)
    Area.objects.bulk_update(updated, ["name", "division_type", "search_name"], batch_size=1000)
    for area in moved:
        area.save()  # recomputes the path and moves the subtree
    counts = {
        "created": len(created),
        "updated": len(updated) + len(moved),
        "unchanged": len(rows) - len(created) - len(updated) - len(moved),
    }
    return counts, {area.code: area for area in Area.objects.filter(level=level)}


def citizens_delete(*, citizens) -> int:
    """Delete the citizens of a queryset (already scoped to the officer's jurisdiction by the
    caller) in one transaction, with what cascades from them. The reports count each commune
    and target group they lived in once, at the end (`signals.changes_batched`), not once per
    citizen. Returns the number of citizens deleted."""
    with changes_batched():
        _total, deleted = citizens.delete()
    return deleted.get(Citizen._meta.label, 0)


@transaction.atomic
def citizen_register(
    *,
    citizen_id: str,
    full_name: str,
    gender: str,
    birth_year: int,
    area: Area,
    target_group: int,
    password: str,
    consent: bool,
    ethnicity: str = "Kinh",
    religion: str = "",
    occupation: str = "",
    phone: str = "",
    email: str = "",
) -> Citizen:
    """A citizen registers on the public site: their own account and citizen record.

    The username is the citizen ID. Raises ValidationError keyed by field when a rule fails
    (nothing is saved then); the consent time is stamped here, never taken from the client.
    """
    number = cid.normalise(citizen_id)
    email = (email or "").strip()
    user_model = get_user_model()
    errors = {}
    if not consent:
        errors["consent"] = ValidationError(
            gettext("Registration needs your consent to the processing of your personal data."),
            code="required",
        )
    holders = list(Citizen.objects.filter(citizen_id=number).values_list("user_id", flat=True))
    username_taken = user_model._default_manager.filter(username=number).exists()
    if holders or username_taken:
        errors["citizen_id"] = _already_registered_error(has_account=username_taken or any(holders))
    if email and (
        with_email(user_model._default_manager.all(), email).exists()
        or with_email(Citizen.objects.all(), email).exists()
    ):
        errors["email"] = ValidationError(
            gettext(
                "This e-mail address is already used by another account. Use another one, or "
                "leave it empty: you can log in with your citizen ID."
            ),
            code="taken",
        )
    if not area.is_active:
        errors["commune"] = ValidationError(
            gettext("This area is no longer in use: choose your commune again from the list."),
            code="inactive",
        )
    if errors:
        raise ValidationError(errors)
    citizen = Citizen(
        citizen_id=number,
        full_name=nfc(full_name),
        gender=gender,
        birth_year=birth_year,
        ethnicity=nfc(ethnicity),
        religion=nfc(religion),
        area=area,
        target_group=target_group,
        occupation=nfc(occupation),
        phone=phone.strip(),
        email=email,
        consent_at=timezone.now(),
    )
    # The model's own rules: the ID agrees with gender and birth year, the area is a commune or
    # below. The form checks them first for precise messages; this keeps every caller honest.
    citizen.full_clean(exclude=["user"])
    try:
        with transaction.atomic():
            citizen.user = user_model._default_manager.create_user(
                username=number, email=email, password=password, first_name=citizen.full_name
            )
            citizen.save()
    except IntegrityError:  # a double submit, or another registration of the same ID, won
        raise ValidationError({"citizen_id": _already_registered_error(has_account=True)}) from None
    return citizen


def _already_registered_error(*, has_account):
    if has_account:
        message = gettext(
            "This citizen ID already has an account. Log in with it, or reset your password by "
            "e-mail if you have forgotten it."
        )
    else:
        message = gettext(
            "This citizen ID has already been registered by your association branch. Ask the "
            "branch officer for your log-in details."
        )
    return ValidationError(message, code="registered")


def citizen_password_chosen(*, user) -> None:
    """The account holder has set a password of their own: an officer's temporary one is gone."""
    Citizen.objects.filter(user=user, must_change_password=True).update(must_change_password=False)


# --- Officer admin ---------------------------------------------------------------------------

ONE_TIME_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud safely
ONE_TIME_PASSWORD_GROUPS = 3
ONE_TIME_PASSWORD_GROUP_LENGTH = 4
ONE_TIME_PASSWORD_LOG_ACTION = "learning_units.one_time_password"


def one_time_password_generate():
    """A random password an officer can read out or write down: ``k7mp-3xq9-wqa4`` (≈59 bits)."""
    return "-".join(
        "".join(
            secrets.choice(ONE_TIME_PASSWORD_ALPHABET)
            for _position in range(ONE_TIME_PASSWORD_GROUP_LENGTH)
        )
        for _group in range(ONE_TIME_PASSWORD_GROUPS)
    )


@transaction.atomic
def citizen_issue_one_time_password(*, citizen, officer) -> str:
    """Create the citizen's login (username = citizen ID) or reset it, with a one-time password.

    Returns the password in clear, for the officer to hand over once; only its hash is stored,
    and `Citizen.must_change_password` makes the citizen choose their own at the next login.
    An officer registers citizens of their subtree only, and never resets an account that
    carries more rights than a citizen's (staff, superuser, another officer): that would hand
    the officer someone else's powers.
    """
    citizen = (
        Citizen.objects.select_for_update(of=("self",))
        .select_related("area", "user")
        .get(pk=citizen.pk)
    )
    if not jurisdiction.covers(officer, citizen.area):
        raise PermissionDenied
    user_model = get_user_model()
    user = citizen.user
    if user is None:
        user = user_model.objects.filter(username=citizen.citizen_id).first()
        if user is not None and hasattr(user, "citizen"):
            raise ValidationError(
                gettext("The login %(username)s already belongs to another citizen record.")
                % {"username": citizen.citizen_id}
            )
    if (
        user is not None
        and not officer.is_superuser
        and selectors.officer_holds_privileged_account(user)
    ):
        raise PermissionDenied(
            gettext(
                "This login belongs to an officer or administrator: ask an administrator to "
                "reset it."
            )
        )
    if user is None:
        user = user_model(username=citizen.citizen_id)
    password = one_time_password_generate()
    user.set_password(password)
    user.is_active = True
    if not user.first_name:
        user.first_name = citizen.full_name[: user_model._meta.get_field("first_name").max_length]
    if not user.email and citizen.email:
        user.email = citizen.email
    user.save()
    citizen.user = user
    citizen.must_change_password = True
    citizen.save(update_fields=["user", "must_change_password", "updated_at"])
    log(instance=citizen, action=ONE_TIME_PASSWORD_LOG_ACTION, user=officer)
    return password
