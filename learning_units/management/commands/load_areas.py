"""Load the official 34 provinces and 3,321 communes from the `vietnam-provinces` package."""

from django.core.management.base import BaseCommand
from vietnam_provinces import Province, Ward
from vietnam_provinces import __data_version__ as data_version

from learning_units.services import areas_load_official


def province_code(code):
    return f"{int(code):02d}"


def ward_code(code):
    return f"{int(code):05d}"


class Command(BaseCommand):
    help = "Create or update provinces and communes from vietnam-provinces (idempotent)."

    def handle(self, *args, **options):
        provinces = [
            (province_code(p.code), p.name, p.division_type.value) for p in Province.iter_all()
        ]
        wards = [
            (ward_code(w.code), w.name, w.division_type.value, province_code(w.province_code))
            for w in Ward.iter_all()
        ]
        counts = areas_load_official(provinces=provinces, wards=wards)
        self.stdout.write(f"Official list of units as of {data_version}:")
        for level, figures in counts.items():
            total = sum(figures.values())
            self.stdout.write(
                f"  {level}: {total} ({figures['created']} created, {figures['updated']} updated, "
                f"{figures['unchanged']} unchanged)"
            )
