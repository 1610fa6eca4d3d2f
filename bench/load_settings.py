"""Settings for bench/load_test.py: every client comes from 127.0.0.1, so the per-address limit
of the verification page (CDHT_VERIFY_RATE) is lifted to measure the page, not the limiter."""

import os

from bench.gunicorn_settings import *  # noqa: F403

CDHT_VERIFY_RATE = (10**9, 60)
# The public page cache (off in the test settings); the load test measures pages with it.
CDHT_PAGE_CACHE = os.environ.get("CDHT_PAGE_CACHE", "true") == "true"
