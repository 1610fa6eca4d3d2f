"""`learning_units` connects its signals in one module, `signal_handlers` (docs/architecture.md)."""

import re
from pathlib import Path

import learning_units

APP = Path(learning_units.__file__).parent
CONNECTS = re.compile(r"\.connect\(|@receiver\b")


def test_only_signal_handlers_connects_signals():
    connecting = sorted(
        str(path.relative_to(APP))
        for path in APP.rglob("*.py")
        if "migrations" not in path.parts and CONNECTS.search(path.read_text(encoding="utf-8"))
    )
    assert connecting == ["signal_handlers.py"]
