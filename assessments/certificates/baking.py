"""A recognition's Open Badge baked into its picture: the BadgeClass image (a PNG) carrying the
hosted Assertion in an ``iTXt`` chunk named ``openbadges``, so a badge wallet or a validator
that is given the picture alone finds the assertion and checks it at its URL.

Spec: https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/baking/index.html
Baked with openbadges-bakery (the reference implementation's). Only an unrevoked recognition is
baked: a revoked one has no valid badge to hand out (the views answer 410).
"""

import functools
import io
import json
from pathlib import Path

from openbadges_bakery import bake

from . import badges
from .documents import file_stem

STATIC_ROOT = Path(__file__).resolve().parent.parent / "static"


@functools.cache
def badge_image():
    """The BadgeClass image's bytes, read once per process from the app's static files."""
    return (STATIC_ROOT / badges.IMAGE).read_bytes()


def baked_badge(recognition):
    """PNG bytes of the badge with the recognition's hosted Assertion baked in."""
    if recognition.revoked:
        raise ValueError("A revoked recognition has no badge to bake.")
    assertion = json.dumps(badges.assertion(recognition), ensure_ascii=False, sort_keys=True)
    baked = bake(io.BytesIO(badge_image()), assertion, io.BytesIO())
    return baked.getvalue()


def badge_filename(recognition):
    return f"huy-hieu-{file_stem(recognition)}.png"
