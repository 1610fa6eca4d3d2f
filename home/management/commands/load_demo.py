"""Idempotent demo data: page tree and one user per role. Development only."""

import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from assessments.certificates.keys import generate_key
from assessments.demo import load_demo_recognitions
from home.demo import load_demo_pages, load_demo_training
from home.models import CommunePage, HomePage
from learning_units.models import Area, AreaLevel, Citizen, LearningUnit, OfficerRole
from learning_units.officer_groups import officer_group_permissions

DEMO_FIXTURES = settings.BASE_DIR / "fixtures" / "demo"

# Development-only credentials, printed at the end and documented in the README.
DEMO_USERS = [
    ("admin", "cdht-demo-admin", "Quản trị hệ thống", None, True),
    ("editor", "cdht-demo-editor", "Biên tập viên", "Editors", False),
    ("citizen", "cdht-demo-citizen", "Công dân", None, False),
    ("branch_officer", "cdht-demo-branch", "Cán bộ chi hội", "Cán bộ chi hội", False),
    ("commune_officer", "cdht-demo-commune", "Cán bộ xã", "Cán bộ xã", False),
    ("province_officer", "cdht-demo-province", "Cán bộ tỉnh", "Cán bộ tỉnh", False),
    ("gia_loc_editor", "cdht-demo-gialoc-editor", "Biên tập Gia Lộc", None, False),
]
HOME_FIELDS = [
    "title",
    "hero_title",
    "hero_intro",
    "hero_primary_label",
    "hero_primary_url",
    "hero_secondary_label",
    "hero_secondary_url",
    "body",
]


class Command(BaseCommand):
    help = "Load idempotent demo data (pages and one user per role). Never run in production."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is off (tests, staging with throwaway data).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo creates users with published passwords; run it only with DEBUG on "
                "(or pass --force on a throwaway database)."
            )
        content = json.loads((DEMO_FIXTURES / "home_page.json").read_text(encoding="utf-8"))
        people = json.loads((DEMO_FIXTURES / "people.json").read_text(encoding="utf-8"))
        call_command("load_areas", stdout=self.stdout)
        with transaction.atomic():
            home = self.load_home_pages(content)
            self.load_users()
            self.load_people(people)
        call_command("load_criteria", "--demo", stdout=self.stdout)
        call_command("load_default_targets", stdout=self.stdout)
        load_demo_pages(home_page=home)
        load_demo_recognitions(
            parent_for=lambda area: CommunePage.objects.get(area=area, locale=home.locale)
        )
        load_demo_training(home_page=home)
        # The demo signs Open Badges 3.0 credentials too: a key in CDHT_ISSUER_KEY_DIR if none.
        created = generate_key()
        if created is not None:
            self.stdout.write(f"Open Badges 3.0 signing key: {created.path}")
        self.stdout.write(self.style.SUCCESS(f"Demo site ready: home page #{home.pk}."))
        self.print_logins()

    def load_home_pages(self, content):
        # A flushed database (browser tests) has lost what Wagtail's migrations created.
        vi, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        if not Page.get_first_root_node():
            Page.add_root(instance=Page(title="Root", locale=vi))
        en, _ = Locale.objects.get_or_create(language_code="en")
        home = HomePage.objects.filter(locale=vi, depth=2).first()
        if home is None:
            home = self.create_home(content["vi"], vi)
        else:
            self.publish(home, content["vi"])
        # Where `make run` serves the site: certificates' QR codes and Open Badges point here.
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "127.0.0.1", "port": 8000, "root_page": home, "site_name": ""},
        )
        translation = home.get_translation_or_none(en)
        if translation is None:
            translation = home.copy_for_translation(en)
        self.publish(translation.specific, content["en"])
        return home

    def create_home(self, values, locale):
        root = Page.get_first_root_node()
        # Wagtail's initial migration leaves a plain "Welcome" page where the home page belongs.
        for page in root.get_children().filter(locale=locale):
            if page.specific_class is Page:
                page.delete()
        home = HomePage(slug="home", locale=locale, **values)
        root.add_child(instance=home)
        home.save_revision().publish()
        return home

    def publish(self, page, values):
        for field in HOME_FIELDS:
            setattr(page, field, values[field])
        page.save_revision().publish()

    def load_users(self):
        access_admin = Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
        group, _ = Group.objects.get_or_create(name="Editors")
        group.permissions.add(access_admin)
        officer_group_permissions()
        user_model = get_user_model()
        for username, password, full_name, group_name, is_superuser in DEMO_USERS:
            user, _ = user_model.objects.get_or_create(username=username)
            user.first_name = full_name
            user.email = f"{username}@example.com"
            user.is_superuser = user.is_staff = is_superuser
            user.set_password(password)
            user.save()
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))

    def load_people(self, people):
        """Residential areas, officers' roles, citizens and learning units in two demo communes."""
        user_model = get_user_model()
        areas = {}
        province = Area.objects.get(level=AreaLevel.PROVINCE, code=people["province"])
        areas[province.code] = province
        for commune_data in people["communes"]:
            commune = Area.objects.get(level=AreaLevel.COMMUNE, code=commune_data["code"])
            commune.former_district = commune_data["former_district"]
            commune.former_province = commune_data["former_province"]
            commune.save()
            areas[commune.code] = commune
            for data in commune_data["residential_areas"]:
                area, _ = Area.objects.update_or_create(
                    level=AreaLevel.RESIDENTIAL,
                    code=data["code"],
                    defaults={
                        "name": data["name"],
                        "division_type": data["division_type"],
                        "is_agency_branch": data.get("is_agency_branch", False),
                        "parent": commune,
                    },
                )
                areas[area.code] = area
        for data in people["officers"]:
            OfficerRole.objects.get_or_create(
                user=user_model.objects.get(username=data["username"]),
                area=areas[data["area"]],
                role=data["role"],
            )
        citizens = {}
        for data in people["citizens"]:
            user = user_model.objects.get(username=data["user"]) if data.get("user") else None
            citizen, _ = Citizen.objects.update_or_create(
                citizen_id=data["citizen_id"],
                defaults={
                    "full_name": data["full_name"],
                    "gender": data["gender"],
                    "birth_year": data["birth_year"],
                    "area": areas[data["area"]],
                    "target_group": data["target_group"],
                    "occupation": data.get("occupation", ""),
                    "email": data.get("email", ""),
                    "user": user,
                    "consent_at": timezone.now(),
                },
            )
            citizens[citizen.citizen_id] = citizen
        for data in people["learning_units"]:
            unit, _ = LearningUnit.objects.update_or_create(
                kind=data["kind"],
                name=data["name"],
                defaults={
                    "area": areas[data["area"]],
                    "code": data.get("code", ""),
                    "head": citizens[data["head"]],
                },
            )
            unit.members.set([citizens[citizen_id] for citizen_id in data["members"]])

    def print_logins(self):
        self.stdout.write("")
        self.stdout.write("Development-only logins (never use these passwords anywhere else):")
        for username, password, full_name, _, _ in DEMO_USERS:
            self.stdout.write(f"  {full_name:<18} {username:<18} {password}")
        self.stdout.write("Site: http://127.0.0.1:8000/   Admin: http://127.0.0.1:8000/admin/")
