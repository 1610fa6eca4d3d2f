import gettext
import json
import re
from pathlib import Path

from django.conf import settings

PO_FILE = Path(settings.BASE_DIR) / "learning_units" / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def po_entries():
    for entry in PO_FILE.read_text(encoding="utf-8").split("\n\n")[1:]:
        if entry.strip() and not entry.lstrip().startswith("#~"):
            yield entry


def msgstr_text(entry):
    match = re.search(r"^msgstr(?:\[0\])? ((?:\".*\"\n?)+)", entry, re.M)
    return quoted(match.group(1)) if match else ""


def test_every_interface_string_has_a_vietnamese_translation():
    untranslated = [entry for entry in po_entries() if not msgstr_text(entry)]
    assert untranslated == []


def test_no_translation_is_marked_fuzzy():
    assert [entry for entry in po_entries() if "#, fuzzy" in entry] == []


def quoted(block):
    return "".join(json.loads(line) for line in block.strip().splitlines())


def test_compiled_catalogue_matches_its_source():
    """The committed .mo must be compiled from the committed .po (run `make messages`)."""
    with PO_FILE.with_suffix(".mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for entry in po_entries():
        match = re.search(
            r'^msgid ((?:".*"\n)+)(?:msgid_plural (?:".*"\n)+)?msgstr(?:\[0\])? ((?:".*"\n?)+)',
            entry,
            re.M,
        )
        assert match, entry
        msgid, msgstr = quoted(match.group(1)), quoted(match.group(2))
        if "msgid_plural" in entry:
            assert catalogue._catalog[(msgid, 0)] == msgstr, msgid
        else:
            context = re.search(r'^msgctxt (".*")', entry, re.M)
            key = f"{json.loads(context.group(1))}\x04{msgid}" if context else msgid
            assert catalogue._catalog[key] == msgstr, msgid
