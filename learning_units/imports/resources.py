"""The spreadsheet columns of each import kind, as django-import-export resources.

The resources are the one description of a file's columns: their headers (in the template, the
export and the header matching of an import), notes for the template, and the export itself.
Headers are Vietnamese because they are a file format officers keep using, not interface
text; the English headers are accepted on import too.

Rows are checked and written by each kind's own `RowResource` (`flow`: `import_data` with
everything the file names preloaded in chunks, since the default per-row instance look-ups
cannot take 100k rows). The completions template is `completion_columns.CompletionResource`.
"""

import re

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from ..models import Area, Citizen, LearningUnit
from ..text import search_key

YES, NO = "Có", "Không"
GENDER_WORDS = {"male": "Nam", "female": "Nữ"}
UNIT_KIND_WORDS = {
    LearningUnit.Kind.FAMILY: "Gia đình",
    LearningUnit.Kind.CLAN: "Dòng họ",
    LearningUnit.Kind.COMMUNITY: "Cộng đồng",
    LearningUnit.Kind.ORGANISATION: "Đơn vị",
}
MEMBER_SEPARATOR = "; "


class Column(fields.Field):
    """A resource field with what an import needs besides its header."""

    def __init__(
        self,
        attribute,
        column_name,
        *,
        english,
        aliases=(),
        required=False,
        note="",
        as_text=False,
        **kwargs,
    ):
        super().__init__(attribute=attribute, column_name=column_name, **kwargs)
        self.english = english
        self.aliases = aliases
        self.required = required
        self.note = note
        self.as_text = as_text  # formatted as text in the template: keeps leading zeros

    def header_keys(self):
        return {header_key(name) for name in (self.column_name, self.english, *self.aliases)}


def header_key(header):
    """ "Số CCCD (*)" and "so cccd" match: accents, case, spaces and punctuation ignored."""
    return re.sub(r"[^a-z0-9]+", "", search_key(str(header or "")).replace("(*)", ""))


class ImportResource(resources.ModelResource):
    """Columns by name, and matching of a file's header row against them."""

    @classmethod
    def columns(cls):
        return dict(cls.fields)

    @classmethod
    def headers(cls):
        return [column.column_name for column in cls.fields.values()]


class CitizenResource(ImportResource):
    citizen_id = Column(
        "citizen_id",
        "Số CCCD",
        english="Citizen ID",
        aliases=("CCCD", "Số CCCD/CMND", "CCCD/CMND", "CMND", "Số định danh", "citizen_id"),
        required=True,
        as_text=True,
        note=_(
            "12 digits (or 9 for an old CMND). Format the column as Text so that Excel keeps "
            "the leading zeros."
        ),
    )
    full_name = Column(
        "full_name",
        "Họ và tên",
        english="Full name",
        aliases=("Họ tên", "Name", "full_name"),
        required=True,
    )
    gender = Column(
        "gender",
        "Giới tính",
        english="Gender",
        required=True,
        note=_("Nam or Nữ. It must agree with the 4th digit of the citizen ID."),
    )
    birth_year = Column(
        "birth_year",
        "Năm sinh",
        english="Birth year",
        aliases=("birth_year",),
        required=True,
        note=_("Four digits, e.g. 1985. It must agree with digits 5–6 of the citizen ID."),
    )
    ethnicity = Column("ethnicity", "Dân tộc", english="Ethnicity", note=_("Default: Kinh."))
    religion = Column("religion", "Tôn giáo", english="Religion", note=_("Default: Không."))
    area = Column(
        "area__code",
        "Mã địa bàn",
        english="Area code",
        aliases=("Mã khu dân cư", "Mã xã", "area", "area_code"),
        required=True,
        as_text=True,
        note=_(
            "Code of the commune/ward (e.g. 10999) or, better, of the residential area "
            "(e.g. 10999-T01), in your jurisdiction."
        ),
    )
    target_group = Column(
        "target_group",
        "Nhóm đối tượng",
        english="Target group",
        aliases=("Nhóm", "target_group"),
        required=True,
        note=_(
            "1 = farmers and rural labourers; 2 = workers, craftspeople, freelance workers; "
            "3 = cadres, civil servants, entrepreneurs, armed forces."
        ),
    )
    occupation = Column("occupation", "Nghề nghiệp", english="Occupation")
    phone = Column(
        "phone",
        "Điện thoại",
        english="Phone",
        aliases=("Số điện thoại", "SĐT", "ĐT"),
        as_text=True,
    )
    email = Column("email", "E-mail", english="E-mail", aliases=("Thư điện tử",))

    class Meta:
        model = Citizen
        fields = (
            "citizen_id",
            "full_name",
            "gender",
            "birth_year",
            "ethnicity",
            "religion",
            "area",
            "target_group",
            "occupation",
            "phone",
            "email",
        )
        import_id_fields = ("citizen_id",)

    def dehydrate_citizen_id(self, citizen):
        return citizen.masked_citizen_id  # exports never carry full ID numbers (DESIGN.md)

    def dehydrate_gender(self, citizen):
        return GENDER_WORDS.get(citizen.gender, citizen.gender)


