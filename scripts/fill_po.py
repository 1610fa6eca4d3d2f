"""Fill untranslated or fuzzy entries of a .po file from a JSON {msgid: msgstr} map.

A translator's aid for our workflow (msgids in English, Vietnamese in learning_units/locale/vi):
    python scripts/fill_po.py learning_units/locale/vi/LC_MESSAGES/django.po translations.json
Fuzzy entries (makemessages' guesses from a similar msgid) are replaced when the map has the
exact msgid. Prints the msgids still untranslated or fuzzy.
"""

import json
import re
import sys
from pathlib import Path

MSGID = re.compile(r'^msgid ((?:".*"\n)+)', re.M)
MSGID_PLURAL = re.compile(r'^msgid_plural ((?:".*"\n)+)', re.M)
MSGSTR = re.compile(r"^msgstr(?:\[\d\])? (?:\".*\"\n?)+", re.M)


def unquote(block):
    return "".join(json.loads(line) for line in block.strip().split("\n"))


def is_untranslated(entry):
    return "#, fuzzy" in entry or all(
        unquote(match.group(0).split(" ", 1)[1]) == "" for match in MSGSTR.finditer(entry + "\n")
    )


def fill(po_path, mapping):
    entries = po_path.read_text(encoding="utf-8").split("\n\n")
    missing = []
    for index, entry in enumerate(entries):
        match = MSGID.search(entry + "\n")
        if not match or not unquote(match.group(1)) or not is_untranslated(entry):
            continue
        msgid = unquote(match.group(1))
        if msgid not in mapping:
            missing.append(msgid)
            continue
        msgstr = json.dumps(mapping[msgid], ensure_ascii=False)
        head = entry[: match.start()]
        head = re.sub(r"^#, fuzzy\n", "", head, flags=re.M).replace(", fuzzy", "")
        head = re.sub(r"^#\| .*\n", "", head, flags=re.M)
        plural = MSGID_PLURAL.search(entry + "\n")
        body = f"msgid {match.group(1)}"
        if plural:
            body += f"msgid_plural {plural.group(1)}msgstr[0] {msgstr}"
        else:
            body += f"msgstr {msgstr}"
        entries[index] = head + body
    po_path.write_text("\n\n".join(entries), encoding="utf-8")
    return missing


if __name__ == "__main__":
    mapping = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    for msgid in fill(Path(sys.argv[1]), mapping):
        print(msgid)
