"""A request counter in the shared cache, so every process counts together (rate limits)."""

from django.core.cache import cache


def cache_count(key, *, timeout):
    """Add one to the counter `key` (created with `timeout` seconds to live); its new value."""
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1