class AreaResource(ImportResource):
    code = Column(
        "code",
        "Mã khu dân cư",
        english="Code",
        aliases=("Mã", "Mã chi hội", "code"),
        required=True,
        as_text=True,
        note=_(
            "Unique code of the residential area or agency branch, e.g. 10999-T03 (commune "
            "code, a dash, a short code). No “/”."
        ),
    )
    name = Column(
        "name",
        "Tên",
        english="Name",
        aliases=("Tên khu dân cư", "Tên chi hội", "name"),
        required=True,
    )
    division_type = Column(
        "division_type",
        "Loại",
        english="Division type",
        aliases=("Loại địa bàn", "division_type"),
        note=_("e.g. thôn, tổ dân phố, ấp, chi hội cơ quan."),
    )
    parent = Column(
        "parent__code",
        "Mã xã/phường",
        english="Commune code",
        aliases=("Mã xã", "Mã phường", "parent", "commune_code"),
        required=True,
        as_text=True,
        note=_("Code of the commune/ward it belongs to, in your jurisdiction (e.g. 10999)."),
    )
    is_agency_branch = Column(
        "is_agency_branch",
        "Chi hội cơ quan",
        english="Agency branch",
        aliases=("is_agency_branch",),
        note=_("Có for a branch in an agency or enterprise, Không (or empty) for a place."),
    )

    class Meta:
        model = Area
        fields = ("code", "name", "division_type", "parent", "is_agency_branch")
        import_id_fields = ("code",)

    def dehydrate_is_agency_branch(self, area):
        return YES if area.is_agency_branch else NO


class LearningUnitResource(ImportResource):
    kind = Column(
        "kind",
        "Loại",
        english="Kind",
        aliases=("Loại đơn vị", "kind"),
        required=True,
        note=_("Gia đình, Dòng họ, Cộng đồng or Đơn vị (agency, school, enterprise)."),
    )
    name = Column("name", "Tên", english="Name", aliases=("Tên đơn vị", "name"), required=True)
    code = Column(
        "code",
        "Mã",
        english="Code",
        aliases=("Mã đơn vị", "code"),
        as_text=True,
        note=_(
            "Optional, unique in its area. With a code, a later import updates the same unit; "
            "without one, the unit is matched by kind, name and area."
        ),
    )
    area = Column(
        "area__code",
        "Mã địa bàn",
        english="Area code",
        aliases=("area", "area_code"),
        required=True,
        as_text=True,
        note=_("Code of the commune/ward or residential area, in your jurisdiction."),
    )
    head = Column(
        "head__citizen_id",
        "CCCD người đứng đầu",
        english="Head citizen ID",
        aliases=("CCCD chủ hộ", "Người đứng đầu", "head", "head_citizen_id"),
        as_text=True,
        note=_("Citizen ID of the head (already registered as a citizen of your area)."),
    )
    members = Column(
        "members",
        "CCCD thành viên",
        english="Member citizen IDs",
        aliases=("Thành viên", "members", "member_citizen_ids"),
        as_text=True,
        note=_(
            "Citizen IDs of the members, separated by “;”. They replace the current members; "
            "the head is always a member."
        ),
    )

    class Meta:
        model = LearningUnit
        fields = ("kind", "name", "code", "area", "head", "members")

    def dehydrate_kind(self, unit):
        return UNIT_KIND_WORDS.get(unit.kind, unit.kind)

    def dehydrate_head(self, unit):
        return unit.head.masked_citizen_id if unit.head_id else ""

    def dehydrate_members(self, unit):
        return MEMBER_SEPARATOR.join(member.masked_citizen_id for member in unit.members.all())
