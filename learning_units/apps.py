from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningUnitsConfig(AppConfig):
    name = "learning_units"
    verbose_name = _("Areas, citizens and learning units")
