"""Settings for bench/gunicorn_self_assessment.py: the test settings without WhiteNoise's
autorefresh, which rescans static files on every request and is for development only."""

from cdht_wagtail.settings.test import *  # noqa: F403

WHITENOISE_AUTOREFRESH = False
