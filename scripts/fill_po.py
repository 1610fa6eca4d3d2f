"""Fill empty msgstr entries of a .po file from a JSON {msgid: msgstr} map (a translator's aid).

Usage: python scripts/fill_po.py locale/vi/LC_MESSAGES/django.po translations.json
Prints the msgids still untranslated.
"""

import json
import re
import sys
from pathlib import Path

ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ""\n?$', re.M)


def unquote(block):
    return "".join(json.loads(line) for line in block.strip().split("\n"))


def fill(po_path, mapping):
    entries = po_path.read_text(encoding="utf-8").split("\n\n")
    missing = []
    for index, entry in enumerate(entries):
        match = ENTRY.search(entry + "\n")
        if not match or not unquote(match.group(1)):
            continue
        msgid = unquote(match.group(1))
        if msgid not in mapping:
            missing.append(msgid)
            continue
        head = entry[: match.start()].replace("#, fuzzy\n", "")
        msgstr = json.dumps(mapping[msgid], ensure_ascii=False)
        entries[index] = f"{head}msgid {match.group(1)}msgstr {msgstr}"
    po_path.write_text("\n\n".join(entries), encoding="utf-8")
    return missing


if __name__ == "__main__":
    mapping = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    for msgid in fill(Path(sys.argv[1]), mapping):
        print(msgid)
