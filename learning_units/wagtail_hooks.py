"""Admin menus and viewsets of the learning_units app."""

from . import import_hooks  # noqa: F401  (registers the import screens)
