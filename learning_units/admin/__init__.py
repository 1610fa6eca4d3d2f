"""The officer admin (Wagtail menu “Learning citizens”): viewsets held to the officer's
subtree. Registered from `learning_units.wagtail_hooks`."""
