"""Admin hooks of the import/export screens (imported from wagtail_hooks)."""
